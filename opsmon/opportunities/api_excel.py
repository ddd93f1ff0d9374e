"""/opportunities/export.xlsx, /opportunities/import-template.xlsx, /opportunities/import and import jobs."""

from datetime import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile

from opsmon.core.schemas import ERRORS, ErrorDetail, ErrorOut

from . import excel
from .api import ListParams
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


class ImportOut(Schema):
    created: int
    ids: list[int]


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


def export_stem() -> str:
    return "商机" if is_chinese() else "opportunities"


def template_stem() -> str:
    return "商机导入模板" if is_chinese() else "opportunity-import-template"


@router.get("/opportunities/export.xlsx", response=ERRORS, openapi_extra=_XLSX_RESPONSE)
def opportunity_export(request, params: Query[ListParams]):
    """The visible opportunities with the list's filters as an Excel file; headers follow `Accept-Language`."""
    return xlsx_response(excel.export_xlsx(actor=request.auth, filters=params.filters()), export_stem())


@router.get("/opportunities/import-template.xlsx", response=ERRORS, openapi_extra=_XLSX_RESPONSE)
def opportunity_import_template(request):
    """The import template: the header row, one example row and a sheet explaining the columns and codes."""
    return xlsx_response(excel.template_xlsx(), template_stem())


@router.post("/opportunities/import",
             response={200: ImportOut, 413: ErrorOut, **ERRORS, 422: ImportRefusedOut})
def opportunity_import(request, file: File[UploadedFile]):
    """Import an xlsx (multipart `file`) in the request, all-or-nothing.

    422 `import_refused` saves nothing and lists every problem in `rows` as {row, column, message}; a damaged
    workbook is a 422 too. 413 `import_too_large`: more than IMPORT_SYNC_MAX_ROWS rows (5,000) or more than
    IMPORT_SYNC_MAX_SECONDS (20) of reading; import such a file from the import page, which runs it as a job.
    """
    result = excel.import_upload(actor=request.auth, upload=file)
    return {"created": result.created, "ids": result.ids}


def import_job_out(job) -> dict:
    return {"id": job.pk, "status": job.status, "file_name": job.file.original_name, "total": job.total,
            "processed": job.processed, "percent": job.percent, "created_count": job.created_count,
            "errors": job.errors, "message": job.message, "created_at": job.created_at,
            "finished_at": job.finished_at}


@router.get("/opportunities/import-jobs/{job_id}", response={200: ImportJobOut, **ERRORS})
def import_job_detail(request, job_id: int):
    """Progress of a background import started on the web page; only its creator sees it."""
    return import_job_out(excel.import_job_get(actor=request.auth, pk=job_id))
