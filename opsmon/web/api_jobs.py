"""/jobs/{id}: the progress and result of long work (core.jobs: imports, large exports), for its creator only."""

from datetime import datetime

from ninja import Router, Schema

from opsmon.core import jobs
from opsmon.core.schemas import ERRORS

router = Router(tags=["jobs"])

_XLSX_RESPONSE = {"responses": {"200": {
    "description": "The Excel workbook (.xlsx) the export job made.",
    "content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
        "schema": {"type": "string", "format": "binary"}}},
}}}


class JobErrorOut(Schema):
    row: int
    column: str
    message: str


class JobOut(Schema):
    id: int
    job_id: int
    kind: str
    label: str
    status: str  # queued | running | validating | saving | done | failed
    done: int
    total: int
    percent: int
    errors: list[JobErrorOut]
    error_count: int
    result: dict
    result_url: str | None
    file_name: str | None
    message: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


@router.get("/jobs/{job_id}", response={200: JobOut, **ERRORS})
def job_detail(request, job_id: int):
    """A job's progress: `done` of `total` rows, `errors` found so far ({row, column, message}; row 1 is the
    header), `result` when done (an import: `{created, ids}`; an export: `{rows}`, its file at `result_url`),
    `message` when it failed. Only its creator sees it: anyone else gets 404."""
    job = jobs.get(actor=request.auth, pk=job_id)
    url = f"/api/v1/jobs/{job.pk}/download" if job.result_file_id and job.status == "done" else ""
    return jobs.job_out(job, result_url=url)


@router.get("/jobs/{job_id}/download", response=ERRORS, openapi_extra=_XLSX_RESPONSE)
def job_download(request, job_id: int):
    """The workbook a finished export job made; its creator only (404 for anyone else, or before it is done)."""
    return jobs.result_response(actor=request.auth, pk=job_id)
