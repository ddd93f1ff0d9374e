"""Page forms: the invoice list's filters, the new invoice (header, then one row per order line of the chosen
supplier's orders; rows left empty are not on the invoice), the reason of accepting a variance or cancelling. The
services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from opsmon.codes.forms import code_options
from opsmon.core import lists
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import DateInput, field_label
from opsmon.core.web import StyledForm

from .choices import InvoiceStatus
from .models import SupplierInvoice, SupplierInvoiceLine

ROW_FIELDS = ("qty", "amount", "tax_rate")


class InvoiceFilterForm(lists.ListFilterForm):
    """The supplier invoice list's filters (core.lists)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=field_label(SupplierInvoice, "status"), required=False,
                               choices=[("", _("All statuses")), *InvoiceStatus.choices])
    supplier = forms.TypedChoiceField(label=field_label(SupplierInvoice, "supplier"), coerce=int, required=False,
                                      empty_value=None)
    invoice_type = forms.ChoiceField(label=field_label(SupplierInvoice, "invoice_type"), required=False)
    issued_from = lists.date_field(_("Issued from"))
    issued_to = lists.date_field(_("Issued to"))

    lookups = {"status": "status", "supplier": "supplier_id", "invoice_type": "invoice_type",
               "issued_from": "issued_on__gte", "issued_to": "issued_on__lte"}
    search = ("number__icontains", "invoice_number__icontains", "code__icontains", "supplier__name__icontains")
    mine_lookup = "created_by_id"
    ranges = (("issued_from", "issued_to"),)
    sortable = ("number", "issued_on", "total", "created_at")

    def __init__(self, *args, suppliers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [("", _("All suppliers")), *((s.pk, s.name) for s in suppliers)]
        self.fields["invoice_type"].choices = [("", _("All types")), *code_options("invoice_type")["invoice_type"]]
        self.fields["q"].widget.attrs["placeholder"] = _("Number, invoice number or supplier")


class SupplierChoiceForm(StyledForm, forms.Form):
    supplier = forms.TypedChoiceField(label=field_label(SupplierInvoice, "supplier"), coerce=int, required=True)

    def __init__(self, data=None, *, suppliers, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["supplier"].choices = [("", "—"), *((s.pk, f"{s.name} ({s.credit_code})") for s in suppliers)]


class InvoiceForm(StyledForm, forms.Form):
    invoice_type = forms.ChoiceField(label=field_label(SupplierInvoice, "invoice_type"), required=False)
    code = forms.CharField(label=field_label(SupplierInvoice, "code"), max_length=20, required=False)
    number = forms.CharField(label=field_label(SupplierInvoice, "invoice_number"), max_length=30, required=False)
    issued_on = forms.DateField(label=field_label(SupplierInvoice, "issued_on"), required=False,
                                widget=DateInput)
    seller_tax_id = forms.CharField(label=field_label(SupplierInvoice, "seller_tax_id"), max_length=20,
                                    required=False, help_text=_("The supplier's unified social credit code."))
    total = forms.CharField(label=field_label(SupplierInvoice, "total"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                            help_text=_("Optional: the lines must add up to it."))
    file = forms.FileField(label=field_label(SupplierInvoice, "file"), required=False,
                           help_text=_("The scanned invoice: PDF, JPG or PNG."))

    def __init__(self, data=None, files=None, *, order_lines, **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["invoice_type"].choices = [("", "—"), *code_options("invoice_type")["invoice_type"]]
        self.order_lines = list(order_lines)
        self.rows = []
        for ol in self.order_lines:
            names = {}
            for name in ROW_FIELDS:
                key = f"line-{ol.pk}-{name}"
                label = field_label(SupplierInvoiceLine, name)
                self.fields[key] = forms.CharField(
                    label=label, max_length=30, required=False,
                    initial=f"{ol.tax_rate.normalize():f}" if name == "tax_rate" else None,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "aria-label": f"{ol.item} {label}",
                                                  "class": "form-control form-control-sm"}))
                names[name] = key
            self.rows.append({"order_line": ol, "fields": names})
        self._filled: list[int] = []

    def bound_rows(self):
        """Per order line: the order line and its bound fields (the template's rows)."""
        return [{"order_line": r["order_line"], **{name: self[key] for name, key in r["fields"].items()}}
                for r in self.rows]

    def lines(self) -> list[dict]:
        d, out = self.cleaned_data, []
        self._filled = []
        for r in self.rows:
            values = {name: (d.get(key) or "").strip() for name, key in r["fields"].items()}
            if not values["qty"] and not values["amount"]:
                continue
            self._filled.append(r["order_line"].pk)
            out.append({"order_line_id": r["order_line"].pk, **values})
        return out

    def service_args(self) -> dict:
        d = self.cleaned_data
        return {"invoice_type": d["invoice_type"], "code": d["code"], "number": d["number"],
                "issued_on": d["issued_on"], "seller_tax_id": d["seller_tax_id"], "total": d["total"] or None,
                "upload": d.get("file"), "lines": self.lines()}

    def apply_error(self, error: ApplicationError) -> None:
        """A service's `lines.<n>.<field>` goes to the n-th filled row; `number`, `supplier_id` … to their field."""
        placed = False
        for key, texts in error.fields.items():
            parts = key.split(".")
            target = None
            if parts[0] == "lines" and len(parts) == 3 and parts[1].isdigit() \
                    and 0 < int(parts[1]) <= len(self._filled):
                name = "qty" if parts[2] == "order_line_id" else parts[2]
                target = f"line-{self._filled[int(parts[1]) - 1]}-{name}"
            elif key in self.fields:
                target = key
            for text in texts:
                self.add_error(target if target in self.fields else None, text)
            placed = True
        if not placed:
            self.add_error(None, str(error.message))


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
