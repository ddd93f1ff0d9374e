"""/suppliers: basics for every signed-in user; qualifications and bank accounts for procurement and finance; the
status actions for the procurement head. Details and action answers carry `allowed_actions` (rules.py)."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.files import file_response
from opsmon.core.schemas import (
    ERRORS,
    ErrorOut,
    JobAccepted,
    Page,
    PageParams,
    TimelineEntryOut,
    job_accepted,
    paginate,
    timeline_out,
    user_ref,
)
from opsmon.core.xlsx import CONTENT_TYPE

from . import excel, rules, selectors, services
from .schemas import (
    SupplierBankAccountIn,
    SupplierBankAccountOut,
    SupplierBlacklistIn,
    SupplierIn,
    SupplierListParams,
    SupplierOut,
    SupplierPatch,
    SupplierQualificationOut,
    SupplierQualifyIn,
    SupplierReasonIn,
)

router = Router(tags=["suppliers"])
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}
TABLES = ("supplier_category", "qualification_kind")


def supplier_out(supplier, viewer=None, *, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES)
    return {
        "id": supplier.pk, "number": supplier.number, "name": supplier.name, "credit_code": supplier.credit_code,
        "categories": [{"code": c, "label": labels.get(("supplier_category", c), c)}
                       for c in supplier.category_codes],
        "is_sme": supplier.is_sme, "contact": supplier.contact, "phone": supplier.phone, "address": supplier.address,
        "status": supplier.status, "status_label": str(supplier.get_status_display()),
        "status_reason": supplier.status_reason, "blacklisted_until": supplier.blacklisted_until,
        "grade": supplier.grade, "owner": user_ref(supplier.created_by), "version": supplier.version,
        "created_at": supplier.created_at, "updated_at": supplier.updated_at,
        "allowed_actions": rules.allowed_actions(viewer, supplier) if viewer is not None else [],
    }


def qualification_out(q, labels, today) -> dict:
    return {"id": q.pk, "kind": {"code": q.kind, "label": labels.get(("qualification_kind", q.kind), q.kind)},
            "number": q.number, "valid_from": q.valid_from, "valid_to": q.valid_to,
            "valid_today": q.valid_from <= today <= q.valid_to, "file_name": q.file.original_name,
            "size": q.file.size, "content_type": q.file.content_type,
            "download_url": f"/api/v1/suppliers/qualifications/{q.pk}/download",
            "created_by": user_ref(q.created_by), "created_at": q.created_at}


def account_out(a) -> dict:
    return {"id": a.pk, "bank": a.bank, "account_name": a.account_name, "account_no": a.account_no,
            "created_by": user_ref(a.created_by), "created_at": a.created_at}


def _get(request, supplier_id):
    return selectors.supplier_get(actor=request.auth, pk=supplier_id)


def _one(request, supplier_id):
    return supplier_out(_get(request, supplier_id), request.auth)


@router.get("/suppliers", response={200: Page[SupplierOut], **ERRORS})
def supplier_list(request, params: Query[SupplierListParams], pager: Query[PageParams]):
    """Every supplier (basics are public); `?status=&category=&is_sme=&expiring=true&q=`."""
    page = paginate(selectors.supplier_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map(*TABLES)
    page["items"] = [supplier_out(s, labels=labels) for s in page["items"]]
    return page


@router.get("/suppliers/export.xlsx", response={200: None, **ERRORS})
def supplier_export(request, params: Query[SupplierListParams]):
    """The list as an Excel workbook (same filters)."""
    body = excel.export_xlsx(actor=request.auth, filters=params.filters())
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="suppliers.xlsx"'
    return response


@router.post("/suppliers/import", response={202: JobAccepted, **UPLOAD_ERRORS})
def supplier_import(request, file: File[UploadedFile]):
    """An .xlsx of suppliers (columns as in the export: name, credit code, categories, SME, contact, phone,
    address; at most 1,000 rows) imported by the task worker: 202 `{job_id}` at once, then `GET /jobs/{job_id}`.
    All or nothing: a bad row fails the job, which lists each problem in `errors` ({row, column, message}) and
    saves nothing; done, its `result` is `{created, ids}`. A file refused by size (413) or type (422) is
    answered at once and nothing is kept."""
    return Status(202, job_accepted(excel.import_job_create(actor=request.auth, upload=file)))


@router.post("/suppliers", response={201: SupplierOut, **ERRORS})
def supplier_create(request, payload: SupplierIn):
    """Register a supplier (pending); 422 for a bad credit code, 409 `duplicate_supplier` for one registered."""
    supplier = services.supplier_create(actor=request.auth, **payload.model_dump())
    return Status(201, _one(request, supplier.pk))


@router.get("/suppliers/{supplier_id}", response={200: SupplierOut, **ERRORS})
def supplier_detail(request, supplier_id: int):
    return _one(request, supplier_id)


@router.patch("/suppliers/{supplier_id}", response={200: SupplierOut, **ERRORS})
def supplier_update(request, supplier_id: int, payload: SupplierPatch):
    """Edit the fields given; `version` is the one read (stale: 409)."""
    data = payload.model_dump(exclude_unset=True)
    services.supplier_update(actor=request.auth, supplier=_get(request, supplier_id), **data)
    return _one(request, supplier_id)


@router.get("/suppliers/{supplier_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def supplier_timeline(request, supplier_id: int):
    return timeline_out(timeline.entries_for(_get(request, supplier_id)))


@router.get("/suppliers/{supplier_id}/qualifications", response={200: Page[SupplierQualificationOut], **ERRORS})
def qualification_list(request, supplier_id: int):
    """Procurement, finance, executives and the admin only (403 for others)."""
    items = selectors.qualifications_of(actor=request.auth, supplier=_get(request, supplier_id))
    labels, today = label_map(*TABLES), timezone.localdate()
    out = [qualification_out(q, labels, today) for q in items]
    return {"items": out, "count": len(out)}


@router.post("/suppliers/{supplier_id}/qualifications", response={201: SupplierQualificationOut, **UPLOAD_ERRORS})
def qualification_add(request, supplier_id: int, kind: Form[str], number: Form[str], valid_from: Form[str],
                      valid_to: Form[str], file: File[UploadedFile]):
    """Multipart: `kind` (qualification_kind), `number`, `valid_from`, `valid_to` (YYYY-MM-DD), `file` (PDF, JPG
    or PNG, checked by content)."""
    q = services.qualification_add(actor=request.auth, supplier=_get(request, supplier_id), kind=kind,
                                   number=number, valid_from=valid_from, valid_to=valid_to, upload=file)
    return Status(201, qualification_out(q, label_map(*TABLES), timezone.localdate()))


@router.get("/suppliers/qualifications/{qualification_id}/download", response={200: None, **ERRORS})
def qualification_download(request, qualification_id: int, inline: bool = False):
    """The file, for those who may read qualifications (else 404)."""
    return file_response(selectors.qualification_get(actor=request.auth, pk=qualification_id).file, inline=inline)


@router.get("/suppliers/{supplier_id}/bank-accounts", response={200: Page[SupplierBankAccountOut], **ERRORS})
def bank_account_list(request, supplier_id: int):
    """Procurement, finance, executives and the admin only (403 for others)."""
    out = [account_out(a) for a in selectors.bank_accounts_of(actor=request.auth,
                                                               supplier=_get(request, supplier_id))]
    return {"items": out, "count": len(out)}


@router.post("/suppliers/{supplier_id}/bank-accounts", response={201: SupplierBankAccountOut, **ERRORS})
def bank_account_add(request, supplier_id: int, payload: SupplierBankAccountIn):
    account = services.bank_account_add(actor=request.auth, supplier=_get(request, supplier_id),
                                        **payload.model_dump())
    return Status(201, account_out(account))


@router.post("/suppliers/{supplier_id}/qualify", response={200: SupplierOut, **ERRORS})
def supplier_qualify(request, supplier_id: int, payload: SupplierQualifyIn):
    """pending → qualified: the procurement head, not the one who registered it; a valid licence on file."""
    services.supplier_qualify(actor=request.auth, supplier=_get(request, supplier_id), comment=payload.comment)
    return _one(request, supplier_id)


@router.post("/suppliers/{supplier_id}/suspend", response={200: SupplierOut, **ERRORS})
def supplier_suspend(request, supplier_id: int, payload: SupplierReasonIn):
    services.supplier_suspend(actor=request.auth, supplier=_get(request, supplier_id), reason=payload.reason)
    return _one(request, supplier_id)


@router.post("/suppliers/{supplier_id}/blacklist", response={200: SupplierOut, **ERRORS})
def supplier_blacklist(request, supplier_id: int, payload: SupplierBlacklistIn):
    services.supplier_blacklist(actor=request.auth, supplier=_get(request, supplier_id), reason=payload.reason,
                                until=payload.until)
    return _one(request, supplier_id)


@router.post("/suppliers/{supplier_id}/restore", response={200: SupplierOut, **ERRORS})
def supplier_restore(request, supplier_id: int, payload: SupplierReasonIn):
    services.supplier_restore(actor=request.auth, supplier=_get(request, supplier_id), reason=payload.reason)
    return _one(request, supplier_id)
