"""Background tasks of the opportunities module (django-tasks; `opsmon serve` runs the worker)."""

from django_tasks import task

from .excel import jobs


@task()
def run_import_job(job_id: int) -> None:
    """Import the file of an ImportJob, recording progress on the job."""
    jobs.run_import(job_id)


@jobs.enqueue.connect
def enqueue_import(*, job_id: int) -> None:
    run_import_job.enqueue(job_id)
