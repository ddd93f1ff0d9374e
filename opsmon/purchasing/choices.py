from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")
    TERMINATED = "terminated", _("Terminated")


class MilestoneKind(models.TextChoices):
    ADVANCE = "advance", _("Advance (预付款)")
    DELIVERY = "delivery", _("On delivery (到货款)")
    ACCEPTANCE = "acceptance", _("On acceptance (验收款)")
    RETENTION = "retention", _("Retention (质保金)")


class AmendmentStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
