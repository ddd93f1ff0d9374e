"""Inbox items of notifications: the admin sees messages the outbox gave up on."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem, provider

from .models import Outgoing, OutgoingStatus

RECENT = timedelta(days=7)


@provider
def failed_messages(actor):
    if not actor.is_admin:
        return
    failed = Outgoing.objects.filter(status=OutgoingStatus.FAILED, created_at__gte=timezone.now() - RECENT)
    latest = failed.order_by("-created_at").first()
    if latest is not None:
        yield InboxItem("notifications.outbox_failed",
                        _("Messages that could not be delivered: %(n)s") % {"n": failed.count()},
                        latest.summary, "/admin/outbox/?status=failed", "outgoing", latest.pk, latest.created_at)
