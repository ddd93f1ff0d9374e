"""Periodic work runs once per schedule however many nodes tick it (issue 19): the database lease
(opsmon.core.lease) lets exactly one of several schedulers claim a due job, also when they try at the same moment
from separate connections (each thread here is a node with a connection of its own)."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from opsmon.core.lease import PeriodicLease
from opsmon.schedule import Scheduler

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_job_another_node_ran_is_not_due_on_this_one(org, settings):
    settings.TASKS = DUMMY
    now = timezone.now()
    a, b = Scheduler("node-a"), Scheduler("node-b")
    assert a.tick(now) == ["reminders", "jobs"]
    assert b.tick(now + timedelta(seconds=1)) == []
    assert b.tick(now + timedelta(hours=23)) == []
    assert b.tick(now + timedelta(days=1, seconds=1)) == ["reminders", "jobs"]
    assert a.tick(now + timedelta(days=1, seconds=2)) == []
    lease = PeriodicLease.objects.get(name="reminders")
    assert (lease.node, lease.runs) == ("node-b", 2)


@pytest.mark.django_db(transaction=True)
def test_eight_nodes_ticking_at_the_same_moment_queue_each_job_once(org, settings):
    settings.TASKS = DUMMY
    now = timezone.now()
    nodes = 8
    barrier = threading.Barrier(nodes)
    queued: list[str] = []
    errors: list[Exception] = []

    def node(i):
        try:
            scheduler = Scheduler(f"node-{i}")
            for step in range(3):  # three rounds a day apart: reminders due each round
                barrier.wait()
                queued.extend(scheduler.tick(now + timedelta(days=step)))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=node, args=(i,)) for i in range(nodes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert Counter(queued) == {"reminders": 3, "jobs": 3}
    lease = PeriodicLease.objects.get(name="reminders")
    assert lease.runs == 3 and lease.last_run_at == now + timedelta(days=2)
