"""The desktop client's description of sourcings (core.ui; registered by web.ui_resources). Quotations and the
award are written on the web page (a table per supplier and line); the client reads them and fires the other
actions."""

from django.utils.translation import gettext_lazy as _

from opsmon.approvals.models import Review, ReviewStep
from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import SourcingStatus
from .models import Quotation, Sourcing, SourcingLine

S, L, Q = Sourcing, SourcingLine, Quotation


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


COMMENT = Field("comment", _("Comment"), "longtext")
REASON = Field("reason", _("Reason"), "longtext")

SOURCINGS = Resource(
    name="sourcings", path="/sourcings", title=_("Sourcing and comparison"), item_title=S._meta.verbose_name,
    record_type="sourcing",
    columns=(f(S, "number"), f(S, "title"), f(S, "method", path="method.label"),
             f(S, "owner", path="owner.display_name"), f(S, "estimate", "money"), f(S, "deadline", "datetime"),
             f(S, "status", path="status_label")),
    filters=(f(S, "status", "choice", choices=tuple(SourcingStatus.choices)), Field("mine", _("Mine only"), "bool")),
    sections=(Section(S._meta.verbose_name, (
        f(S, "method", path="method.label"), f(S, "owner", path="owner.display_name"), f(S, "department"),
        f(S, "deadline", "datetime"), f(S, "estimate", "money"), Field("awarded_total", _("Awarded total"), "money"),
        f(S, "single_source_reason", path="single_source_reason.label"), f(S, "justification", "longtext"),
        f(S, "override_reason", "longtext"), Field("current_step.kind.label", ReviewStep._meta.verbose_name),
        f(S, "status_reason"))),),
    related=(
        Related("lines", L._meta.verbose_name_plural, "", (
            Field("request.number", _("Request")), Field("item", _("Item")), Field("qty", _("Quantity")),
            Field("unit.label", _("Unit")), Field("est_amount", _("Est. amount"), "money"),
            Field("awarded_supplier.name", _("Awarded quotation")),
            Field("awarded_amount", _("Amount"), "money"), Field("drop_reason", _("Reason for dropping"))),
            expand="lines"),
        Related("quotations", Q._meta.verbose_name_plural, "/sourcings/{id}/quotations", (
            Field("supplier.name", _("Supplier")), f(Q, "valid_until", "date"),
            f(Q, "delivery_days", "integer"), f(Q, "total", "money"))),
        Related("reviews", _("Review"), "/sourcings/{id}/reviews", (
            f(Review, "round", "integer"), f(ReviewStep, "position", "integer"),
            f(ReviewStep, "kind", path="kind.label"), Field("status_label", _("Status")),
            Field("deciders", _("Deciders"), "users")), expand="steps"),
    ),
    actions=(
        Action("open", _("Open the sourcing"), "/sourcings/{id}/open", confirm=True),
        Action("evaluate", _("Start the evaluation"), "/sourcings/{id}/evaluate", confirm=True),
        Action("submit_award", _("Submit the award for review"), "/sourcings/{id}/submit-award", confirm=True),
        Action("approve", _("Approve"), "/sourcings/{id}/reviews/{current_step.id}/approve", "POST",
               "SourcingCommentIn", (COMMENT,)),
        Action("return", _("Return for changes"), "/sourcings/{id}/reviews/{current_step.id}/return", "POST",
               "SourcingCommentIn", (COMMENT,)),
        Action("reject", _("Reject"), "/sourcings/{id}/reviews/{current_step.id}/reject", "POST",
               "SourcingCommentIn", (COMMENT,)),
        Action("fail", _("Fail (流标)"), "/sourcings/{id}/fail", "POST", "SourcingReasonIn", (REASON,)),
        Action("cancel", _("Cancel the sourcing"), "/sourcings/{id}/cancel", "POST", "SourcingReasonIn", (REASON,)),
    ),
    order=72,
)
