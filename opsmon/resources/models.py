"""Project resources (立项资源): what a project's owner asks for after approval (people-days per role, presales
budget per kind), what the deciders granted, and the effort and cost logged against the project."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import EFFORT_KINDS, BudgetKind, PeopleRole, RequestStatus

DAYS = {"max_digits": 7, "decimal_places": 1}


class ResourceRequest(models.Model):
    """One request of a project; reviewed on the approvals engine (kind "resource_request")."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="resource_requests",
                                verbose_name=_("project"))
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.DRAFT, editable=False)
    note = models.TextField(_("note"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("filed by"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status"], name="resources_request_project_idx")]

    def __str__(self):
        return f"{self.project.number} #{self.pk}"


class PeopleLine(models.Model):
    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="people")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    role = models.CharField(_("role"), max_length=16, choices=PeopleRole.choices)
    days = models.DecimalField(_("person-days asked"), **DAYS)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("person wanted"))
    granted_days = models.DecimalField(_("person-days granted"), null=True, blank=True, **DAYS)

    class Meta:
        verbose_name = _("people line")
        ordering = ["request", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(days__gt=0), name="resources_people_days_positive")]

    def __str__(self):
        return f"{self.get_role_display()} {self.days}"


class BudgetLine(models.Model):
    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="budget")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=BudgetKind.choices)
    amount = MoneyField(_("amount asked"))
    granted_amount = MoneyField(_("amount granted"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget line")
        ordering = ["request", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="resources_budget_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class EffortLog(models.Model):
    """Effort (days) and/or cost (amount) spent on a project by one person on one day."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="effort_logs",
                                verbose_name=_("project"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("who"))
    on = models.DateField(_("date"))
    days = models.DecimalField(_("person-days"), null=True, blank=True, **DAYS)
    amount = MoneyField(_("amount"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=EFFORT_KINDS)
    note = models.CharField(_("note"), max_length=500, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("logged by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("effort log")
        verbose_name_plural = _("effort logs")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["project", "-on"], name="resources_effort_project_idx")]
        constraints = [models.CheckConstraint(condition=Q(days__isnull=False) | Q(amount__isnull=False),
                                              name="resources_effort_days_or_amount")]

    def __str__(self):
        return f"{self.project_id} {self.on} {self.user_id}"
