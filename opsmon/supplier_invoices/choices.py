from django.db import models
from django.utils.translation import gettext_lazy as _


class InvoiceStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MATCHED = "matched", _("Matched")
    MISMATCH = "mismatch", _("Mismatch")
    VERIFIED = "verified", _("Verified")
    CANCELLED = "cancelled", _("Cancelled (红冲)")
