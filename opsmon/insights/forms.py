"""The dashboard's filter bar: it parses input for the page; the figures validate again (filters.parse)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.selectors import items as code_items
from opsmon.core.web import StyledForm

from . import scope
from .filters import DEFAULT_CURRENCY


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DashboardFilterForm(StyledForm, forms.Form):
    department = forms.TypedChoiceField(label=_("Department"), coerce=int, required=False, empty_value=None)
    currency = forms.ChoiceField(label=_("Currency"), required=False)

    def __init__(self, data, *, actor):
        super().__init__(data)
        # The query string says from/to (API.md), names a class attribute cannot have.
        self.fields = {"from": forms.DateField(label=_("From"), required=False, widget=DateInput),
                       "to": forms.DateField(label=_("To"), required=False, widget=DateInput), **self.fields}
        self.fields["department"].choices = [("", _("All I may see")), *(
            (d.pk, ("· " * d.depth) + d.name) for d in scope.departments(actor))]
        self.fields["currency"].choices = [(c.code, f"{c.code} {c.label}") for c in code_items(table="currency")]
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field, forms.ChoiceField)
                                          else "form-control")

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end of the period is before its start."))
        return data

    def query(self) -> dict:
        """The valid filters as the API's query parameters; an invalid one is left out (its error is shown)."""
        self.is_valid()
        data = self.cleaned_data
        out = {key: data[key].isoformat() for key in ("from", "to") if data.get(key)}
        if data.get("department"):
            out["department"] = str(data["department"])
        out["currency"] = data.get("currency") or DEFAULT_CURRENCY
        return out
