"""Notification actions, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register

register("robot.created", _("Group robot added"))
register("robot.updated", _("Group robot edited"))
register("outgoing.retried", _("Message sent again"))
