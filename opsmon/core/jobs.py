"""Long work off the request (issue 18): imports and large exports run as jobs in the task worker.

A module registers a kind (`register("opportunities.import", label, run)`); `create(kind=..., actor=...)` keeps a
`core.Job` and queues it after the commit, so a request answers at once (the API 202 `{"job_id"}`, a page the
progress page). The worker calls the kind's `run(job, progress)`: it reports rows done, the total and the errors
found so far through `progress(...)`, each a small commit of its own so a poll sees it at once, and answers an
`Outcome` (a result such as {"created": n, "ids": [...]}, and for an export the workbook's bytes, kept as a
StoredFile the creator alone downloads). A refusal (`ApplicationError`, with `rows` when it lists row errors)
fails the job with its message and every error; anything else fails it with a plain message and is logged.
A job is its creator's only: anyone else gets a 404 for its progress and its file.
"""

import hashlib
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import get_resolver
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from .errors import ApplicationError, NotFound, TooLarge
from .files import KINDS as FILE_KINDS
from .files import file_response, storage_unavailable
from .models import Job, JobStatus, StoredFile
from .paging import capped_count

log = logging.getLogger("opsmon.jobs")

RUN_TASK = "opsmon.core.jobs.run_job"
# Users' jobs have a queue of their own: `opsmon serve` gives it its own worker, so an import never waits behind the
# schedule's runs (a reminders run over a large database takes minutes).
JOBS_QUEUE = "jobs"
# Tasks queued before the jobs moved here (opportunities' import task) still run and fail their jobs the same way.
LEGACY_TASKS = frozenset({"opsmon.opportunities.tasks.run_import_job"})


@dataclass
class Outcome:
    """What a finished run answers: `result` for the API, `content` (an xlsx) to keep as the job's file."""

    result: dict = field(default_factory=dict)
    content: bytes | None = None
    filename: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: object  # lazy text: "Import opportunities"
    run: Callable  # (job, progress) -> Outcome


KINDS: dict[str, Kind] = {}


def register(key: str, label, run: Callable) -> None:
    KINDS[key] = Kind(key, label, run)


def label(job: Job) -> str:
    kind = KINDS.get(job.kind)
    return str(kind.label) if kind else job.kind


def export_threshold() -> int:
    """Exports of more rows than this run as a job (EXPORT_JOB_ROWS, 10,000 by default)."""
    return settings.EXPORT_JOB_ROWS


def export_total(queryset) -> int:
    """The rows an export job will write, refused (TooLarge) above EXPORT_MAX_ROWS: a sheet holds 1,048,576."""
    total = queryset.order_by().count()
    if total > settings.EXPORT_MAX_ROWS:
        raise TooLarge(_("More than %(cap)s rows match: narrow the filters to export them.")
                       % {"cap": f"{settings.EXPORT_MAX_ROWS:,}"})
    return total


def register_export(key: str, label, *, rows: Callable, write: Callable, filename: str) -> None:
    """A kind for an API list export: `rows(actor, filters)` rebuilds the queryset from the request's filters (as
    JSON), `write(queryset)` the workbook (through core.xlsx)."""
    def run(job: Job, progress) -> Outcome:
        queryset = rows(job.created_by, job.params.get("filters") or {})
        total = export_total(queryset)
        progress(total=total)
        return Outcome(result={"rows": total}, content=write(queryset), filename=filename)
    register(key, label, run)


def export_job_if_large(*, kind: str, actor, queryset, filters: dict) -> Job | None:
    """A queued export job when `queryset` has more than EXPORT_JOB_ROWS rows (the API answers 202), else None
    (the request writes the file itself)."""
    _count, exact = capped_count(queryset, export_threshold())
    return None if exact else create(kind=kind, actor=actor, params={"filters": filters})


def crashed_message() -> str:
    return _("The job stopped on an unexpected error; nothing was saved. Please tell the administrator.")


def create(*, kind: str, actor, file: StoredFile | None = None, params: dict | None = None, total: int = 0) -> Job:
    """Keep a queued job of `actor` and run it in the task worker once this transaction commits."""
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    job = Job.objects.create(kind=kind, created_by=actor, file=file, params=params, total=total)
    transaction.on_commit(lambda: run_job.enqueue(job.pk))
    return job


def get(*, actor, pk) -> Job:
    """A job of the actor's own; anyone else's, or none, is a 404."""
    try:
        return Job.objects.select_related("file", "result_file").get(pk=pk, created_by_id=actor.pk)
    except (Job.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def result_response(*, actor, pk):
    """The file an export job made, to its creator only (404 for anyone else, or before it is ready)."""
    job = get(actor=actor, pk=pk)
    if job.status != JobStatus.DONE or job.result_file is None:
        raise NotFound(_("This job has no file to download."))
    return file_response(job.result_file)


def _set(job: Job, **values) -> None:
    # Outside any transaction each update is its own small commit, so a poll sees the progress at once.
    Job.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


class Progress:
    """Given to a kind's `run`: `progress(done=, total=, status=, errors=)` records what changed."""

    def __init__(self, job: Job):
        self.job = job

    def __call__(self, *, done: int | None = None, total: int | None = None, status: str | None = None,
                 errors: list | None = None) -> None:
        values = {name: value for name, value in (("done", done), ("total", total), ("status", status),
                                                  ("errors", errors)) if value is not None}
        if values:
            _set(self.job, **values)


def _store_result(job: Job, content: bytes, filename: str) -> StoredFile:
    kind = "xlsx"
    stored = StoredFile(original_name=filename or f"export-{job.pk}.xlsx", kind=kind,
                        content_type=FILE_KINDS[kind][0], size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), uploaded_by=job.created_by)
    try:
        stored.file.save(f"{uuid.uuid4().hex}.{kind}", ContentFile(content), save=False)
    except Exception as exc:
        raise storage_unavailable(exc, "saving") from exc
    stored.save()
    return stored


