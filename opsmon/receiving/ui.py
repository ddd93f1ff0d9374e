"""The desktop client's description of receipts (core.ui; registered in apps.py)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import ReceiptStatus
from .models import Receipt, ReceiptLine

R, L = Receipt, ReceiptLine


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


RECEIPTS = Resource(
    name="receipts", path="/receipts", title=_("Receipts"), item_title=R._meta.verbose_name, record_type="receipt",
    title_field="order.number",
    columns=(f(R, "number"), f(R, "order", path="order.number"), Field("order.supplier", _("Supplier")),
             f(R, "delivered_on", "date"), f(R, "inspector", path="inspector.display_name"),
             f(R, "status", path="status_label")),
    filters=(f(R, "status", "choice", choices=tuple(ReceiptStatus.choices)), Field("mine", _("Mine"), "bool")),
    sections=(Section(R._meta.verbose_name, (
        f(R, "order", path="order.number"), Field("order.supplier", _("Supplier")), f(R, "delivered_on", "date"),
        f(R, "inspector", path="inspector.display_name"), f(R, "created_by", path="owner.display_name"),
        f(R, "accepted_on", "date"), f(R, "note", "longtext"), f(R, "status_reason"))),),
    related=(
        Related("lines", L._meta.verbose_name_plural, "", (
            Field("position", "#", "integer"), Field("item", _("Item")), Field("ordered", _("Ordered"), "number"),
            f(L, "qty", "number"), f(L, "accepted", "number"), f(L, "rejected", "number"), f(L, "note")),
            expand="lines"),
        Related("timeline", _("Timeline"), "/receipts/{id}/timeline", (
            Field("at", _("At"), "datetime"), Field("actor.display_name", _("Who")), Field("action_label", _("What")),
            Field("comment", _("Comment")))),
    ),
    actions=(
        Action("submit", _("Submit for inspection"), "/receipts/{id}/submit", confirm=True),
        Action("accept", _("Record the inspection"), "/receipts/{id}/accept", "POST", "ReceiptAcceptIn", (
            Field("lines", L._meta.verbose_name_plural, "rows"), f(R, "accepted_on", "date")), confirm=True),
        Action("cancel", _("Cancel the receipt"), "/receipts/{id}/cancel", "POST", "ReasonIn",
               (Field("reason", _("Reason"), "longtext"),), confirm=True),
    ),
    order=74,
)
