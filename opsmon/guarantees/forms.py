"""The letter pages' forms: they parse, the services decide (a refusal is put next to its field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.core.forms import AmountField, field_label
from opsmon.core.web import StyledForm

from .choices import LetterStatus
from .models import GuaranteeLetter, LetterPeriod
from .selectors import LetterFilters


class DateInput(forms.DateInput):
    input_type = "date"


def _date(model, name):
    return forms.DateField(label=field_label(model, name), required=False, widget=DateInput)


class LetterForm(StyledForm, forms.Form):
    bank = forms.CharField(label=field_label(GuaranteeLetter, "bank"), max_length=200, required=False)
    number = forms.CharField(label=field_label(GuaranteeLetter, "number"), max_length=100, required=False)
    amount = AmountField(label=field_label(GuaranteeLetter, "amount"), required=False)
    beneficiary = forms.CharField(label=field_label(GuaranteeLetter, "beneficiary"), max_length=200, required=False)
    valid_from = _date(GuaranteeLetter, "valid_from")
    valid_to = _date(GuaranteeLetter, "valid_to")


class ExtendForm(StyledForm, forms.Form):
    valid_to = forms.DateField(label=_("New end of validity"), required=False, widget=DateInput)
    note = forms.CharField(label=field_label(LetterPeriod, "note"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="extend", **kwargs)


class ReleaseForm(StyledForm, forms.Form):
    released_on = _date(GuaranteeLetter, "released_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="release", **kwargs)


class LetterFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(GuaranteeLetter, "status"), required=False,
                               choices=[("", _("All statuses")), *LetterStatus.choices])
    expiring_within = forms.IntegerField(label=_("Ending within (days)"), min_value=0, max_value=3650,
                                         required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("q", "status", "expiring_within"):
            self.fields[name].widget.attrs["aria-label"] = self.fields[name].label
        self.fields["q"].widget.attrs["placeholder"] = _("Letter number, bank, beneficiary, bid or contract")
        self.fields["expiring_within"].widget.attrs["placeholder"] = _("Ending within (days)")

    def filters(self) -> LetterFilters:
        """The valid filters (an invalid one is ignored), as the list's one filter class."""
        self.is_valid()
        data = self.cleaned_data
        return LetterFilters(q=data.get("q") or "", status=data.get("status") or "",
                             expiring_within=data.get("expiring_within"))
