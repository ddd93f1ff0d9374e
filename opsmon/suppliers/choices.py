from django.db import models
from django.utils.translation import gettext_lazy as _


class SupplierStatus(models.TextChoices):
    PENDING = "pending", _("Pending qualification")
    QUALIFIED = "qualified", _("Qualified")
    SUSPENDED = "suspended", _("Suspended")
    BLACKLISTED = "blacklisted", _("Blacklisted")


class Grade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


# The qualification_kind code of the business licence (营业执照): needed to qualify a supplier.
BUSINESS_LICENCE = "business_licence"
# A qualification ending within this many days is flagged (reminders, list filter).
EXPIRY_DAYS = 30
