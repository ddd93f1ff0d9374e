from django.db import models
from django.utils.translation import gettext_lazy as _


class ReceiptStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INSPECTING = "inspecting", _("Inspecting")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
