from django.db import models
from django.utils.translation import gettext_lazy as _


class DeciderKind(models.TextChoices):
    ROLE = "role", _("Everyone with a role")
    OWNER_HEAD = "owner_head", _("Head of the owner's department")
    USERS = "users", _("Named users")


class StepMode(models.TextChoices):
    ANY = "any", _("Any one of them (或签)")
    ALL = "all", _("All of them (会签)")


class ReviewStatus(models.TextChoices):
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")


class StepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CURRENT = "current", _("Current")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    RETURNED = "returned", _("Returned")
    SKIPPED = "skipped", _("Not reached")


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return for changes")
