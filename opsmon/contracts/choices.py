from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractStatus(models.TextChoices):
    DRAFTING = "drafting", _("Drafting")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    SIGNED = "signed", _("Signed")
    ARCHIVED = "archived", _("Archived")
    TERMINATED = "terminated", _("Terminated")


class AmendmentStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class MilestoneTrigger(models.TextChoices):
    """What makes a payment milestone billable (its billing condition)."""

    SIGNING = "signing", _("On signing")
    DELIVERY = "delivery", _("On delivery")
    ACCEPTANCE = "acceptance", _("On acceptance")
    WARRANTY_END = "warranty_end", _("At warranty end")
    DATE = "date", _("On a date")


class AttachmentKind(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment")
    SIGNED_COPY = "signed_copy", _("Signed copy")


# Contract terms an amendment may change, and that each version keeps.
TERMS = ("amount", "currency", "tax_rate", "start_on", "end_on", "terms", "milestones")
