"""Forms of the supplier pages; they parse input, the services decide (a refusal is put next to its field)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options, label_choices, set_code_choices
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import SupplierStatus
from .models import Supplier, SupplierBankAccount, SupplierQualification
from .selectors import SupplierFilters

BASIC_FIELDS = ("name", "credit_code", "categories", "is_sme", "contact", "phone", "address")


class SupplierFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    status = forms.ChoiceField(label=field_label(Supplier, "status"), required=False,
                               choices=[("", _("All statuses")), *SupplierStatus.choices])
    category = forms.ChoiceField(label=_("Category"), required=False)
    expiring = forms.BooleanField(label=_("Qualification expiring within 30 days"), required=False)

    def __init__(self, *args, labels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Name, number or credit code")
        set_code_choices(self, "category", "supplier_category", label_choices(labels, "supplier_category"),
                         blank=_("All categories"))

    def filters(self) -> SupplierFilters:
        """The valid filters; an invalid one is ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return SupplierFilters(q=data.get("q") or "", status=data.get("status") or "",
                               category=data.get("category") or "", expiring=bool(data.get("expiring")))


class SupplierForm(StyledForm, forms.Form):
    """A supplier's basics; on edit it carries the version it was read at."""

    name = forms.CharField(label=field_label(Supplier, "name"), max_length=200, required=False)
    credit_code = forms.CharField(label=field_label(Supplier, "credit_code"), max_length=40, required=False,
                                  help_text=_("18 characters; checked digit included."))
    categories = forms.MultipleChoiceField(label=_("Categories"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    is_sme = forms.BooleanField(label=field_label(Supplier, "is_sme"), required=False)
    contact = forms.CharField(label=field_label(Supplier, "contact"), max_length=100, required=False)
    phone = forms.CharField(label=field_label(Supplier, "phone"), max_length=40, required=False)
    address = forms.CharField(label=field_label(Supplier, "address"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, supplier: Supplier | None = None, **kwargs):
        if supplier is not None:
            kwargs["initial"] = {**{f: getattr(supplier, f) for f in BASIC_FIELDS if f != "categories"},
                                 "categories": supplier.category_codes, "version": supplier.version}
        super().__init__(*args, **kwargs)
        options = code_options("supplier_category")["supplier_category"]
        current = {c for c, _label in options}
        extra = [(c, c) for c in (supplier.category_codes if supplier else []) if c not in current]
        self.fields["categories"].choices = [*options, *extra]
        self.fields["categories"].widget.attrs["class"] = "form-check-input"
        if supplier is None:
            del self.fields["version"]

    def create_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in BASIC_FIELDS}

    def update_data(self) -> dict:
        return {f: self.cleaned_data[f] for f in BASIC_FIELDS if f in self.changed_data}


class QualificationForm(StyledForm, forms.Form):
    kind = forms.ChoiceField(label=field_label(SupplierQualification, "kind"), required=False)
    number = forms.CharField(label=field_label(SupplierQualification, "number"), max_length=100, required=False)
    valid_from = forms.DateField(label=field_label(SupplierQualification, "valid_from"), required=False,
                                 widget=DateInput)
    valid_to = forms.DateField(label=field_label(SupplierQualification, "valid_to"), required=False,
                               widget=DateInput)
    file = forms.FileField(label=field_label(SupplierQualification, "file"), required=False,
                           help_text=_("PDF, JPG or PNG."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="qualification", **kwargs)
        set_code_choices(self, "kind", "qualification_kind", code_options("qualification_kind")["qualification_kind"],
                         blank="—")


class BankAccountForm(StyledForm, forms.Form):
    bank = forms.CharField(label=field_label(SupplierBankAccount, "bank"), max_length=200, required=False)
    account_name = forms.CharField(label=field_label(SupplierBankAccount, "account_name"), max_length=200,
                                   required=False)
    account_no = forms.CharField(label=field_label(SupplierBankAccount, "account_no"), max_length=64,
                                 required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="account", **kwargs)


class CommentForm(StyledForm, forms.Form):
    comment = forms.CharField(label=_("Comment"), max_length=2000, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="qualify", **kwargs)


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))

    def __init__(self, *args, action: str, **kwargs):
        super().__init__(*args, prefix=action, **kwargs)


class BlacklistForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False, widget=forms.Textarea(
        attrs={"rows": 2}))
    until = forms.DateField(label=field_label(Supplier, "blacklisted_until"), required=False, widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="blacklist", **kwargs)


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))
