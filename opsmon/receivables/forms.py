"""Forms of the receivables pages; they parse input, the services decide (and name the fields they refuse)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.models import Department, User
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import Bucket, CollectionMethod, InvoiceType
from .models import Collection, Invoice
from .selectors import ORDERINGS, ReceivableFilters


def _amount(label) -> forms.CharField:
    """Amounts stay text here: the service refuses more than two decimals rather than a form rounding them."""
    return forms.CharField(label=label, max_length=30, widget=forms.TextInput(attrs={"inputmode": "decimal"}))


class _MilestoneForm(StyledForm, forms.Form):
    milestone = forms.TypedChoiceField(label=_("Payment milestone"), coerce=int)

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.fields["milestone"].choices = [(m.pk, f"{m.position}. {m.name}") for m in contract.milestones.all()]

    def chosen_milestone(self):
        return self.contract.milestones.get(pk=self.cleaned_data["milestone"])


class InvoiceForm(_MilestoneForm):
    number = forms.CharField(label=field_label(Invoice, "number"), max_length=40)
    invoice_type = forms.ChoiceField(label=field_label(Invoice, "invoice_type"), choices=InvoiceType.choices)
    tax_rate = forms.CharField(label=field_label(Invoice, "tax_rate"), max_length=10)
    amount = _amount(field_label(Invoice, "amount"))
    issued_on = forms.DateField(label=field_label(Invoice, "issued_on"), widget=DateInput)

    def __init__(self, *args, contract, **kwargs):
        kwargs.setdefault("prefix", "invoice")
        kwargs.setdefault("initial", {"tax_rate": f"{contract.tax_rate:.2f}" if contract.tax_rate is not None else "",
                                      "issued_on": timezone.localdate()})
        super().__init__(*args, contract=contract, **kwargs)

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {"milestone": self.chosen_milestone(), "number": data["number"], "invoice_type": data["invoice_type"],
                "tax_rate": data["tax_rate"], "amount": data["amount"], "issued_on": data["issued_on"]}


class CollectionForm(_MilestoneForm):
    amount = _amount(field_label(Collection, "amount"))
    received_on = forms.DateField(label=field_label(Collection, "received_on"), widget=DateInput)
    method = forms.ChoiceField(label=field_label(Collection, "method"), choices=CollectionMethod.choices)
    reference = forms.CharField(label=field_label(Collection, "reference"), max_length=100, required=False)
    prepayment = forms.BooleanField(label=field_label(Collection, "prepayment"), required=False)

    def __init__(self, *args, contract, **kwargs):
        kwargs.setdefault("prefix", "collection")
        kwargs.setdefault("initial", {"received_on": timezone.localdate()})
        super().__init__(*args, contract=contract, **kwargs)

    def service_args(self) -> dict:
        data = self.cleaned_data
        return {"milestone": self.chosen_milestone(), "amount": data["amount"], "received_on": data["received_on"],
                "method": data["method"], "reference": data["reference"], "prepayment": data["prepayment"]}


class ReceivableFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    bucket = forms.ChoiceField(label=_("Days overdue"), required=False,
                               choices=[("", _("Any")), *Bucket.choices])
    department = forms.TypedChoiceField(label=_("Department"), required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    ordering = forms.ChoiceField(required=False, choices=[(o, o) for o in sorted(ORDERINGS)],
                                 widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("Any")), *((d.pk, d.name) for d in
                                                              Department.objects.filter(active=True).order_by("path"))]
        self.fields["owner"].choices = [("", _("Any")), *((u.pk, str(u)) for u in User.objects.filter(
            is_active=True, contracts__isnull=False).distinct().order_by("username"))]

    def filters(self) -> ReceivableFilters:
        if not self.is_valid():
            return ReceivableFilters()
        d = self.cleaned_data
        return ReceivableFilters(q=d["q"].strip(), overdue=d["overdue"], bucket=d["bucket"] or "",
                                 department=d["department"], owner=d["owner"], ordering=d["ordering"] or "due")
