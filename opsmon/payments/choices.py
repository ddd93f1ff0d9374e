from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentKind(models.TextChoices):
    ADVANCE = "advance", _("Advance (预付款)")
    PROGRESS = "progress", _("Progress (进度款)")
    RETENTION = "retention", _("Retention (质保金)")


class PaymentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class RetentionStatus(models.TextChoices):
    HELD = "held", _("Held")
    DUE = "due", _("Due")
    RELEASED = "released", _("Released")
    SETTLED = "settled", _("Settled")
