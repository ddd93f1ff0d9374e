"""A background task left RUNNING by a worker that died is marked failed, and an import job waiting on it fails
with it (the end-to-end proof, with a real SIGKILL, is tests/reliability/test_import_kill.py)."""

import os

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from opsmon.core import interrupted
from opsmon.core.models import Job, StoredFile

pytestmark = pytest.mark.django_db

DEAD_PID = 4_194_304 + 1  # above Linux's pid_max: never a running process


def test_stale_means_a_worker_of_an_ended_serve_on_this_machine():
    host = interrupted._host()
    assert interrupted.stale(f"serve:{host}:{DEAD_PID}:1")
    assert not interrupted.stale(f"serve:{host}:{os.getpid()}:1")  # this process: its own workers are tracked
    assert not interrupted.stale(f"serve:{host}:1:1")  # running
    assert not interrupted.stale(f"serve:another-host:{DEAD_PID}:1")  # scaled out: not ours to judge
    assert not interrupted.stale("Qk3j9x0aZ")  # a worker started by hand (`opsmon db_worker`)
    assert next(interrupted.worker_names()) == f"serve:{host}:{os.getpid()}:1"


def _job(user, status: str, **values) -> Job:
    stored = StoredFile.objects.create(file="files/x.xlsx", original_name="商机.xlsx", kind="xlsx", size=1,
                                       content_type="application/octet-stream", sha256="0" * 64, uploaded_by=user)
    return Job.objects.create(kind="opportunities.import", created_by=user, file=stored, status=status, **values)


def _running(job_id: int, worker_id: str) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [job_id], "kwargs": {}}, backend_name="default",
        task_path="opsmon.opportunities.tasks.run_import_job", run_after=get_date_max(), started_at=timezone.now(),
        worker_ids=[worker_id])


def test_the_task_of_a_dead_worker_fails_and_so_does_its_import_job(org):
    job = _job(org["rep1"], "saving")
    dead, alive = f"serve:{interrupted._host()}:{DEAD_PID}:1", f"serve:{interrupted._host()}:{os.getpid()}:2"
    task, other = _running(job.pk, dead), _running(job.pk + 1000, alive)

    orphans = interrupted.Orphans()
    orphans.settle()  # at start: the dead worker of an earlier run

    task.refresh_from_db()
    other.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerDied") and task.finished_at
    assert other.status == "RUNNING"  # a worker that is alive keeps its task
    job.refresh_from_db()
    assert job.status == "failed" and job.message and job.finished_at

    orphans.add(alive)  # that worker ends too
    orphans.settle()
    other.refresh_from_db()
    assert other.status == "FAILED" and not orphans.gone


def test_a_finished_job_is_left_as_it_was(org):
    job = _job(org["rep1"], "done", result={"created": 3})
    _running(job.pk, f"serve:{interrupted._host()}:{DEAD_PID}:1")
    interrupted.Orphans().settle()
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 3)

