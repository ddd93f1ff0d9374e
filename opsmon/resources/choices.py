from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class PeopleRole(models.TextChoices):
    """The presales people a request asks for (people-days per role)."""

    TECH_LEAD = "tech_lead", _("Technical lead")
    ENGINEER = "engineer", _("Engineer")
    BUSINESS = "business", _("Business")


class BudgetKind(models.TextChoices):
    """The presales budget a request asks for (the purchase budget for delivery is procurement's)."""

    TRAVEL = "travel", _("Travel")
    TENDER_FEES = "tender_fees", _("Tender fees")
    DOCUMENTS = "documents", _("Document production")
    OTHER = "other", _("Other")


# What an effort log is against: a people role (days) or a budget kind (amount).
EFFORT_KINDS = [*PeopleRole.choices, *BudgetKind.choices]
