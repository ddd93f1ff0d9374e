"""The desktop client's description of supplier invoices (core.ui; registered by web.ui_resources). Invoices are
recorded on the web page (the supplier's order lines are chosen there, with the scan); the client reads them,
each line's match result, and fires their actions."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import InvoiceStatus
from .models import SupplierInvoice, SupplierInvoiceLine

V, L = SupplierInvoice, SupplierInvoiceLine


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


REASON = Field("reason", _("Reason"), "longtext")

SUPPLIER_INVOICES = Resource(
    name="supplier-invoices", path="/supplier-invoices", title=_("Supplier invoices"),
    item_title=V._meta.verbose_name, record_type="supplierinvoice", title_field="invoice_number",
    columns=(f(V, "number"), f(V, "supplier", path="supplier.name"), f(V, "invoice_type", path="invoice_type.label"),
             f(V, "invoice_number"), f(V, "issued_on", "date"), f(V, "total", "money"),
             f(V, "status", path="status_label")),
    filters=(f(V, "status", "choice", choices=tuple(InvoiceStatus.choices)),),
    sections=(Section(V._meta.verbose_name, (
        f(V, "supplier", path="supplier.name"), f(V, "invoice_type", path="invoice_type.label"), f(V, "code"),
        f(V, "invoice_number"), f(V, "issued_on", "date"), f(V, "seller_tax_id"), f(V, "total", "money"),
        f(V, "variance_reason"), f(V, "verified_by", path="verified_by.display_name"),
        f(V, "verified_at", "datetime"), f(V, "status_reason"),
        f(V, "created_by", path="created_by.display_name"))),),
    related=(
        Related("lines", L._meta.verbose_name_plural, "", (
            Field("order_line.order.number", _("Order")), Field("order_line.item", _("Item")), f(L, "qty"),
            f(L, "amount", "money"), f(L, "expected", "money"), f(L, "tax_rate"), f(L, "matched", "bool"),
            f(L, "mismatch")), expand="lines"),
        Related("timeline", _("Timeline"), "/supplier-invoices/{id}/timeline", (
            Field("at", _("At"), "datetime"), Field("actor.display_name", _("Who")), Field("action_label", _("What")),
            Field("comment", _("Comment")))),
    ),
    actions=(
        Action("accept_variance", _("Accept the variance"), "/supplier-invoices/{id}/accept-variance", "POST",
               "ReasonIn", (REASON,), confirm=True),
        Action("verify", _("Verify"), "/supplier-invoices/{id}/verify", confirm=True),
        Action("cancel", _("Cancel (红冲)"), "/supplier-invoices/{id}/cancel", "POST", "ReasonIn", (REASON,),
               confirm=True),
    ),
    order=75,
)
