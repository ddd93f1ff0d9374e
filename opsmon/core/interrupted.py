"""Background tasks whose worker ended before they did (killed, out of memory, power lost) are marked failed.

django-tasks records on each task the id of the worker that claimed it, and only that worker ever finishes it:
a task whose worker is gone would stay RUNNING for ever, and whatever waits on it (an import's progress page)
with it. `opsmon serve` names each worker it starts `serve:<host>:<pid>:<n>`, so it knows when one is gone: when
it exits, and, at start, any worker of an earlier `opsmon serve` on this machine that is no longer running.
Failing such a task sends django-tasks' `task_finished`, so the module that queued it can react (an import job
shows "failed" and the user imports the file again; its transaction never committed, so nothing was saved).
"""

import itertools
import logging
import os
import socket
import traceback
from collections.abc import Callable, Iterator

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

log = logging.getLogger("opsmon.tasks")

PREFIX = "serve"


class WorkerDied(Exception):
    """The task worker running this task ended before the task did."""


def _host() -> str:
    return socket.gethostname()[:32]


def worker_names() -> Iterator[str]:
    """Worker ids for the workers this process starts: serve:<host>:<pid>:<n> (django-tasks allows 64 chars)."""
    for n in itertools.count(1):
        yield f"{PREFIX}:{_host()}:{os.getpid()}:{n}"


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def stale(worker_id: str) -> bool:
    """A worker of an earlier `opsmon serve` on this machine that is no longer running."""
    parts = worker_id.split(":")
    if len(parts) != 4 or parts[0] != PREFIX or parts[1] != _host() or not parts[2].isdigit():
        return False
    pid = int(parts[2])
    return pid != os.getpid() and not _running(pid)


def fail_tasks_of(gone: Callable[[str], bool]) -> int:
    """Mark failed each RUNNING task whose worker is `gone`; answers how many."""
    failed = 0
    for result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        worker_id = result.worker_ids[-1] if result.worker_ids else ""
        if not worker_id or not gone(worker_id):
            continue
        error = WorkerDied(f"task worker {worker_id} ended while running this task")
        # The task's failure and what its module does about it (an import job shown failed) commit together: if a
        # receiver fails, the task stays RUNNING and the next call tries both again, instead of leaving a task
        # FAILED whose job nobody was told about.
        with transaction.atomic():
            # Compare-and-set: a task that finished meanwhile is left as it is.
            if not DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                    status=TaskResultStatus.FAILED, finished_at=timezone.now(), return_value=None,
                    exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
                    traceback="".join(traceback.format_exception_only(error))):
                continue
            result.refresh_from_db()
            try:
                task_result = result.task_result
            except Exception:  # its task no longer exists in the code: nobody to tell
                log.exception("task %s: cannot load %s", result.pk, result.task_path)
                task_result = None
            if task_result is not None:
                task_finished.send(sender=DatabaseBackend, task_result=task_result)
        failed += 1
        log.warning("task %s (%s) failed: its worker %s ended while running it", result.pk, result.task_path,
                    worker_id)
    return failed


class Orphans:
    """Workers that have ended; their unfinished tasks are failed as soon as the database answers."""

    def __init__(self):
        self.gone: set[str] = set()
        self.check_stale = True  # once, at start: workers of an earlier run that did not end cleanly

    def add(self, worker_id: str) -> None:
        self.gone.add(worker_id)

    def settle(self) -> None:
        """Fail the tasks the ended workers left; on a database error keep them for the next call."""
        if not self.gone and not self.check_stale:
            return
        gone, check_stale = set(self.gone), self.check_stale
        try:
            fail_tasks_of(lambda worker_id: worker_id in gone or (check_stale and stale(worker_id)))
        except Exception as exc:  # the database may be away; the next call (a second later) tries again
            log.warning("could not check for tasks left by an ended worker, trying again: %s", exc)
            return
        self.gone -= gone
        self.check_stale = False
