from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for quotations")
    EVALUATING = "evaluating", _("Evaluating")
    AWARD_REVIEW = "award_review", _("Award in review")
    AWARDED = "awarded", _("Awarded")
    DONE = "done", _("Orders created")
    FAILED = "failed", _("Failed (流标)")
    CANCELLED = "cancelled", _("Cancelled")
