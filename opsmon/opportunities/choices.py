from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityStatus(models.TextChoices):
    TRACKING = "tracking", _("Tracking")
    CONVERSION_REQUESTED = "conversion_requested", _("Conversion requested")
    CONVERTED = "converted", _("Converted")
    CLOSED = "closed", _("Closed")


class Outcome(models.TextChoices):
    """How the sale ended, beside the status history (DOMAIN.md "Lifecycle"); blank while it is open."""

    WON = "won", _("Won")
    LOST = "lost", _("Lost")


# State groups the model's properties and the selectors use; the transitions are in rules.py.
EDITABLE = frozenset({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED})
FOLLOW_UP_ALLOWED = frozenset({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED,
                               OpportunityStatus.CONVERTED})
