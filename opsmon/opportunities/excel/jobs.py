"""Background imports: a job per uploaded file, run by the task worker, with progress a page can poll."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus

from opsmon.core.errors import NotFound
from opsmon.core.hooks import Hook
from opsmon.core.rules import refuse

from .. import rules
from ..models_import import ImportJob, ImportStatus
from .importing import import_opportunities, store_xlsx
from .reading import ImportRefused

log = logging.getLogger("opsmon.opportunities.import")
RUN_IMPORT_TASK = "opsmon.opportunities.tasks.run_import_job"
# Queue `run_import(job_id)` on the task worker: opportunities.tasks (which runs it) connects its task here, so this
# package never imports the task module that imports it.
enqueue = Hook("opportunities.enqueue_import", single=True)


def _crashed_message() -> str:
    return _("The import stopped on an unexpected error; nothing was saved. Please tell the administrator.")


@transaction.atomic
def import_job_create(*, actor, upload) -> ImportJob:
    """Keep the checked upload, queue its import after the commit; the job answers its progress."""
    refuse(rules.can_create(actor))
    stored = store_xlsx(actor=actor, upload=upload)
    job = ImportJob.objects.create(created_by=actor, file=stored)
    transaction.on_commit(lambda: enqueue.one(job_id=job.pk))
    return job


def import_job_get(*, actor, pk) -> ImportJob:
    """A job of the actor's own; anyone else's is a 404."""
    try:
        return ImportJob.objects.select_related("file").get(pk=pk, created_by=actor)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def _set(job: ImportJob, **values) -> None:
    # Outside any transaction each update is its own small commit, so a page sees the progress at once.
    ImportJob.objects.filter(pk=job.pk).update(**values)
    for name, value in values.items():
        setattr(job, name, value)


def run_import(job_id: int) -> None:
    """Run a queued job to its end: done with the count, or failed with the per-row report."""
    job = ImportJob.objects.select_related("file", "created_by__department").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return  # unknown, or already picked up by another worker
    _set(job, status=ImportStatus.VALIDATING)

    def progress(phase: str, done: int, total: int) -> None:
        _set(job, status=phase, processed=done, total=total)

    try:
        with job.file.file.open("rb") as fileobj:
            result = import_opportunities(actor=job.created_by, fileobj=fileobj, source_name=job.file.original_name,
                                          progress=progress)
    except ImportRefused as refusal:
        _set(job, status=ImportStatus.FAILED, errors=refusal.rows, message=str(refusal.message),
             finished_at=timezone.now())
    except Exception:
        log.exception("import job %s crashed", job.pk)
        _set(job, status=ImportStatus.FAILED, message=_crashed_message(), finished_at=timezone.now())
        raise
    else:
        _set(job, status=ImportStatus.DONE, created_count=result.created, processed=job.total or result.created,
             finished_at=timezone.now())


def fail_interrupted_job(sender, task_result, **kwargs) -> None:
    """django-tasks' task_finished: a run that failed without saying so (its worker was killed mid-import,
    see opsmon.core.interrupted) fails its job too, so it never stays "validating" or "saving"."""
    if task_result.status != TaskResultStatus.FAILED or not task_result.args \
            or task_result.task.module_path != RUN_IMPORT_TASK:
        return
    ImportJob.objects.filter(pk=task_result.args[0]).exclude(status__in=ImportJob.FINISHED).update(
        status=ImportStatus.FAILED, message=_crashed_message(), finished_at=timezone.now())
