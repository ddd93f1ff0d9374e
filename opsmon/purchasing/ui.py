"""The desktop client's description of purchase orders (core.ui; registered by web.ui_resources). The terms and
milestones of a draft and amendments are written on the web page (rows); the client reads them and fires the other
actions."""

from django.utils.translation import gettext_lazy as _

from opsmon.approvals.models import Review, ReviewStep
from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import OrderStatus
from .models import OrderLine, OrderMilestone, OrderVersion, PurchaseOrder

PO, L, M = PurchaseOrder, OrderLine, OrderMilestone


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


COMMENT = Field("comment", _("Comment"), "longtext")
REASON = Field("reason", _("Reason"), "longtext")
TERMS = (f(PO, "title"), f(PO, "payment_days", "integer"), f(PO, "warranty_months", "integer"),
         f(PO, "invoice_type", "code", table="invoice_type"), f(PO, "pay_after_customer", "bool"),
         f(PO, "delivery_address"), f(PO, "note", "longtext"))

PURCHASE_ORDERS = Resource(
    name="purchase-orders", path="/purchase-orders", title=_("Purchase orders"), item_title=PO._meta.verbose_name,
    record_type="purchaseorder",
    columns=(f(PO, "number"), f(PO, "title"), f(PO, "supplier", path="supplier.name"),
             f(PO, "owner", path="owner.display_name"), f(PO, "total", "money"), f(PO, "status", path="status_label"),
             f(PO, "created_at", "datetime")),
    filters=(f(PO, "status", "choice", choices=tuple(OrderStatus.choices)), Field("mine", _("Mine only"), "bool")),
    sections=(Section(PO._meta.verbose_name, (
        f(PO, "supplier", path="supplier.name"), f(PO, "project", path="project.number"),
        f(PO, "contract", path="contract.number"), f(PO, "owner", path="owner.display_name"),
        f(PO, "total", "money"), f(PO, "total_excl", "money"), f(PO, "award_total", "money"),
        f(PO, "retention_pct"), f(PO, "warranty_months", "integer"), f(PO, "payment_days", "integer"),
        f(PO, "invoice_type", path="invoice_type.label"), f(PO, "pay_after_customer", "bool"),
        f(PO, "delivery_address"), f(PO, "signed_on", "date"), f(PO, "revision", "integer"),
        Field("received", _("Received")), Field("invoiced", _("Invoiced")), Field("paid", _("Paid")),
        Field("current_step.kind.label", ReviewStep._meta.verbose_name), f(PO, "status_reason"),
        f(PO, "note", "longtext"))),),
    related=(
        Related("lines", L._meta.verbose_name_plural, "", (
            f(L, "item"), f(L, "spec"), f(L, "category", path="category.label"), f(L, "qty"),
            f(L, "unit", path="unit.label"), f(L, "unit_price"), f(L, "tax_rate"), f(L, "amount", "money"),
            f(L, "promised_on", "date"), f(L, "dropped_qty")), expand="lines"),
        Related("milestones", M._meta.verbose_name_plural, "", (
            f(M, "kind", path="kind_label"), f(M, "name"), f(M, "percent")), expand="milestones"),
        Related("reviews", _("Review"), "/purchase-orders/{id}/reviews", (
            f(Review, "round", "integer"), f(ReviewStep, "position", "integer"),
            f(ReviewStep, "kind", path="kind.label"), Field("status_label", _("Status")),
            Field("deciders", _("Deciders"), "users")), expand="steps"),
        Related("versions", OrderVersion._meta.verbose_name_plural, "/purchase-orders/{id}/versions", (
            f(OrderVersion, "revision", "integer"), Field("terms.total", PO._meta.get_field("total").verbose_name),
            f(OrderVersion, "created_at", "datetime"))),
        Related("timeline", _("Timeline"), "/purchase-orders/{id}/timeline", (
            Field("at", _("At"), "datetime"), Field("actor.display_name", _("Who")), Field("action_label", _("What")),
            Field("comment", _("Comment")))),
    ),
    actions=(
        Action("edit", _("Edit terms"), "/purchase-orders/{id}", "PATCH", "OrderPatch", TERMS, prefill="record"),
        Action("submit", _("Submit for review"), "/purchase-orders/{id}/submit-review", confirm=True),
        Action("approve", _("Approve"), "/purchase-orders/{id}/reviews/{current_step.id}/approve", "POST",
               "CommentIn", (COMMENT,)),
        Action("return", _("Return for changes"), "/purchase-orders/{id}/reviews/{current_step.id}/return", "POST",
               "CommentIn", (COMMENT,)),
        Action("reject", _("Reject"), "/purchase-orders/{id}/reviews/{current_step.id}/reject", "POST",
               "CommentIn", (COMMENT,)),
        Action("sign", _("Record the signing"), "/purchase-orders/{id}/sign", "POST", "", (
            Field("signed_on", _("Signed on"), "date"), Field("file", _("Signed copy"), "file"))),
        Action("cancel", _("Cancel the order"), "/purchase-orders/{id}/cancel", "POST", "ReasonIn", (REASON,)),
        Action("terminate", _("Terminate"), "/purchase-orders/{id}/terminate", "POST", "ReasonIn", (REASON,)),
        Action("close", _("Close"), "/purchase-orders/{id}/close", confirm=True),
        Action("amend", _("Propose an amendment"), "/purchase-orders/{id}/amendments", "POST", "OrderAmendmentIn", (
            Field("changes", _("Changes"), "json"), REASON)),
    ),
    order=72,
)
