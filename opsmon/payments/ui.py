"""The desktop client's description of payment requests and retentions (core.ui; registered by web.ui_resources).
A request is filed from its order (the web page shows the ceiling); the client reads requests and retentions and
fires their actions."""

from django.utils.translation import gettext_lazy as _

from opsmon.approvals.models import Review, ReviewStep
from opsmon.core.forms import field_label
from opsmon.core.ui import Action, Field, Related, Resource, Section

from .choices import PaymentKind, PaymentStatus, RetentionStatus
from .models import PaymentRequest, Retention

P, R = PaymentRequest, Retention


def f(model, name: str, kind: str = "text", *, path: str | None = None, **kw) -> Field:
    return Field(path or name, field_label(model, name), kind, **kw)


COMMENT = Field("comment", _("Comment"), "longtext")
REASON = Field("reason", _("Reason"), "longtext")
TIMELINE = (Field("at", _("At"), "datetime"), Field("actor.display_name", _("Who")),
            Field("action_label", _("What")), Field("comment", _("Comment")))

PAYMENT_REQUESTS = Resource(
    name="payment-requests", path="/payment-requests", title=_("Payment requests"), item_title=P._meta.verbose_name,
    record_type="paymentrequest", title_field="kind_label",
    columns=(f(P, "number"), f(P, "order", path="order.number"), f(P, "kind", path="kind_label"),
             f(P, "amount", "money"), f(P, "due_on", "date"), f(P, "status", path="status_label"),
             f(P, "owner", path="owner.display_name")),
    filters=(f(P, "status", "choice", choices=tuple(PaymentStatus.choices)),
             f(P, "kind", "choice", choices=tuple(PaymentKind.choices)), Field("mine", _("Mine only"), "bool")),
    sections=(Section(P._meta.verbose_name, (
        f(P, "order", path="order.number"), f(P, "kind", path="kind_label"), f(P, "amount", "money"),
        f(P, "payee_account", path="payee_account.account_no"), f(P, "due_on", "date"),
        f(P, "owner", path="owner.display_name"), f(P, "note", "longtext"),
        Field("current_step.kind.label", ReviewStep._meta.verbose_name), f(P, "paid_on", "date"),
        f(P, "paid_amount", "money"), f(P, "method", path="method.label"), f(P, "reference"),
        f(P, "status_reason"))),),
    related=(
        Related("invoices", P._meta.get_field("invoices").verbose_name, "", (
            Field("number", _("Number")), Field("invoice_number", _("Invoice number")),
            Field("total", _("Total"), "money")), expand="invoices"),
        Related("reviews", _("Review"), "/payment-requests/{id}/reviews", (
            f(Review, "round", "integer"), f(ReviewStep, "position", "integer"),
            f(ReviewStep, "kind", path="kind.label"), Field("status_label", _("Status")),
            Field("deciders", _("Deciders"), "users")), expand="steps"),
        Related("timeline", _("Timeline"), "/payment-requests/{id}/timeline", TIMELINE),
    ),
    actions=(
        Action("submit", _("Submit for review"), "/payment-requests/{id}/submit-review", confirm=True),
        Action("approve", _("Approve"), "/payment-requests/{id}/reviews/{current_step.id}/approve", "POST",
               "CommentIn", (COMMENT,)),
        Action("return", _("Return for changes"), "/payment-requests/{id}/reviews/{current_step.id}/return",
               "POST", "CommentIn", (COMMENT,)),
        Action("reject", _("Reject"), "/payment-requests/{id}/reviews/{current_step.id}/reject", "POST",
               "CommentIn", (COMMENT,)),
        Action("pay", _("Record the payment"), "/payment-requests/{id}/pay", "POST", "PaymentPayIn", (
            Field("paid_on", P._meta.get_field("paid_on").verbose_name, "date"),
            Field("amount", P._meta.get_field("paid_amount").verbose_name, "money"),
            Field("method", P._meta.get_field("method").verbose_name, "code", table="payment_method"),
            Field("reference", P._meta.get_field("reference").verbose_name))),
        Action("cancel", _("Cancel the payment request"), "/payment-requests/{id}/cancel", "POST", "ReasonIn",
               (REASON,)),
    ),
    order=76,
)

RETENTIONS = Resource(
    name="retentions", path="/retentions", title=_("Retentions"), item_title=R._meta.verbose_name,
    record_type="retention", number_field="order.number", title_field="order.title", search=False,
    columns=(f(R, "order", path="order.number"), f(R, "amount", "money"), f(R, "due_on", "date"),
             f(R, "status", path="status_label")),
    filters=(f(R, "status", "choice", choices=tuple(RetentionStatus.choices)), Field("due", _("Due only"), "bool")),
    sections=(Section(R._meta.verbose_name, (
        f(R, "order", path="order.number"), f(R, "amount", "money"), f(R, "due_on", "date"),
        f(R, "signed_off_by", path="signed_off_by.display_name"), f(R, "sign_off_comment"),
        f(R, "released_by", path="released_by.display_name"), f(R, "deduction", "money"),
        f(R, "deduction_reason"), Field("releasable", _("Releasable"), "money"))),),
    actions=(
        Action("sign_off", _("Sign off: no open defects"), "/retentions/{id}/sign-off", "POST", "SignOffIn",
               (COMMENT,)),
        Action("release", _("Release the retention"), "/retentions/{id}/release", "POST", "RetentionReleaseIn", (
            Field("deduction", R._meta.get_field("deduction").verbose_name, "money"),
            Field("reason", _("Reason of the deduction"), "longtext"))),
    ),
    order=77,
)
