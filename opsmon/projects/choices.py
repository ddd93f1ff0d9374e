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
