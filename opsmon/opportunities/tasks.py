"""Background tasks of the opportunities module (django-tasks; `opsmon serve` runs the worker)."""

from django_tasks import task

from .excel.jobs import run_import


@task()
def run_import_job(job_id: int) -> None:
    """Import the file of an ImportJob, recording progress on the job."""
    run_import(job_id)
