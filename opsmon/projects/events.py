"""Project actions and events, declared once with their labels (core.events): every timeline action key the module
writes (`timeline.record(action=...)` and `project.<action>` from core.workflow.transition) and the webhooks."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

APPROVED = register_event("project.approved", _("Project approved"))
ROUTED = register_event("project.routed", _("Project routed"))
# How a project ends (DOMAIN.md "Lifecycle: outcomes flow back"): one outbound event per outcome.
REJECTED = register_event("project.rejected", _("Project rejected"))
CANCELLED = register_event("project.cancelled", _("Project cancelled"))
RETENDERED = register_event("project.retendered", _("Project bids again"))
LOST = register_event("project.lost", _("Project lost"))
WON = register_event("project.won", _("Project won"))
TERMINATED = register_event("project.terminated", _("Project terminated"))
IN_DELIVERY = register_event("project.in_delivery", _("Project in delivery"))
DELIVERY_PROGRESS = register_event("project.delivery_progress", _("Project delivery progress"))
DELIVERED = register_event("project.delivered", _("Project delivered"))
ACCEPTED = register_event("project.accepted", _("Project accepted by the customer"))
HALTED = register_event("project.delivery_halted", _("Project delivery halted"))
MILESTONE_DONE = register_event("project.milestone_done", _("Project milestone done"))
# The webhook of each delivery event of rules.DELIVERY_EVENTS.
DELIVERY_WEBHOOKS = {"accepted": IN_DELIVERY, "progress": DELIVERY_PROGRESS, "delivered": DELIVERED,
                     "customer_accepted": ACCEPTED, "halted": HALTED, "milestone_done": MILESTONE_DONE}

register("project.created", _("Created from the opportunity"))
register("project.updated", _("Updated"))
register("project.assign_lead", _("Technical lead assigned"))
register("project.feasibility_saved", _("Review draft saved"))
register("project.submit_feasibility", _("Review submitted"))
register("project.approve", _("Approved"), webhook=APPROVED)
register("project.send_back", _("Sent back"))
register("project.reject", _("Rejected"), webhook=REJECTED)
register("project.route_implementation", _("Handed to implementation"), webhook=ROUTED)
register("project.route_bidding", _("Routed to bidding"), webhook=ROUTED)
register("project.route_contract_review", _("Routed to contract review"), webhook=ROUTED)
register("project.cancel", _("Cancelled"), webhook=CANCELLED)
RETENDER = register("project.retender", _("Bids again after an abandoned bid"), webhook=RETENDERED)
register("project.close", _("Closed as lost"), webhook=LOST)
register("project.bid_lost", _("Lost with its bid"), webhook=LOST)
register("project.win", _("Won: contract signed"), webhook=WON)
register("project.terminate", _("Terminated with its contract"), webhook=TERMINATED)
register("project.delivery_accepted", _("Delivery started (reported by the outside system)"), webhook=IN_DELIVERY)
DELIVERY_PROGRESS_ACTION = register("project.delivery_progress", _("Delivery progress reported"),
                                    webhook=DELIVERY_PROGRESS)
register("project.delivery_delivered", _("Delivered (reported by the outside system)"), webhook=DELIVERED)
register("project.delivery_customer_accepted", _("Accepted by the customer (reported by the outside system)"),
         webhook=ACCEPTED)
DELIVERY_HALTED_ACTION = register("project.delivery_halted", _("Delivery halted (reported by the outside system)"),
                                  webhook=HALTED)
DELIVERY_MILESTONE_ACTION = register("project.delivery_milestone_done",
                                     _("Milestone done (reported by the outside system)"), webhook=MILESTONE_DONE)
