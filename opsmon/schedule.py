"""Periodic work, queued for the task worker by `opsmon serve`: webhook retries that have come due, and the
daily reminders. Project level: it may import every module. Cron can do the same with `opsmon deliver_webhooks`
and `opsmon remind`."""

import logging
from datetime import datetime, timedelta

from django.utils import timezone

from opsmon.integrations.models import WebhookDelivery
from opsmon.integrations.tasks import deliver_webhooks
from opsmon.notifications.tasks import send_reminders

log = logging.getLogger("opsmon.schedule")

WEBHOOK_SWEEP = timedelta(minutes=1)
REMINDERS = timedelta(days=1)


class Scheduler:
    """Remembers when each job was last queued; `tick` queues what is due (call it often, it is cheap)."""

    def __init__(self):
        self.last: dict[str, datetime] = {}

    def _due(self, name: str, every: timedelta, now: datetime) -> bool:
        if now - self.last.get(name, datetime.min.replace(tzinfo=now.tzinfo)) < every:
            return False
        self.last[name] = now
        return True

    def tick(self, now: datetime | None = None) -> list[str]:
        """Queue the due jobs; answers their names. Failures are logged and retried on a later tick."""
        now = now or timezone.now()
        queued = []
        try:
            if self._due("webhooks", WEBHOOK_SWEEP, now) and WebhookDelivery.objects.filter(
                    status="pending", next_attempt_at__lte=now).exists():
                deliver_webhooks.enqueue()
                queued.append("webhooks")
            if self._due("reminders", REMINDERS, now):
                send_reminders.enqueue()
                queued.append("reminders")
        except Exception:  # a lost database must not stop the supervisor; the next tick tries again
            log.exception("could not queue periodic work")
            self.last.clear()
        return queued
