"""Page forms: a payment request on an order, paying it, the reason and comment of the actions, the retention's
sign-off and release, the list filters. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options
from opsmon.core import lists
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import PaymentKind, PaymentStatus
from .models import PaymentRequest


class PaymentForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=field_label(PaymentRequest, "kind"), choices=PaymentKind.choices)
    amount = forms.CharField(label=field_label(PaymentRequest, "amount"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    payee_account_id = forms.TypedChoiceField(label=field_label(PaymentRequest, "payee_account"), coerce=int,
                                              required=False, empty_value=None)
    invoice_ids = forms.TypedMultipleChoiceField(label=field_label(PaymentRequest, "invoices"), coerce=int,
                                                 required=False, widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=field_label(PaymentRequest, "note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, accounts, invoices, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["payee_account_id"].choices = [("", "—"), *((a.pk, f"{a.bank} {a.account_name} {a.account_no}")
                                                               for a in accounts)]
        self.fields["invoice_ids"].choices = [(i.pk, f"{i.number} {i.invoice_number} ¥{i.total:,.2f}")
                                              for i in invoices]

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"kind": d["kind"], "amount": d["amount"], "payee_account_id": d["payee_account_id"],
                "invoice_ids": d["invoice_ids"], "note": d["note"]}


class PayForm(StyledForm, forms.Form):
    paid_on = forms.DateField(label=field_label(PaymentRequest, "paid_on"), required=False,
                              widget=DateInput)
    amount = forms.CharField(label=field_label(PaymentRequest, "paid_amount"), max_length=30, required=False,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    method = forms.ChoiceField(label=field_label(PaymentRequest, "method"), required=False)
    reference = forms.CharField(label=field_label(PaymentRequest, "reference"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = [("", "—"), *code_options("payment_method")["payment_method"]]

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"paid_on": d["paid_on"], "amount": d["amount"], "method": d["method"], "reference": d["reference"]}


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class SignOffForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("No open defects.")}))


class ReleaseForm(StyledForm, forms.Form):
    deduction = forms.CharField(label=_("Deduction"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "0.00"}))
    reason = forms.CharField(label=_("Reason of the deduction"), max_length=500, required=False)


class PaymentFilterForm(lists.ListFilterForm):
    """The payment request list's filters (core.lists); the payables-ageing dashboard links here with a due range."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any status")),
                                                                           *PaymentStatus.choices])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any kind")), *PaymentKind.choices])
    owner = lists.owner_field(field_label(PaymentRequest, "owner"))
    due_from = lists.date_field(_("Due from"))
    due_to = lists.date_field(_("Due to"))

    lookups = {"status": "status", "kind": "kind", "owner": "owner_id", "due_from": "due_on__gte",
               "due_to": "due_on__lte"}
    search = ("number__icontains", "order__number__icontains", "order__supplier__name__icontains")
    mine_lookup = "owner_id"
    ranges = (("due_from", "due_to"),)
    sortable = ("number", "amount", "due_on", "created_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Number, order or supplier")