def run(job_id: int) -> None:
    """Run a queued job to its end: done with its result (and file), or failed with its message and errors."""
    job = Job.objects.select_related("file", "created_by__department").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return  # unknown, or already picked up by another worker
    if not Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING,
                                                                        started_at=timezone.now()):
        return
    job.status = JobStatus.RUNNING
    if job.kind not in KINDS:  # a task worker imports the modules' views and APIs, where kinds register, only now
        get_resolver().url_patterns  # noqa: B018
    kind = KINDS.get(job.kind)
    try:
        if kind is None:
            raise RuntimeError(f"no runner for job kind {job.kind!r}")
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            outcome = kind.run(job, Progress(job))
            values = {"status": JobStatus.DONE, "result": outcome.result, "finished_at": timezone.now()}
            if outcome.content is not None:
                values["result_file"] = _store_result(job, outcome.content, outcome.filename)
    except ApplicationError as refusal:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            message = str(refusal.message)
        _set(job, status=JobStatus.FAILED, errors=list(getattr(refusal, "rows", None) or job.errors or []),
             message=message, finished_at=timezone.now())
    except Exception:
        log.exception("job %s (%s) crashed", job.pk, job.kind)
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            message = crashed_message()
        _set(job, status=JobStatus.FAILED, message=message, finished_at=timezone.now())
        raise
    else:
        if job.total and "done" not in values:
            values["done"] = job.total
        _set(job, **values)


@task(queue_name=JOBS_QUEUE)
def run_job(job_id: int) -> None:
    """Run one core.Job (see `run`)."""
    run(job_id)


def queued_in_database() -> bool:
    """True when tasks wait in the database (django-tasks-db): then its records can be counted and pruned. Tests
    run them at once instead."""
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


def purge(*, now=None) -> int:
    """Forget the jobs that finished more than JOB_KEEP_DAYS ago, with the files only they held (an import's upload,
    an export's workbook) and the task worker's records of finished runs of that age; answers how many jobs went.
    A file something else still refers to (PROTECT) is kept."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_KEEP_DAYS)
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    gone = 0
    while True:  # in chunks of 500: a year of jobs is not one transaction
        with transaction.atomic():
            jobs = list(old.order_by("pk").values_list("pk", "file_id", "result_file_id")[:500])
            if not jobs:
                break
            Job.objects.filter(pk__in=[pk for pk, _f, _r in jobs]).delete()
            names = []
            for stored in StoredFile.objects.filter(pk__in={f for _p, *fs in jobs for f in fs if f}):
                try:
                    with transaction.atomic():
                        stored.delete()
                    names.append((stored.file.storage, stored.file.name))
                except ProtectedError:
                    continue
            # the objects go once the rows are gone for good; a failed delete leaves an orphan, never a dangling row
            transaction.on_commit(lambda names=names: _delete_objects(names))
            gone += len(jobs)
    if queued_in_database():
        DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return gone


def _delete_objects(names) -> None:
    for storage, name in names:
        try:
            storage.delete(name)
        except Exception as exc:  # object storage away: an orphaned object, logged, harmless
            log.warning("could not delete %s of a purged job: %s", name, exc)


@task()
def purge_jobs() -> int:
    """Daily (opsmon/schedule.py): `purge`."""
    return purge()


def fail_interrupted_job(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished: a run that failed without saying so (its worker was killed, see
    opsmon.core.interrupted) fails its job too, so it never stays "running", "validating" or "saving"."""
    if task_result.status != TaskResultStatus.FAILED or not task_result.args \
            or task_result.task.module_path not in {RUN_TASK, *LEGACY_TASKS}:
        return
    Job.objects.filter(pk=task_result.args[0]).exclude(status__in=Job.FINISHED).update(
        status=JobStatus.FAILED, message=crashed_message(), finished_at=timezone.now())


def job_out(job: Job, *, result_url: str = "") -> dict:
    """The answer of GET /api/v1/jobs/{id} (API.md: status, done, total, errors, result_url)."""
    return {"id": job.pk, "job_id": job.pk, "kind": job.kind, "label": label(job), "status": job.status,
            "done": job.done, "total": job.total, "percent": job.percent, "errors": job.errors,
            "error_count": len(job.errors), "result": job.result, "result_url": result_url or None,
            "file_name": job.file.original_name if job.file_id else None, "message": job.message,
            "created_at": job.created_at, "started_at": job.started_at, "finished_at": job.finished_at}
