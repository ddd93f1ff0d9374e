from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    AWAITING_LEAD = "awaiting_lead", _("Awaiting technical lead")
    FEASIBILITY = "feasibility", _("Feasibility review")
    PENDING_APPROVAL = "pending_approval", _("Pending approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    IMPLEMENTATION = "implementation", _("Handed to implementation")
    BIDDING = "bidding", _("Bidding")
    CONTRACT_REVIEW = "contract_review", _("Contract review")
    CANCELLED = "cancelled", _("Cancelled")
    # How a project ends (DOMAIN.md "Lifecycle"): the outcome flows back from its bid, contract and delivery.
    LOST = "lost", _("Lost")
    WON = "won", _("Won")
    IN_DELIVERY = "in_delivery", _("In delivery")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED = "accepted", _("Accepted by the customer")
    TERMINATED = "terminated", _("Terminated")


class Route(models.TextChoices):
    IMPLEMENTATION = "implementation", _("Implementation")
    BIDDING = "bidding", _("Bidding")
    CONTRACT_REVIEW = "contract_review", _("Contract review")


class Conclusion(models.TextChoices):
    FEASIBLE = "feasible", _("Feasible")
    CONDITIONAL = "conditional", _("Feasible with conditions")
    INFEASIBLE = "infeasible", _("Infeasible")


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")



class HandoffStatus(models.TextChoices):
    """The delivery of the hand-off to implementation (projects.hooks.handoff_state); "none": nobody listens."""

    DELIVERED = "delivered", _("Delivered")
    PENDING = "pending", _("Pending")
    FAILED = "failed", _("Failed")
    NONE = "none", _("No receiving system configured")
