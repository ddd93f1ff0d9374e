"""Receipt actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

SUBMITTED = register_event("receipt.submitted", _("Delivery submitted for inspection"))
ACCEPTED = register_event("receipt.accepted", _("Delivery accepted"))
REJECTED = register_event("receipt.rejected", _("Delivery rejected"))
CANCELLED = register_event("receipt.cancelled", _("Delivery cancelled"))

# Every timeline action the module writes (services and core.workflow.transition), and its notification kinds.
register("receipt.created", _("Delivery recorded"))
register("receipt.submit", _("Delivery submitted for inspection"), webhook=SUBMITTED)
register("receipt.accept", _("Delivery accepted"), webhook=ACCEPTED)
register("receipt.reject", _("Delivery rejected"), webhook=REJECTED)
register("receipt.cancel", _("Delivery cancelled"), webhook=CANCELLED)
register("purchaseorder.delivery_recorded", _("Delivery recorded"))
