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


S = ProjectStatus
# action: (allowed source states, target state) — DOMAIN.md, "Project".
TRANSITIONS = {
    "assign_lead": ({S.AWAITING_LEAD, S.FEASIBILITY}, S.FEASIBILITY),
    "submit_feasibility": ({S.FEASIBILITY}, S.PENDING_APPROVAL),
    "approve": ({S.PENDING_APPROVAL}, S.APPROVED),
    "send_back": ({S.PENDING_APPROVAL}, S.FEASIBILITY),
    "reject": ({S.PENDING_APPROVAL}, S.REJECTED),
    "route_implementation": ({S.APPROVED}, S.IMPLEMENTATION),
    "route_bidding": ({S.APPROVED}, S.BIDDING),
    "route_contract_review": ({S.APPROVED}, S.CONTRACT_REVIEW),
    "cancel": ({S.AWAITING_LEAD, S.FEASIBILITY, S.PENDING_APPROVAL, S.APPROVED}, S.CANCELLED),
}
FINAL = frozenset({S.REJECTED, S.CANCELLED, S.IMPLEMENTATION, S.BIDDING, S.CONTRACT_REVIEW})
