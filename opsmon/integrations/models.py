"""Outbound webhooks: endpoints an admin registers and the deliveries made to them."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WebhookEndpoint(models.Model):
    """A receiver outside OpsMon (e.g. the project-monitoring system) and the events it wants."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(_("secret"), max_length=200)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class WebhookDelivery(models.Model):
    """One event for one endpoint; retried with backoff until delivered or out of attempts."""

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, editable=False, db_index=True)
    event = models.CharField(_("event"), max_length=64)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The record the event is about, so its page can show whether the hand-off went out.
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event_id"], name="uniq_delivery_per_event")]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="delivery_subject_idx")]

    def __str__(self):
        return f"{self.event} → {self.endpoint}"


class IntegrationAccount(models.Model):
    """An outside system that talks back (e.g. the project-monitoring system): a user with the `integration` role
    only, no department, no password (it cannot sign in), authenticated by long-lived bearer tokens an admin
    issues. It is active while its user is; it sees only the projects handed to it (Handoff)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="integration",
                                verbose_name=_("user"))
    receives_handoffs = models.BooleanField(_("receives hand-offs"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("integration account")
        verbose_name_plural = _("integration accounts")
        ordering = ["user__username"]

    def __str__(self):
        return str(self.user)

    @property
    def name(self) -> str:
        return self.user.username

    @property
    def display_name(self) -> str:
        return self.user.display_name or self.user.username

    @property
    def active(self) -> bool:
        return self.user.is_active


class Handoff(models.Model):
    """One project handed to one integration account (routed to implementation, or its contract signed); its id
    is the `handoff_id` the outside system reports back with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="handoffs",
                                verbose_name=_("project"))
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="handoffs", verbose_name=_("contract"))
    account = models.ForeignKey(IntegrationAccount, on_delete=models.PROTECT, related_name="handoffs",
                                verbose_name=_("integration account"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "project"], name="handoff_account_project_idx")]

    def __str__(self):
        return f"{self.project_id} → {self.account_id}"


class DeliveryEvent(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted for delivery")
    PROGRESS = "progress", _("Progress")
    MILESTONE_DONE = "milestone_done", _("Milestone done")
    DELIVERED = "delivered", _("Delivered")
    CUSTOMER_ACCEPTED = "customer_accepted", _("Accepted by the customer")
    HALTED = "halted", _("Halted")


class Outcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    PENDING = "pending", _("Pending: waits for an earlier event")
    DUPLICATE = "duplicate", _("Duplicate: already on the project")
    SUPERSEDED = "superseded", _("Superseded by a later event")


class InboundEvent(models.Model):
    """Every status event an outside system posted (integrations.inbound), kept with the answer it got, so a
    repeated idempotency key answers the same, and events are applied in order of `at`."""

    account = models.ForeignKey(IntegrationAccount, on_delete=models.PROTECT, related_name="inbound_events",
                                verbose_name=_("integration account"))
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    body_hash = models.CharField(max_length=64)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("project"))
    handoff = models.ForeignKey(Handoff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    event = models.CharField(_("event"), max_length=24, choices=DeliveryEvent.choices)
    at = models.DateTimeField(_("at"))
    percent = models.PositiveSmallIntegerField(_("percent"), null=True, blank=True)
    milestone = models.ForeignKey("contracts.Milestone", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("milestone"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # The first answer (status code and body), given again to a repeated idempotency key.
    answer_status = models.PositiveSmallIntegerField()
    answer = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("inbound event")
        verbose_name_plural = _("inbound events")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["account", "idempotency_key"],
                                               name="uniq_inbound_idempotency_key")]
        indexes = [models.Index(fields=["project", "outcome", "at"], name="inbound_project_outcome_idx")]

    def __str__(self):
        return f"{self.event} {self.at:%Y-%m-%d %H:%M} ({self.outcome})"
