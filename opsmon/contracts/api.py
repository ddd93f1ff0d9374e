"""/contracts: drafting, review, signing, archive, amendments and versions (the review routes: approvals.api).
Every detail and every action answers `allowed_actions`: what the caller may do to the contract now (rules.py)."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from opsmon.codes.selectors import label_map
from opsmon.core import jobs, timeline
from opsmon.core.files import file_response
from opsmon.core.schemas import (
    ERRORS,
    ErrorOut,
    JobAccepted,
    Page,
    PageParams,
    TimelineEntryOut,
    code_ref,
    job_accepted,
    money,
    paginate,
    timeline_out,
    user_ref,
)
from opsmon.opportunities.selectors import opportunity_get

from . import rules, selectors, services
from .report import contracts_xlsx, review_sheet_docx
from .schemas import (
    AmendmentIn,
    AmendmentOut,
    AttachmentOut,
    ContractIn,
    ContractListParams,
    ContractOut,
    ContractPatch,
    DecisionIn,
    ReasonIn,
    ReviewOut,
    VersionOut,
)

router = Router(tags=["contracts"])
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def contract_out(c, labels=None, *, detail=False, viewer=None) -> dict:
    """A contract as the API answers it; a detail (`viewer` given) adds the current step and `allowed_actions`."""
    labels = labels if labels is not None else label_map("contract_type", "review_step_kind")
    step = selectors.current_step(c) if detail else None
    return {
        "allowed_actions": rules.allowed_actions(viewer, c, step=step) if viewer is not None else [],
        "id": c.pk, "number": c.number, "title": c.title, "status": c.status,
        "status_label": str(c.get_status_display()),
        "customer": {"id": c.customer_id, "name": c.customer.name},
        "opportunity": {"id": c.opportunity_id, "number": c.opportunity.number},
        "project": {"id": c.project_id, "number": c.project.number} if c.project_id else None,
        "bid": {"id": c.bid_id, "number": c.bid.number} if c.bid_id else None,
        "contract_type": code_ref(labels, "contract_type", c.contract_type), "amount": money(c.amount),
        "currency": c.currency, "tax_rate": money(c.tax_rate), "start_on": c.start_on, "end_on": c.end_on,
        "terms": c.terms,
        "milestones": [{"id": m.pk, "position": m.position, "name": m.name, "due_on": m.due_on,
                        "condition": m.condition, "trigger": m.trigger, "amount": money(m.amount),
                        "percentage": money(m.percentage)} for m in c.milestones.all()],
        "owner": user_ref(c.owner), "department": {"id": c.department_id, "name": c.department.name},
        "signed_on": c.signed_on, "archived_at": c.archived_at, "terminated_at": c.terminated_at,
        "terminate_reason": c.terminate_reason, "terms_version": c.terms_version,
        "current_step": {"id": step.pk, "position": step.position,
                         "kind": code_ref(labels, "review_step_kind", step.kind), "mode": step.mode}
        if step else None,
        "version": c.version, "created_at": c.created_at, "updated_at": c.updated_at,
    }


def _get(request, pk):
    return selectors.contract_get(actor=request.auth, pk=pk)


def _one(request, pk):
    return contract_out(_get(request, pk), detail=True, viewer=request.auth)


@router.get("/contracts", response={200: Page[ContractOut], **ERRORS})
def contract_list(request, params: Query[ContractListParams], pager: Query[PageParams]):
    contracts = selectors.contract_list(actor=request.auth, filters=params.filters())
    page = paginate(contracts.prefetch_related("milestones"), pager)
    labels = label_map("contract_type", "review_step_kind")
    page["items"] = [contract_out(c, labels) for c in page["items"]]
    return page


EXPORT_JOB = "contracts.export"
jobs.register_export(EXPORT_JOB, gettext_lazy("Export contracts"), write=contracts_xlsx, filename="contracts.xlsx",
                     rows=lambda actor, filters: selectors.contract_list(
                         actor=actor, filters=ContractListParams.model_validate(filters).filters()))


@router.get("/contracts/export.xlsx", response={200: None, 202: JobAccepted, **ERRORS})
def contract_export(request, params: Query[ContractListParams]):
    """The filtered list as Excel (all pages); above EXPORT_JOB_ROWS (10,000) rows 202 `{job_id}`: the task worker
    writes it, `GET /jobs/{job_id}` gives its `result_url` when done."""
    contracts = selectors.contract_list(actor=request.auth, filters=params.filters())
    job = jobs.export_job_if_large(kind=EXPORT_JOB, actor=request.auth, queryset=contracts,
                                   filters=params.model_dump(mode="json"))
    if job:
        return Status(202, job_accepted(job))
    body = contracts_xlsx(contracts)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="contracts.xlsx"'
    return response


@router.post("/contracts", response={201: ContractOut, **ERRORS})
def contract_create(request, payload: ContractIn):
    """Draft a contract against an opportunity you can see (sales rep or department head)."""
    opportunity = opportunity_get(actor=request.auth, pk=payload.opportunity_id)
    contract = services.contract_create(actor=request.auth, opportunity=opportunity,
                                        **payload.model_dump(exclude_unset=True, exclude={"opportunity_id"}))
    return Status(201, _one(request, contract.pk))


@router.get("/contracts/{contract_id}", response={200: ContractOut, **ERRORS})
def contract_detail(request, contract_id: int):
    return _one(request, contract_id)


@router.patch("/contracts/{contract_id}", response={200: ContractOut, **ERRORS})
def contract_update(request, contract_id: int, payload: ContractPatch):
    """Change a draft (fields sent change; `milestones` replaces the list); `version` must be current."""
    services.contract_update(actor=request.auth, contract=_get(request, contract_id),
                             **payload.model_dump(exclude_unset=True))
    return _one(request, contract_id)


@router.get("/contracts/{contract_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def contract_timeline(request, contract_id: int):
    return timeline_out(timeline.entries_for(_get(request, contract_id)))


@router.post("/contracts/{contract_id}/submit-review", response={200: ContractOut, **ERRORS})
def submit_review(request, contract_id: int):
    services.contract_submit(actor=request.auth, contract=_get(request, contract_id))
    return _one(request, contract_id)


def review_out(review, labels) -> dict:
    return {
        "round": review.round, "amendment": review.amendment.number if review.amendment_id else None,
        "route": review.route_name, "status": review.status, "started_by": user_ref(review.started_by),
        "started_at": review.started_at, "finished_at": review.finished_at,
        "steps": [{"id": s.pk, "position": s.position, "kind": code_ref(labels, "review_step_kind", s.kind),
                   "mode": s.mode, "status": s.status, "decided_at": s.decided_at,
                   "deciders": [{"user": user_ref(d.user), "decision": d.decision, "comment": d.comment,
                                 "decided_at": d.decided_at} for d in s.deciders.all()]}
                  for s in review.steps.all()],
    }


@router.get("/contracts/{contract_id}/reviews", response={200: list[ReviewOut], **ERRORS})
def reviews(request, contract_id: int):
    """Every review round (the contract's and its amendments'), oldest first."""
    labels = label_map("review_step_kind")
    return [review_out(r, labels) for r in selectors.reviews_of(_get(request, contract_id))]


@router.post("/contracts/{contract_id}/reviews/{step_id}/approve", response={200: ContractOut, **ERRORS})
def approve_step(request, contract_id: int, step_id: int, payload: DecisionIn = None):
    services.step_decide(actor=request.auth, contract=_get(request, contract_id), step_id=step_id,
                         decision="approve", comment=payload.comment if payload else "")
    return _one(request, contract_id)


@router.post("/contracts/{contract_id}/reviews/{step_id}/reject", response={200: ContractOut, **ERRORS})
def reject_step(request, contract_id: int, step_id: int, payload: DecisionIn):
    services.step_decide(actor=request.auth, contract=_get(request, contract_id), step_id=step_id,
                         decision="reject", comment=payload.comment)
    return _one(request, contract_id)


@router.get("/contracts/{contract_id}/review-sheet.docx", response={200: None, **ERRORS})
def review_sheet(request, contract_id: int):
    """合同评审表 as Word."""
    contract = _get(request, contract_id)
    response = HttpResponse(review_sheet_docx(contract), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{contract.number}-review.docx"'
    return response


@router.post("/contracts/{contract_id}/sign", response={200: ContractOut, **UPLOAD_ERRORS})
def sign(request, contract_id: int, signed_on: Form[str] = "", signed_copy: File[UploadedFile] = None):
    """Multipart `signed_on` (YYYY-MM-DD) and `signed_copy` (the signed contract, PDF or scan)."""
    services.contract_sign(actor=request.auth, contract=_get(request, contract_id), signed_on=signed_on,
                           signed_copy=signed_copy)
    return _one(request, contract_id)


@router.post("/contracts/{contract_id}/archive", response={200: ContractOut, **ERRORS})
def archive(request, contract_id: int):
    services.contract_archive(actor=request.auth, contract=_get(request, contract_id))
    return _one(request, contract_id)


@router.post("/contracts/{contract_id}/terminate", response={200: ContractOut, **ERRORS})
def terminate(request, contract_id: int, payload: ReasonIn):
    services.contract_terminate(actor=request.auth, contract=_get(request, contract_id), reason=payload.reason)
    return _one(request, contract_id)


def attachment_out(a) -> dict:
    return {"id": a.pk, "kind": a.kind, "name": a.file.original_name, "size": a.file.size,
            "content_type": a.file.content_type, "uploaded_by": user_ref(a.uploaded_by),
            "uploaded_at": a.uploaded_at, "download_url": f"/api/v1/contracts/attachments/{a.pk}/download"}


@router.get("/contracts/{contract_id}/attachments", response={200: Page[AttachmentOut], **ERRORS})
def attachment_list(request, contract_id: int):
    items = [attachment_out(a) for a in selectors.attachments_of(_get(request, contract_id))]
    return {"items": items, "count": len(items)}


@router.post("/contracts/{contract_id}/attachments", response={201: AttachmentOut, **UPLOAD_ERRORS})
def attachment_upload(request, contract_id: int, file: File[UploadedFile]):
    """Multipart `file`; type checked by content."""
    contract = _get(request, contract_id)
    attachment = services.attachment_add(actor=request.auth, contract=contract, upload=file)
    return Status(201, {**attachment_out(attachment), "allowed_actions": rules.allowed_actions(request.auth, contract)})


@router.get("/contracts/attachments/{attachment_id}/download", response={200: None, **ERRORS})
def attachment_download(request, attachment_id: int, inline: bool = False):
    return file_response(selectors.attachment_get(actor=request.auth, pk=attachment_id).file, inline=inline)


def amendment_out(a) -> dict:
    return {"id": a.pk, "number": a.number, "reason": a.reason, "changes": a.changes, "from_version": a.from_version,
            "status": a.status, "proposed_by": user_ref(a.proposed_by), "created_at": a.created_at,
            "decided_at": a.decided_at}


@router.get("/contracts/{contract_id}/amendments", response={200: list[AmendmentOut], **ERRORS})
def amendment_list(request, contract_id: int):
    contract = _get(request, contract_id)
    return [amendment_out(a) for a in contract.amendments.select_related("proposed_by").order_by("number")]


@router.post("/contracts/{contract_id}/amendments", response={201: AmendmentOut, **ERRORS})
def amendment_propose(request, contract_id: int, payload: AmendmentIn):
    """Propose new terms (`changes`: any of amount, currency, tax_rate, start_on, end_on, terms, milestones)
    with a reason; the amendment's review starts at once."""
    contract = _get(request, contract_id)
    amendment = services.amendment_propose(actor=request.auth, contract=contract, changes=payload.changes,
                                           reason=payload.reason)
    return Status(201, {**amendment_out(amendment), "allowed_actions": rules.allowed_actions(request.auth, contract)})


@router.get("/contracts/{contract_id}/versions", response={200: list[VersionOut], **ERRORS})
def versions(request, contract_id: int):
    """Every kept version of the terms, each with what changed from the one before."""
    return [{"number": v["number"], "terms": v["terms"], "created_at": v["created_at"], "changes": v["changes"],
             "amendment": v["amendment"].number if v["amendment"] else None}
            for v in selectors.versions_of(_get(request, contract_id))]
