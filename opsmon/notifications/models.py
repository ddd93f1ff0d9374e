"""In-app notifications: a line of text and a link, for one user, read or unread."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """Something the recipient should know; the text is stored in the language of the event (Chinese default)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(_("text"), max_length=1000)  # plain, or a stored phrase (core.phrases)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text


class ChannelSettings(models.Model):
    """Where a user wants to hear of each kind of event (in the app, by e-mail, through his department's group
    robot), in which language, and when his daily digest comes. No row: the site's defaults (in the app only)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_settings")
    channels = models.JSONField(_("channels"), default=dict)  # {event kind: ["inapp", "email", "robot"]}
    language = models.CharField(_("language"), max_length=10, blank=True)
    digest_at = models.TimeField(_("daily digest at"), null=True, blank=True)
    digest_last_on = models.DateField(_("last digest"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class RobotKind(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot (企业微信)")
    DINGTALK = "dingtalk", _("DingTalk group robot (钉钉)")
    FEISHU = "feishu", _("Feishu group robot (飞书)")


class Robot(models.Model):
    """A chat group's incoming-webhook robot: it posts the notices of one department (and the departments below
    it) and/or of chosen kinds of event."""

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=RobotKind.choices)
    url = models.URLField(_("webhook URL"), max_length=500)
    secret = models.CharField(_("signing secret"), max_length=200, blank=True)
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    event_kinds = models.JSONField(_("kinds of event"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("group robot")
        verbose_name_plural = _("group robots")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OutgoingStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Outgoing(models.Model):
    """One message leaving OpsMon (an e-mail, a robot post): written with the change that caused it, sent later by
    the task worker, retried with back-off, and marked failed for the admin after the last attempt."""

    channel = models.CharField(_("channel"), max_length=16)  # "email" or a RobotKind
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="+", verbose_name=_("recipient"))
    robot = models.ForeignKey(Robot, on_delete=models.CASCADE, null=True, blank=True, related_name="messages",
                              verbose_name=_("robot"))
    kind = models.CharField(_("kind of event"), max_length=64)
    summary = models.CharField(_("summary"), max_length=300)
    payload = models.JSONField(_("payload"))
    dedupe_key = models.CharField(max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=OutgoingStatus.choices,
                              default=OutgoingStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    last_status_code = models.PositiveSmallIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outgoing_due_idx")]

    def __str__(self):
        return f"{self.channel}: {self.summary}"
