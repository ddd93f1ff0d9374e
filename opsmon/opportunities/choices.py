from django.db import models
from django.utils.translation import gettext_lazy as _


class OpportunityStatus(models.TextChoices):
    TRACKING = "tracking", _("Tracking")
    CONVERSION_REQUESTED = "conversion_requested", _("Conversion requested")
    CONVERTED = "converted", _("Converted")
    CLOSED = "closed", _("Closed")


# Where each transition may start (DOMAIN.md, "Opportunity").
TRANSITIONS = {
    "request_conversion": ({OpportunityStatus.TRACKING}, OpportunityStatus.CONVERSION_REQUESTED),
    "keep_tracking": ({OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.TRACKING),
    "convert": ({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.CONVERTED),
    "close": ({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.CLOSED),
    "reopen": ({OpportunityStatus.CLOSED}, OpportunityStatus.TRACKING),
}
EDITABLE = frozenset({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED})
FOLLOW_UP_ALLOWED = frozenset({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED,
                               OpportunityStatus.CONVERTED})
