"""Background tasks of the opportunities module (django-tasks; `opsmon serve` runs the worker)."""

from django_tasks import task

from opsmon.core import jobs as core_jobs

from .excel import jobs  # noqa: F401 - registers the import and export job kinds


@task()
def run_import_job(job_id: int) -> None:
    """Kept for tasks queued before the import jobs moved to core.jobs (whose `run_job` queues them now)."""
    core_jobs.run(job_id)
