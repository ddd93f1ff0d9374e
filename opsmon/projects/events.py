"""Project actions and events, declared once with their labels (core.events): every timeline action key the module
writes (`timeline.record(action=...)` and `project.<action>` from core.workflow.transition) and the webhooks."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

APPROVED = register_event("project.approved", _("Project approved"))
ROUTED = register_event("project.routed", _("Project routed"))

register("project.created", _("Created from the opportunity"))
register("project.updated", _("Updated"))
register("project.assign_lead", _("Technical lead assigned"))
register("project.feasibility_saved", _("Review draft saved"))
register("project.submit_feasibility", _("Review submitted"))
register("project.approve", _("Approved"), webhook=APPROVED)
register("project.send_back", _("Sent back"))
register("project.reject", _("Rejected"))
register("project.route_implementation", _("Handed to implementation"), webhook=ROUTED)
register("project.route_bidding", _("Routed to bidding"), webhook=ROUTED)
register("project.route_contract_review", _("Routed to contract review"), webhook=ROUTED)
register("project.cancel", _("Cancelled"))
