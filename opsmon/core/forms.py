"""Form pieces every module shares: labels from the models' own words."""

from django.utils.text import capfirst


def field_label(model, field: str):
    """The model field's verbose name as a form label (lazy, capitalised)."""
    return capfirst(model._meta.get_field(field).verbose_name)


def verbose_names(model) -> dict:
    """{field name: verbose name} of a model, so templates label columns with the model's own words."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}
