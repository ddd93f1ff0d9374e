"""Contract review (合同评审): routes the admin configures, and the rounds and steps they produce."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from ..choices import DeciderKind, Decision, ReviewStatus, StepMode, StepStatus


class ReviewRoute(models.Model):
    """Steps for contracts of a type (blank = any type) whose amount lies in [min_amount, max_amount)."""

    name = models.CharField(_("name"), max_length=100)
    contract_type = models.CharField(_("contract type"), max_length=32, blank=True)
    min_amount = MoneyField(_("from amount"), default=0)
    max_amount = MoneyField(_("below amount"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review route")
        verbose_name_plural = _("review routes")
        ordering = ["contract_type", "min_amount", "id"]

    def __str__(self):
        return self.name


class RouteStep(models.Model):
    route = models.ForeignKey(ReviewRoute, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("step kind"), max_length=32)  # code table review_step_kind
    decider_kind = models.CharField(_("deciders"), max_length=16, choices=DeciderKind.choices)
    role = models.CharField(_("role"), max_length=32, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("users"))
    mode = models.CharField(_("mode"), max_length=8, choices=StepMode.choices, default=StepMode.ANY)

    class Meta:
        verbose_name = _("route step")
        verbose_name_plural = _("route steps")
        ordering = ["route", "position"]
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="uniq_route_step_position")]

    def __str__(self):
        return f"{self.route} #{self.position} {self.kind}"


class Review(models.Model):
    """One round of review of a contract (amendment = None) or of one amendment; rounds are kept."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="reviews")
    amendment = models.ForeignKey("contracts.Amendment", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="reviews")
    round = models.PositiveIntegerField(_("round"))
    route = models.ForeignKey(ReviewRoute, on_delete=models.PROTECT, related_name="+")
    route_name = models.CharField(_("route"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.IN_REVIEW)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("contract review")
        verbose_name_plural = _("contract reviews")
        ordering = ["contract", "round"]
        constraints = [models.UniqueConstraint(fields=["contract", "round"], name="uniq_review_round")]

    def __str__(self):
        return f"{self.contract} R{self.round}"


class ReviewStep(models.Model):
    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("step kind"), max_length=32)
    mode = models.CharField(_("mode"), max_length=8, choices=StepMode.choices)
    status = models.CharField(_("status"), max_length=16, choices=StepStatus.choices, default=StepStatus.WAITING)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")
        ordering = ["review", "position"]
        constraints = [models.UniqueConstraint(fields=["review", "position"], name="uniq_review_step_position")]
        indexes = [models.Index(fields=["status"], name="review_step_status_idx")]

    def __str__(self):
        return f"{self.review} #{self.position}"


class StepDecider(models.Model):
    """A user who decides a step, fixed when the round starts, and his decision."""

    step = models.ForeignKey(ReviewStep, on_delete=models.PROTECT, related_name="deciders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("step decider")
        ordering = ["step", "id"]
        constraints = [models.UniqueConstraint(fields=["step", "user"], name="uniq_step_decider")]

    def __str__(self):
        return f"{self.step}: {self.user}"
