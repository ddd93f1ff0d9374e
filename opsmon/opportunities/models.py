"""Opportunities (商机) and their follow-ups (跟踪记录)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import EDITABLE, FOLLOW_UP_ALLOWED, OpportunityStatus, Outcome


class Opportunity(models.Model):
    """A market lead a sales rep found and tracks; the start of all sales work."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="opportunities",
                                 verbose_name=_("customer"))
    source = models.CharField(_("source"), max_length=32, blank=True)
    industry = models.CharField(_("industry"), max_length=32, blank=True)
    region = models.CharField(_("region"), max_length=32, blank=True)
    stage = models.CharField(_("stage"), max_length=32)
    probability = models.PositiveSmallIntegerField(_("win probability (%)"))
    estimated_amount = MoneyField(_("estimated amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    expected_close_date = models.DateField(_("expected close date"))
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=24, choices=OpportunityStatus.choices,
                              default=OpportunityStatus.TRACKING, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opportunities",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_opportunities",
                                     verbose_name=_("team members"))
    close_reason = models.CharField(_("close reason"), max_length=32, blank=True, editable=False)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, blank=True, editable=False)
    next_followup_on = models.DateField(_("next follow-up"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="opp_status_created_idx"),
            models.Index(fields=["department", "-created_at"], name="opp_dept_created_idx"),
            models.Index(fields=["owner", "-created_at"], name="opp_owner_created_idx"),
            models.Index(fields=["expected_close_date"], name="opp_close_date_idx"),
            models.Index(fields=["next_followup_on"], name="opp_next_followup_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_amount__gte=0), name="opp_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(probability__lte=100), name="opp_probability_percent"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def accepts_follow_ups(self) -> bool:
        return self.status in FOLLOW_UP_ALLOWED


class FollowUp(models.Model):
    """A dated note of contact or progress on an opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="follow_ups")
    happened_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=32)
    note = models.TextField(_("note"))
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_date = models.DateField(_("next date"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-happened_on", "-id"]
        indexes = [models.Index(fields=["opportunity", "-happened_on"], name="followup_opp_date_idx")]

    def __str__(self):
        return f"{self.happened_on} {self.kind}"
