"""Periodic work, queued for the task worker by `opsmon serve`: webhook and notification (e-mail, group robot)
retries that have come due, the daily reminders, the users' daily digests, the daily purge of finished jobs older
than JOB_KEEP_DAYS (core.jobs.purge) and, with a directory configured, the directory sync. Project level: it may
import every module. Cron can do the same with `opsmon deliver_webhooks`,
`opsmon deliver_notifications`, `opsmon remind`, `opsmon send_digests` and `opsmon directory_sync`.

Any number of nodes may tick the schedule at once: each job is claimed in the database first
(opsmon.core.lease), so it is queued once per interval whichever node gets there first (issue 19).
"""

import logging
import os
import socket
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from opsmon.core.jobs import purge_jobs
from opsmon.core.lease import claim, last_run
from opsmon.directory.config import enabled as directory_enabled
from opsmon.directory.tasks import sync_directory
from opsmon.integrations.models import WebhookDelivery
from opsmon.integrations.tasks import deliver_webhooks
from opsmon.notifications.digest import any_due as digests_due
from opsmon.notifications.digest import send_digests
from opsmon.notifications.outbox import deliver_messages, pending_due
from opsmon.notifications.tasks import send_reminders

log = logging.getLogger("opsmon.schedule")

WEBHOOK_SWEEP = timedelta(minutes=1)
REMINDERS = timedelta(days=1)
MESSAGE_SWEEP = timedelta(minutes=1)
DIGESTS = timedelta(minutes=5)  # each user's digest goes at the time he chose; the job finds who is due
DIRECTORY_SYNC = timedelta(hours=1)
JOB_PURGE = timedelta(days=1)


def node_name() -> str:
    return os.environ.get("OPSMON_NODE") or f"{socket.gethostname()}:{os.getpid()}"


class Scheduler:
    """`tick` queues what is due (call it often, it is cheap: the database is asked only when a job may be due)."""

    def __init__(self, node: str | None = None):
        self.node = node or node_name()
        self.last: dict[str, datetime] = {}  # what this process knows of each job's last run (any node's)
        self.ticked = False

    def _due(self, name: str, every: timedelta, now: datetime) -> bool:
        known = self.last.get(name)
        if known is not None and now - known < every:
            return False
        if claim(name, every, now, self.node):
            self.last[name] = now
            log.info("periodic job %s claimed by %s at %s", name, self.node, now.isoformat())
            return True
        self.last[name] = last_run(name) or now  # another node ran it
        return False

    def tick(self, now: datetime | None = None) -> list[str]:
        """Queue the due jobs; answers their names. Failures are logged and retried on a later tick."""
        now = now or timezone.now()
        queued = []
        if not self.ticked:
            log.info("periodic schedule ticked by %s", self.node)
            self.ticked = True
        try:
            with transaction.atomic():  # the claim and the queued task commit together
                if self._due("webhooks", WEBHOOK_SWEEP, now) and WebhookDelivery.objects.filter(
                        status="pending", next_attempt_at__lte=now).exists():
                    deliver_webhooks.enqueue()
                    queued.append("webhooks")
            with transaction.atomic():
                if self._due("messages", MESSAGE_SWEEP, now) and pending_due(now):
                    deliver_messages.enqueue()
                    queued.append("messages")
            with transaction.atomic():
                if self._due("reminders", REMINDERS, now):
                    send_reminders.enqueue()
                    queued.append("reminders")
            with transaction.atomic():
                if self._due("digests", DIGESTS, now) and digests_due(now):
                    send_digests.enqueue()
                    queued.append("digests")
            with transaction.atomic():
                if directory_enabled() and self._due("directory", DIRECTORY_SYNC, now):
                    sync_directory.enqueue()
                    queued.append("directory")
            with transaction.atomic():
                if self._due("jobs", JOB_PURGE, now):
                    purge_jobs.enqueue()
                    queued.append("jobs")
        except Exception:  # a lost database must not stop the supervisor; the next tick tries again
            log.exception("could not queue periodic work")
            self.last.clear()
        return queued
