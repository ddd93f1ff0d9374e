"""The desktop client's description of purchase requests (core.ui; registered by web.ui_resources)."""

from django.utils.translation import gettext_lazy as _

from opsmon.approvals.models import Review, ReviewStep
from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import RequestStatus
from .models import PurchaseRequest, RequestLine

P, L = PurchaseRequest, RequestLine


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


COMMENT = Field("comment", _("Comment"), "longtext")
REASON = Field("reason", _("Reason"), "longtext")
EDIT_FIELDS = (f(P, "title"), f(P, "project", "ref", path="project_id", resource="projects"),
               f(P, "contract", "ref", path="contract_id", resource="contracts"), f(P, "note", "longtext"),
               Field("lines", L._meta.verbose_name_plural, "rows"))

PURCHASE_REQUESTS = Resource(
    name="purchase-requests", path="/purchase-requests", title=_("Purchase requests"), item_title=P._meta.verbose_name,
    record_type="purchaserequest",
    columns=(f(P, "number"), f(P, "title"), f(P, "project", path="project.number"),
             f(P, "owner", path="owner.display_name"), f(P, "total", "money"), f(P, "status", path="status_label"),
             f(P, "created_at", "datetime")),
    filters=(f(P, "status", "choice", choices=tuple(RequestStatus.choices)), Field("mine", _("Mine only"), "bool")),
    sections=(Section(P._meta.verbose_name, (
        f(P, "project", path="project.number"), f(P, "contract", path="contract.number"),
        f(P, "owner", path="owner.display_name"), f(P, "department"), f(P, "total", "money"),
        Field("currency", _("Currency")),
        f(P, "budget_warning"), Field("current_step.kind.label", ReviewStep._meta.verbose_name),
        f(P, "note", "longtext"), f(P, "cancel_reason"))),),
    related=(
        Related("lines", L._meta.verbose_name_plural, "", (
            f(L, "item"), f(L, "spec"), f(L, "category", path="category.label"), f(L, "qty"),
            f(L, "unit", path="unit.label"), f(L, "est_unit_price"), f(L, "amount", "money"),
            f(L, "need_by", "date")), expand="lines"),
        Related("reviews", _("Review"), "/purchase-requests/{id}/reviews", (
            f(Review, "round", "integer"), f(ReviewStep, "position", "integer"),
            f(ReviewStep, "kind", path="kind.label"), Field("status_label", _("Status")),
            Field("deciders", _("Deciders"), "users")), expand="steps"),
        Related("timeline", _("Timeline"), "/purchase-requests/{id}/timeline", (
            Field("at", _("At"), "datetime"), Field("actor.display_name", _("Who")), Field("action_label", _("What")),
            Field("comment", _("Comment")))),
    ),
    actions=(
        Action("edit", _("Edit"), "/purchase-requests/{id}", "PATCH", "RequestPatch", EDIT_FIELDS, prefill="record"),
        Action("submit", _("Submit for review"), "/purchase-requests/{id}/submit", confirm=True),
        Action("approve", _("Approve"), "/purchase-requests/{id}/reviews/{current_step.id}/approve", "POST",
               "CommentIn", (COMMENT,)),
        Action("return", _("Return for changes"), "/purchase-requests/{id}/reviews/{current_step.id}/return", "POST",
               "CommentIn", (COMMENT,)),
        Action("reject", _("Reject"), "/purchase-requests/{id}/reviews/{current_step.id}/reject", "POST",
               "CommentIn", (COMMENT,)),
        Action("cancel", _("Cancel the request"), "/purchase-requests/{id}/cancel", "POST", "ReasonIn", (REASON,)),
        Action("close", _("Close"), "/purchase-requests/{id}/close", "POST", "ReasonIn", (REASON,)),
    ),
    create=Action("create", _("New purchase request"), "/purchase-requests", "POST", "PurchaseRequestIn", EDIT_FIELDS),
    order=70,
)
