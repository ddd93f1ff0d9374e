"""The review engine's tables: routes the admin configures per subject kind, and the rounds, steps and deciders
they produce. A round knows its subject by kind name and id (`kinds.py`), and the record it is filed under (the
subject itself, or e.g. an amendment's contract) through a generic key, so the record's rounds are one query."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import DeciderKind, Decision, ReviewStatus, StepMode, StepStatus


class Route(models.Model):
    """Steps for subjects of a kind whose type (blank = any), category (blank = any), department (empty = any; a
    department covers those under it) and amount in [min_amount, max_amount) match."""

    kind = models.CharField(_("subject kind"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    type_code = models.CharField(_("type"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=32, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    min_amount = MoneyField(_("from amount"), default=0)
    max_amount = MoneyField(_("below amount"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review route")
        verbose_name_plural = _("review routes")
        ordering = ["kind", "type_code", "min_amount", "id"]
        indexes = [models.Index(fields=["kind", "active"], name="approvals_route_kind_idx")]

    def __str__(self):
        return self.name


class RouteStep(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="steps")
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
        constraints = [models.UniqueConstraint(fields=["route", "position"], name="approvals_route_step_position")]

    def __str__(self):
        return f"{self.route} #{self.position} {self.kind}"


class Review(models.Model):
    """One round of review of one subject; rounds are kept, numbered per record."""

    kind = models.CharField(_("subject kind"), max_length=32)
    subject_id = models.PositiveBigIntegerField()
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    round = models.PositiveIntegerField(_("round"))
    route = models.ForeignKey(Route, on_delete=models.PROTECT, related_name="+")
    route_name = models.CharField(_("route"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ReviewStatus.choices,
                              default=ReviewStatus.IN_REVIEW)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        ordering = ["record_type", "record_id", "round"]
        constraints = [models.UniqueConstraint(fields=["record_type", "record_id", "round"],
                                               name="approvals_review_round")]
        indexes = [models.Index(fields=["kind", "subject_id"], name="approvals_review_subject_idx")]

    def __str__(self):
        return f"{self.kind} {self.subject_id} R{self.round}"


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
        constraints = [models.UniqueConstraint(fields=["review", "position"], name="approvals_step_position")]
        indexes = [models.Index(fields=["status"], name="approvals_step_status_idx")]

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
        constraints = [models.UniqueConstraint(fields=["step", "user"], name="approvals_step_decider")]

    def __str__(self):
        return f"{self.step}: {self.user}"
