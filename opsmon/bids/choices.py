from django.db import models
from django.utils.translation import gettext_lazy as _


class BidStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    PREPARING = "preparing", _("Preparing")
    SUBMITTED = "submitted", _("Submitted")
    OPENED = "opened", _("Opened")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    ABANDONED = "abandoned", _("Abandoned")


class Decision(models.TextChoices):
    BID = "bid", _("Bid")
    NO_BID = "no_bid", _("Do not bid")


class DocumentKind(models.TextChoices):
    TENDER = "tender", _("Tender document")
    BID = "bid", _("Our bid document")
    CLARIFICATION = "clarification", _("Clarification")
    RESULT = "result", _("Result notice")
    OTHER = "other", _("Other")


class BondKind(models.TextChoices):
    BID = "bid", _("Bid bond")
    PERFORMANCE = "performance", _("Performance bond")


class BondStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")
    FORFEITED = "forfeited", _("Forfeited")
    CONVERTED = "converted_to_performance", _("Converted to performance bond")


S = BidStatus
# The transition tables live in rules.py.
FINISHED = frozenset({S.WON, S.LOST, S.ABANDONED})
VOIDED = frozenset({S.LOST, S.ABANDONED})
