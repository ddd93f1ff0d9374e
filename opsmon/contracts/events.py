"""Contract and amendment actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

SIGNED = register_event("contract.signed", _("Contract signed"))
AMENDED = register_event("contract.amended", _("Contract amended"))

# Every timeline action the module writes (services, core.workflow.transition and the approvals engine's
# "<record>.step_approved").
register("contract.drafted", _("Draft created"))
register("contract.updated", _("Draft edited"))
register("contract.file_attached", _("File attached"))
register("contract.submitted", _("Submitted for review"))
register("contract.step_approved", _("Review step approved"))
register("contract.review_rejected", _("Review rejected"))
register("contract.review_approved", _("Review approved"))
register("contract.signed", _("Signed"), webhook=SIGNED)
register("contract.archived", _("Archived"))
register("contract.terminated", _("Terminated"))
register("contract.amendment_proposed", _("Amendment proposed"))
register("contract.amendment_rejected", _("Amendment rejected"))
register("contract.amended", _("Amendment approved: new version"), webhook=AMENDED)
register("contract.milestone_delivered", _("Milestone delivered (reported by the outside system)"))
