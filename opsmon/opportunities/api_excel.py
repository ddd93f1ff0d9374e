"""/opportunities/export.xlsx, /opportunities/import-template.xlsx, /opportunities/import and import jobs."""

from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from opsmon.core.schemas import ERRORS, ErrorDetail, ErrorOut, JobAccepted, job_accepted

from . import excel
from .api import ListParams
from .excel import export_stem
from .excel.columns import is_chinese

router = Router(tags=["opportunities"])

_XLSX_RESPONSE = {"responses": {"200": {
    "description": "An Excel workbook (.xlsx).",
    "content": {excel.XLSX_CONTENT_TYPE: {"schema": {"type": "string", "format": "binary"}}},
}}}


class ImportRowError(Schema):
    row: int
    column: str
    message: str


class ImportRefusedOut(Schema):
    """422 of an import: the usual error body plus every problem found, row 1 being the header."""

    error: ErrorDetail
    rows: list[ImportRowError] = []


class ImportJobOut(Schema):
    id: int
    status: str
    file_name: str
    total: int
    processed: int
    percent: int
    created_count: int
    errors: list[ImportRowError]
    message: str
    created_at: datetime
    finished_at: datetime | None


def xlsx_response(content: bytes, stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=excel.XLSX_CONTENT_TYPE)
    filename = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def template_stem() -> str:
    return "商机导入模板" if is_chinese() else "opportunity-import-template"


@router.get("/opportunities/export.xlsx", response={202: JobAccepted, **ERRORS}, openapi_extra=_XLSX_RESPONSE)
def opportunity_export(request, params: Query[ListParams]):
    """The visible opportunities with the list's filters as an Excel file; headers follow `Accept-Language`.

    More than EXPORT_JOB_ROWS (10,000) rows: 202 `{job_id}` instead; the task worker writes the file, and
    `GET /jobs/{job_id}` answers its progress and, when done, its `result_url` (creator only)."""
    filters = params.filters()
    if excel.export_needs_job(actor=request.auth, filters=filters):
        return Status(202, job_accepted(excel.export_job_create(actor=request.auth, filters=filters)))
    return xlsx_response(excel.export_xlsx(actor=request.auth, filters=filters), export_stem())


@router.get("/opportunities/import-template.xlsx", response=ERRORS, openapi_extra=_XLSX_RESPONSE)
def opportunity_import_template(request):
    """The import template: the header row, one example row and a sheet explaining the columns and codes."""
    return xlsx_response(excel.template_xlsx(), template_stem())


@router.post("/opportunities/import",
             response={202: JobAccepted, 413: ErrorOut, **ERRORS, 422: ImportRefusedOut})
def opportunity_import(request, file: File[UploadedFile]):
    """Import an xlsx (multipart `file`, at most 100,000 rows) as a job of the task worker, all-or-nothing.

    202 `{job_id}` at once; poll `GET /jobs/{job_id}`: `done` of `total` rows, the `errors` found so far, then
    `done` with `result: {created, ids}`, or `failed`: nothing saved, every problem in `errors` as
    {row, column, message} (row 1 is the header) and `message` saying why. A file refused by its size (413), its
    type or what it unpacks to (422 `import_refused`, with `rows`) is answered at once and nothing is kept.
    """
    return Status(202, job_accepted(excel.import_job_create(actor=request.auth, upload=file)))


def import_job_out(job) -> dict:
    return {"id": job.pk, "status": job.status, "file_name": job.file.original_name, "total": job.total,
            "processed": job.done, "percent": job.percent, "created_count": job.created_count,
            "errors": job.errors, "message": job.message, "created_at": job.created_at,
            "finished_at": job.finished_at}


@router.get("/opportunities/import-jobs/{job_id}", response={200: ImportJobOut, **ERRORS})
def import_job_detail(request, job_id: int):
    """Progress of an import job, in the shape the desktop client first knew (`GET /jobs/{job_id}` is the general
    form); only its creator sees it."""
    return import_job_out(excel.import_job_get(actor=request.auth, pk=job_id))
