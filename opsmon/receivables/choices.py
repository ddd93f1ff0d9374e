from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceType(models.TextChoices):
    VAT_SPECIAL = "vat_special", _("VAT special invoice (增值税专用发票)")
    VAT_ORDINARY = "vat_ordinary", _("Ordinary invoice (普通发票)")


class CollectionMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    BANK_ACCEPTANCE = "bank_acceptance", _("Bank acceptance bill")
    COMMERCIAL_ACCEPTANCE = "commercial_acceptance", _("Commercial acceptance bill")
    CHEQUE = "cheque", _("Cheque")
    OTHER = "other", _("Other")


class Bucket(models.TextChoices):
    """Ageing buckets of overdue receivables, by days overdue."""

    UP_TO_30 = "0-30", _("0–30 days")
    UP_TO_90 = "31-90", _("31–90 days")
    UP_TO_180 = "91-180", _("91–180 days")
    OVER_180 = "180+", _("Over 180 days")


# bucket → (fewest, most) days overdue; None: no upper bound
BUCKET_DAYS = {Bucket.UP_TO_30: (1, 30), Bucket.UP_TO_90: (31, 90), Bucket.UP_TO_180: (91, 180),
               Bucket.OVER_180: (181, None)}


def bucket_of(days: int | None) -> str:
    """The bucket of a receivable `days` overdue; "" when it is not overdue."""
    if not days or days < 1:
        return ""
    return next(b for b, (low, high) in BUCKET_DAYS.items() if high is None or days <= high)
