"""Projects (立项): opportunities a leader decided to put resources on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import Conclusion, ProjectStatus, ReviewStatus, Route


class Project(models.Model):
    """Created by converting an opportunity; carries its customer, amount and team."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    opportunity = models.OneToOneField("opportunities.Opportunity", on_delete=models.PROTECT,
                                       related_name="project", verbose_name=_("opportunity"))
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("customer"))
    estimated_amount = MoneyField(_("estimated amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(_("status"), max_length=24, choices=ProjectStatus.choices,
                              default=ProjectStatus.AWAITING_LEAD, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="projects",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="team_projects",
                                     verbose_name=_("team members"))
    tech_lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="led_projects", verbose_name=_("technical lead"))
    routed_to = models.CharField(_("routed to"), max_length=24, choices=Route.choices, blank=True, editable=False)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True, editable=False)
    close_reason = models.CharField(_("close reason"), max_length=500, blank=True, editable=False)
    delivery_percent = models.PositiveSmallIntegerField(_("delivery progress (%)"), null=True, blank=True,
                                                        editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="project_status_created_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"


class FeasibilityReview(models.Model):
    """The technical lead's technical and implementation feasibility analysis (可行性分析)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="review")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    technical_assessment = models.TextField(_("technical assessment"), blank=True)
    implementation_assessment = models.TextField(_("implementation assessment"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    estimated_effort_days = models.DecimalField(_("estimated effort (person-days)"), max_digits=8,
                                                decimal_places=1, null=True, blank=True)
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT,
                              editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("feasibility review")
        verbose_name_plural = _("feasibility reviews")

    def __str__(self):
        return f"{self.project.number} {self.get_conclusion_display()}"
