"""Periodic work runs once per schedule however many nodes tick it (issue 19).

Every `opsmon serve` may tick the schedule (opsmon/schedule.py). Before a job is queued, its row here is claimed
with one conditional UPDATE: `last_run_at = now WHERE name = job AND last_run_at <= now - interval`. The database
lets exactly one of several nodes that try at the same moment change the row (the others' UPDATE then matches
nothing), so each job is queued once per interval; the claim and the queued task commit together, so a failure
in between leaves neither. SQLite and PostgreSQL alike; no clock is trusted but the callers' own `now`.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, models, transaction
from django.db.models import F


class PeriodicLease(models.Model):
    """One row per periodic job: when it last ran, on which node, how often in all."""

    name = models.CharField("job", max_length=64, primary_key=True)
    last_run_at = models.DateTimeField("last run at")
    node = models.CharField("node", max_length=200)
    runs = models.PositiveBigIntegerField("runs", default=0)

    class Meta:
        app_label = "core"
        verbose_name = "periodic job lease"

    def __str__(self):
        return f"{self.name} (last run {self.last_run_at:%Y-%m-%d %H:%M:%S} on {self.node})"


def claim(name: str, every: timedelta, now: datetime, node: str) -> bool:
    """True for exactly one caller per `every` (call inside the transaction that queues the job)."""
    taken = PeriodicLease.objects.filter(name=name, last_run_at__lte=now - every).update(
        last_run_at=now, node=node, runs=F("runs") + 1)
    if taken:
        return True
    if PeriodicLease.objects.filter(name=name).exists():
        return False
    try:
        with transaction.atomic():  # a savepoint: the loser of a race to create the row keeps its transaction
            PeriodicLease.objects.create(name=name, last_run_at=now, node=node, runs=1)
    except IntegrityError:
        return False
    return True


def last_run(name: str) -> datetime | None:
    return PeriodicLease.objects.filter(name=name).values_list("last_run_at", flat=True).first()
