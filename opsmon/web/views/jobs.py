"""A job's progress page (core.jobs: a large export, an import) and the download of the file it made."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from opsmon.core import jobs
from opsmon.core.web import page_or_partial


@login_required
@require_GET
def job(request, pk: int):
    """The creator's job, polled every second by htmx until it is done or failed; 404 for anyone else."""
    job = jobs.get(actor=request.user, pk=pk)
    return page_or_partial(request, "web/job.html", "web/_job_progress.html", {"job": job, "label": jobs.label(job)})


@login_required
@require_GET
def job_download(request, pk: int):
    """The workbook an export job made, to its creator only."""
    return jobs.result_response(actor=request.user, pk=pk)
