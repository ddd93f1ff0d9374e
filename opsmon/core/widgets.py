"""Search pickers: a <select> that holds only the option(s) chosen now, searched through a small JSON endpoint.

`SearchSelect(url=...)` and `SearchSelectMultiple(url=...)` render the currently selected value(s) alone, never
the field's whole list, so a page offering 20,000 opportunities stays small. `opsmon/static/opsmon/pickers.js`
(included by `includes/picker_assets.html`) turns every `select[data-picker]` into a Tom Select that asks
`url?q=` for matches (`[{value, text}]`). The field keeps validating server-side: a ModelChoiceField's queryset
(the viewer's scope) or a choice list decides what is valid, whatever the browser sent.
"""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


def _selected(value) -> list[str]:
    if value is None:
        return []
    values = value if isinstance(value, (list, tuple, set)) else [value]
    return [str(v) for v in values if v not in (None, "")]


class SearchSelect(forms.Select):
    """One choice, picked by searching `url`; only the chosen option is rendered."""

    allow_multiple_selected = False

    def __init__(self, attrs=None, *, url: str = "", placeholder=None):
        super().__init__(attrs)
        self.url = url
        self.placeholder = placeholder

    def _chosen(self, values: list[str]) -> list[tuple[str, str]]:
        """(value, label) of the chosen values only; a value the choices do not hold (outside the viewer's scope,
        or gone) is kept as it was sent, with its value as the label, so a refused form shows what was sent."""
        if not values:
            return []
        choices = self.choices
        labels: dict[str, str] = {}
        if isinstance(choices, ModelChoiceIterator):
            field = choices.field
            key = field.to_field_name or "pk"
            valid = [v for v in values if v.isdigit()] if key == "pk" else values
            if valid:
                for obj in choices.queryset.filter(**{f"{key}__in": valid}):
                    labels[str(field.prepare_value(obj))] = field.label_from_instance(obj)
        else:
            for option_value, option_label in choices:
                if str(option_value) in values and not isinstance(option_label, (list, tuple)):
                    labels[str(option_value)] = str(option_label)
        return [(v, labels.get(v, v)) for v in values]

    def optgroups(self, name, value, attrs=None):
        values = _selected(value)
        options = []
        if not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0, attrs=attrs))
        for index, (option_value, label) in enumerate(self._chosen(values), start=1):
            options.append(self.create_option(name, option_value, label, True, index, attrs=attrs))
        return [(None, options, 0)]

    def format_value(self, value):
        return _selected(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-picker"] = "multiple" if self.allow_multiple_selected else "single"
        widget_attrs["data-picker-url"] = str(self.url)
        widget_attrs["data-picker-placeholder"] = str(self.placeholder or _("Type to search"))
        widget_attrs["data-picker-empty"] = str(_("Nothing found"))
        widget_attrs["data-picker-remove"] = str(_("Remove"))
        return context


class SearchSelectMultiple(SearchSelect):
    """Several choices (a team), picked by searching `url`; only the chosen options are rendered."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        try:
            getter = data.getlist
        except AttributeError:
            getter = data.get
        return getter(name)

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty multiple select sends nothing
