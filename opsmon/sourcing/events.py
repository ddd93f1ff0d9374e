"""Sourcing actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

OPENED = register_event("sourcing.opened", _("Sourcing opened for quotations"))
AWARDED = register_event("sourcing.awarded", _("Sourcing awarded"))
FAILED = register_event("sourcing.failed", _("Sourcing failed"))
CANCELLED = register_event("sourcing.cancelled", _("Sourcing cancelled"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved"), and the notification kinds it sends.
register("sourcing.created", _("Sourcing created"))
register("sourcing.open", _("Sourcing opened for quotations"), webhook=OPENED)
register("sourcing.quotation_recorded", _("Quotation recorded"))
register("sourcing.evaluate", _("Evaluation started"))
register("sourcing.award_saved", _("Award written"))
register("sourcing.submit_award", _("Award submitted for review"))
register("sourcing.step_approved", _("Review step approved"))
register("sourcing.approved", _("Award approved"), webhook=AWARDED)
register("sourcing.returned", _("Award returned for changes"))
register("sourcing.rejected", _("Award rejected (failed)"), webhook=FAILED)
register("sourcing.fail", _("Sourcing failed (流标)"), webhook=FAILED)
register("sourcing.cancel", _("Sourcing cancelled"), webhook=CANCELLED)
register("sourcing.done", _("Orders created"))
