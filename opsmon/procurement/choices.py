from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Superseded")


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # The sourcing states come with sourcings and orders (issue 16, later parts).
    SOURCING = "sourcing", _("Sourcing")
    AWARDED = "awarded", _("Awarded")
    ORDERED = "ordered", _("Ordered")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
