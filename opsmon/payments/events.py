"""Payment and retention actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

SUBMITTED = register_event("payment_request.submitted", _("Payment request submitted"))
APPROVED = register_event("payment_request.approved", _("Payment request approved"))
RETURNED = register_event("payment_request.returned", _("Payment request returned"))
REJECTED = register_event("payment_request.rejected", _("Payment request rejected"))
PAID = register_event("payment_request.paid", _("Payment request paid"))
CANCELLED = register_event("payment_request.cancelled", _("Payment request cancelled"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved"), and the notification kinds it sends.
register("paymentrequest.created", _("Payment request created"))
register("paymentrequest.submit", _("Payment request submitted"), webhook=SUBMITTED)
register("paymentrequest.step_approved", _("Review step approved"))
register("paymentrequest.approved", _("Payment request approved"), webhook=APPROVED)
register("paymentrequest.returned", _("Returned for changes"), webhook=RETURNED)
register("paymentrequest.rejected", _("Payment request rejected"), webhook=REJECTED)
register("paymentrequest.pay", _("Payment recorded"), webhook=PAID)
register("paymentrequest.cancel", _("Payment request cancelled"), webhook=CANCELLED)
register("paymentrequest.due", _("Payment due"))
register("retention.held", _("Retention held"))
register("retention.updated", _("Retention recalculated"))
register("retention.due", _("Retention due (warranty ended)"))
register("retention.due_soon", _("Retention due soon"))
register("retention.signed_off", _("Retention signed off: no open defects"))
register("retention.release", _("Retention released"))
register("retention.settle", _("Retention settled"))
