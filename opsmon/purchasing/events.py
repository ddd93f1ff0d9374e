"""Purchase order actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

CREATED = register_event("purchase_order.created", _("Purchase order created"))
SUBMITTED = register_event("purchase_order.submitted", _("Purchase order submitted for review"))
APPROVED = register_event("purchase_order.approved", _("Purchase order approved"))
SIGNED = register_event("purchase_order.signed", _("Purchase order signed"))
CANCELLED = register_event("purchase_order.cancelled", _("Purchase order cancelled"))
TERMINATED = register_event("purchase_order.terminated", _("Purchase order terminated"))
COMPLETED = register_event("purchase_order.completed", _("Purchase order completed"))
CLOSED = register_event("purchase_order.closed", _("Purchase order closed"))
AMENDED = register_event("purchase_order.amended", _("Purchase order amended"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved"), and the notification kinds it sends.
register("purchaseorder.created", _("Purchase order created"), webhook=CREATED)
register("purchaseorder.updated", _("Purchase order edited"))
register("purchaseorder.submit", _("Purchase order submitted for review"), webhook=SUBMITTED)
register("purchaseorder.step_approved", _("Review step approved"))
register("purchaseorder.approved", _("Purchase order approved"), webhook=APPROVED)
register("purchaseorder.returned", _("Returned for changes"))
register("purchaseorder.rejected", _("Purchase order rejected"))
register("purchaseorder.sign", _("Purchase order signed"), webhook=SIGNED)
register("purchaseorder.cancel", _("Purchase order cancelled"), webhook=CANCELLED)
register("purchaseorder.terminate", _("Purchase order terminated"), webhook=TERMINATED)
register("purchaseorder.complete", _("Purchase order completed"), webhook=COMPLETED)
register("purchaseorder.close", _("Purchase order closed"), webhook=CLOSED)
register("purchaseorder.amendment_proposed", _("Amendment proposed"))
register("purchaseorder.amended", _("Purchase order amended"), webhook=AMENDED)
register("purchaseorder.amendment_rejected", _("Amendment rejected"))
