"""Form pieces every module shares: labels from the models' own words, the one amount field."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from . import text
from .money import parse_amount


class PlainSelect(forms.Select):
    """A <select> written in Python rather than through Django's option templates: the same markup, but a list's
    owner filter of 450 people took 10 ms through one template per option (issue 18) and now well under 1."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        parts = [format_html("<select name=\"{}\"{}>", name, flatatt(self.build_attrs(self.attrs, attrs)))]

        def option(option_value, label):
            v = "" if option_value is None else str(option_value)
            selected = v in chosen
            if selected and not self.allow_multiple_selected:
                chosen.clear()  # only the first match is selected, as Django's Select does
            return f'<option value="{escape(v)}"{" selected" if selected else ""}>{escape(label)}</option>'

        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(format_html('<optgroup label="{}">', option_value))
                parts.extend(option(v, text) for v, text in label)
                parts.append("</optgroup>")
            else:
                parts.append(option(option_value, label))
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - every value and label above is escaped


class DateInput(forms.DateInput):
    """<input type="date">: the value written as 2026-12-04 whatever the language (zh-Hans's own date format,
    2026/12/04, is one the browser rejects, so a prefilled date would show empty and be lost on save)."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def validate_text(value) -> None:
    """The form side of core.text: control, bidi and only-invisible characters are refused next to the field.
    `core.web.StyledForm` attaches it to every text field of every form (the service's clean_texts checks again and
    normalises to NFC)."""
    if isinstance(value, str):
        reason = text.problem(value)
        if reason:
            raise ValidationError(reason, code="refused_text")


def check_text_fields(form) -> None:
    """Attach `validate_text` to each free-text field of `form` (not passwords, which are kept as typed)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput) \
                and validate_text not in field.validators:
            field.validators.append(validate_text)


def field_label(model, field: str):
    """The model field's verbose name as a form label (lazy, capitalised)."""
    return capfirst(model._meta.get_field(field).verbose_name)


def verbose_names(model) -> dict:
    """{field name: verbose name} of a model, so templates label columns with the model's own words."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


class AmountField(forms.Field):
    """An amount typed by a user (commas allowed), parsed like every other amount: core.money.parse_amount,
    Decimal with two places, never float."""

    widget = forms.TextInput
    max_length = 30

    def widget_attrs(self, widget):
        return {**super().widget_attrs(widget), "inputmode": "decimal", "maxlength": str(self.max_length)}

    def to_python(self, value):
        # Typed on a Chinese keyboard: full-width digits, comma and point are read as their ASCII selves here,
        # explicitly; the API (core.money.parse_amount) accepts ASCII only.
        value = unicodedata.normalize("NFKC", str(value)).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        if len(value) > self.max_length:
            raise ValidationError(_("not a number"), code="invalid")
        try:
            return parse_amount(value)
        except ValueError as exc:
            raise ValidationError(str(exc), code="invalid") from None
