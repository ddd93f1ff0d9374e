"""/bids and /bonds: registration, tender analysis, documents, workflow, opening, results, summary, bonds."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from opsmon.codes.selectors import label_map
from opsmon.core import jobs, timeline
from opsmon.core.errors import NotFound
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

from . import rules, selectors, services
from .models import BidSummary
from .report import bonds_xlsx, summary_docx
from .schemas import (
    BidDetailOut,
    BidIn,
    BidListParams,
    BidOut,
    BidPatch,
    BondIn,
    BondListParams,
    BondOut,
    BondPage,
    CreatedContractOut,
    DocumentCreatedOut,
    DocumentOut,
    OpeningIn,
    OpeningOut,
    PayIn,
    ReasonIn,
    RefundIn,
    SummaryIn,
    SummaryOut,
    TenderAnalysisIn,
)

router = Router(tags=["bids"])
UPLOAD_ERRORS = {**ERRORS, 413: ErrorOut}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bid_out(b, labels=None, viewer=None) -> dict:
    """A bid as the API answers it; with `viewer`, the detail's `allowed_actions` for him."""
    labels = labels if labels is not None else label_map("tender_method", "scoring_method")
    return {
        "id": b.pk, "number": b.number, "title": b.title, "status": b.status,
        "status_label": str(b.get_status_display()), "voided": b.voided, "closed": b.closed,
        "opportunity": {"id": b.opportunity_id, "number": b.opportunity.number},
        "project": {"id": b.project_id, "number": b.project.number} if b.project_id else None,
        "customer": b.opportunity.customer.name, "owner": user_ref(b.owner), "department": b.department.name,
        "tenderer": b.tenderer, "agency": b.agency, "tender_no": b.tender_no,
        "tender_method": code_ref(labels, "tender_method", b.tender_method),
        "estimated_price": money(b.estimated_price), "ceiling_price": money(b.ceiling_price),
        "currency": b.currency, "submission_deadline": b.submission_deadline, "opening_at": b.opening_at,
        "qualification_requirements": b.qualification_requirements,
        "scoring_method": code_ref(labels, "scoring_method", b.scoring_method), "risks": b.risks,
        "decision": b.decision, "decision_reason": b.decision_reason, "abandon_reason": b.abandon_reason,
        "result_known_on": b.result_known_on, "contract_signed_on": b.contract_signed_on, "closed_at": b.closed_at,
        "version": b.version, "created_at": b.created_at, "updated_at": b.updated_at,
        **({"allowed_actions": rules.allowed_actions(viewer, b)} if viewer is not None else {}),
    }


def _get(request, pk):
    return selectors.bid_get(actor=request.auth, pk=pk)


def _one(request, pk):
    """The bid as it is now, with what the caller may do to it next."""
    return bid_out(_get(request, pk), viewer=request.auth)


def _allowed(request, pk) -> list[str]:
    return rules.allowed_actions(request.auth, _get(request, pk))


@router.get("/bids", response={200: Page[BidOut], **ERRORS})
def bid_list(request, params: Query[BidListParams], pager: Query[PageParams]):
    page = paginate(selectors.bid_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map("tender_method", "scoring_method")
    page["items"] = [bid_out(b, labels) for b in page["items"]]
    return page


@router.post("/bids", response={201: BidDetailOut, **ERRORS})
def bid_register(request, payload: BidIn):
    """Register (备案) a bid directly against an opportunity (bid assistant, or the opportunity's sales team)."""
    opportunity = selectors.registrable_opportunity(actor=request.auth, pk=payload.opportunity_id)
    bid = services.bid_register(actor=request.auth, opportunity=opportunity, title=payload.title,
                                project_id=payload.project_id)
    return Status(201, _one(request, bid.pk))


@router.get("/bids/{bid_id}", response={200: BidDetailOut, **ERRORS})
def bid_detail(request, bid_id: int):
    return _one(request, bid_id)


@router.patch("/bids/{bid_id}", response={200: BidDetailOut, **ERRORS})
def bid_update(request, bid_id: int, payload: BidPatch):
    services.bid_update(actor=request.auth, bid=_get(request, bid_id), **payload.model_dump(exclude_unset=True))
    return _one(request, bid_id)


@router.get("/bids/{bid_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def bid_timeline(request, bid_id: int):
    return timeline_out(timeline.entries_for(_get(request, bid_id)))


@router.put("/bids/{bid_id}/tender-analysis", response={200: BidDetailOut, **ERRORS})
def tender_analysis(request, bid_id: int, payload: TenderAnalysisIn):
    services.tender_analysis_save(actor=request.auth, bid=_get(request, bid_id),
                                  **payload.model_dump(exclude_unset=True))
    return _one(request, bid_id)


def document_out(d) -> dict:
    return {"id": d.pk, "kind": d.kind, "name": d.name, "version": d.version, "size": d.file.size,
            "sha256": d.file.sha256, "content_type": d.file.content_type, "uploaded_by": user_ref(d.uploaded_by),
            "uploaded_at": d.uploaded_at, "download_url": f"/api/v1/bids/documents/{d.pk}/download"}


@router.get("/bids/{bid_id}/documents", response={200: Page[DocumentOut], **ERRORS})
def document_list(request, bid_id: int):
    """Every version of every document, newest version first within a name."""
    items = [document_out(d) for d in selectors.documents(_get(request, bid_id))]
    return {"items": items, "count": len(items)}


@router.post("/bids/{bid_id}/documents", response={201: DocumentCreatedOut, **UPLOAD_ERRORS})
def document_upload(request, bid_id: int, kind: Form[str], file: File[UploadedFile]):
    """Multipart `kind` (tender|bid|clarification|result|other) and `file`; type checked by content, ≤ 50 MB.
    Answers the document and the bid's `allowed_actions`."""
    doc = services.document_upload(actor=request.auth, bid=_get(request, bid_id), kind=kind, upload=file)
    return Status(201, {**document_out(doc), "allowed_actions": _allowed(request, bid_id)})


@router.get("/bids/documents/{doc_id}/download", response={200: None, **ERRORS})
def document_download(request, doc_id: int, inline: bool = False):
    """The file, after a visibility check; `inline=true` previews PDFs and images in the browser."""
    return file_response(selectors.document_get(actor=request.auth, pk=doc_id).file, inline=inline)


def _action(name):
    def endpoint(request, bid_id: int):
        getattr(services, name)(actor=request.auth, bid=_get(request, bid_id))
        return _one(request, bid_id)
    return endpoint


for _path, _name in (("start-preparation", "bid_start_preparation"), ("submit", "bid_submit"),
                     ("mark-won", "bid_mark_won"), ("mark-lost", "bid_mark_lost"), ("close", "bid_close")):
    router.post(f"/bids/{{bid_id}}/{_path}", response={200: BidDetailOut, **ERRORS},
                operation_id=_name)(_action(_name))


@router.post("/bids/{bid_id}/abandon", response={200: BidDetailOut, **ERRORS})
def abandon(request, bid_id: int, payload: ReasonIn):
    services.bid_abandon(actor=request.auth, bid=_get(request, bid_id), reason=payload.reason)
    return _one(request, bid_id)


def opening_out(opening, allowed: list[str]) -> dict:
    return {"opened_at": opening.opened_at, "winner": opening.winner,
            "entries": [{"bidder": e.bidder, "price": f"{e.price:.2f}", "score": str(e.score) if e.score is not None
                         else None, "rank": e.rank, "is_us": e.is_us} for e in opening.entries.all()],
            "allowed_actions": allowed}


@router.put("/bids/{bid_id}/opening", response={200: OpeningOut, **ERRORS})
def opening_put(request, bid_id: int, payload: OpeningIn):
    """Record (or correct, before the result) the opening: every bidder, exactly one row marked as us. Answers
    the opening and the bid's `allowed_actions`."""
    bid = services.opening_record(actor=request.auth, bid=_get(request, bid_id), opened_at=payload.opened_at,
                                  entries=[e.model_dump() for e in payload.entries], winner=payload.winner)
    return opening_out(bid.opening, _allowed(request, bid_id))


@router.get("/bids/{bid_id}/opening", response={200: OpeningOut, **ERRORS})
def opening_get(request, bid_id: int):
    bid = _get(request, bid_id)
    if not hasattr(bid, "opening"):
        raise NotFound()
    return opening_out(bid.opening, rules.allowed_actions(request.auth, bid))


def summary_out(s, allowed: list[str]) -> dict:
    return {"person_days": str(s.person_days), "cost": f"{s.cost:.2f}", "outcome_reason": s.outcome_reason,
            "lessons": s.lessons, "bond_note": s.bond_note, "author": user_ref(s.author), "updated_at": s.updated_at,
            "allowed_actions": allowed}


@router.put("/bids/{bid_id}/summary", response={200: SummaryOut, **ERRORS})
def summary_put(request, bid_id: int, payload: SummaryIn):
    """File (or correct, until the bid is closed) the summary report; answers it and the bid's
    `allowed_actions`."""
    summary = services.summary_save(actor=request.auth, bid=_get(request, bid_id), **payload.model_dump())
    return summary_out(summary, _allowed(request, bid_id))


@router.get("/bids/{bid_id}/summary", response={200: SummaryOut, **ERRORS})
def summary_get(request, bid_id: int):
    bid = _get(request, bid_id)
    summary = BidSummary.objects.filter(bid=bid).select_related("author").first()
    if summary is None:
        raise NotFound()
    return summary_out(summary, rules.allowed_actions(request.auth, bid))


@router.get("/bids/{bid_id}/summary.docx", response={200: None, **ERRORS})
def summary_export(request, bid_id: int):
    """The summary report (投标总结报告) as a Word document, in Chinese, with the opening table."""
    bid = _get(request, bid_id)
    if not BidSummary.objects.filter(bid=bid).exists():
        raise NotFound()
    response = HttpResponse(summary_docx(bid), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{bid.number}-summary.docx"'
    return response


@router.post("/bids/{bid_id}/create-contract", response={200: CreatedContractOut, **ERRORS})
def create_contract(request, bid_id: int):
    """Draft the contract of a won bid; answers it and the bid's `allowed_actions`."""
    contract = services.bid_create_contract(actor=request.auth, bid=_get(request, bid_id))
    return {"contract_id": contract.pk, "number": contract.number, "allowed_actions": _allowed(request, bid_id)}


# --- bonds ----------------------------------------------------------------------------------------------

def bond_out(bond, viewer, labels=None, today=None) -> dict:
    """A bond as the API answers it, with what `viewer` may do to it now."""
    labels = labels if labels is not None else label_map("bond_method")
    due = selectors.refund_due_on(bond)
    today = today or timezone.localdate()
    return {
        "id": bond.pk, "bid": {"id": bond.bid_id, "number": bond.bid.number}, "department": bond.bid.department.name,
        "kind": bond.kind, "amount": f"{bond.amount:.2f}", "currency": bond.currency,
        "method": code_ref(labels, "bond_method", bond.method), "due_on": bond.due_on, "status": bond.status,
        "paid_on": bond.paid_on, "reference": bond.reference, "refunded_on": bond.refunded_on,
        "refunded_principal": money(bond.refunded_principal), "refund_interest": money(bond.refund_interest),
        "forfeit_reason": bond.forfeit_reason, "converted_to_id": bond.converted_to_id, "refund_due_on": due,
        "overdue": bool(due and due < today), "warnings": services.bond_warnings(bond), "version": bond.version,
        "allowed_actions": rules.bond_allowed_actions(viewer, bond),
    }


@router.get("/bids/{bid_id}/bonds", response={200: BondPage, **ERRORS})
def bid_bonds(request, bid_id: int):
    bonds = selectors.bond_list(actor=request.auth, bid=_get(request, bid_id))
    labels = label_map("bond_method")
    return {"items": [bond_out(b, request.auth, labels) for b in bonds], "count": bonds.count(),
            "money_out": selectors.money_out(bonds)}


@router.post("/bids/{bid_id}/bonds", response={201: BondOut, **ERRORS})
def bond_create(request, bid_id: int, payload: BondIn):
    """Plan a bond; the answer's `warnings` name the legal limits it exceeds (never a refusal)."""
    bond = services.bond_create(actor=request.auth, bid=_get(request, bid_id), **payload.model_dump())
    return Status(201, bond_out(bond, request.auth))


@router.get("/bonds", response={200: BondPage, **ERRORS})
def bond_register(request, params: Query[BondListParams], pager: Query[PageParams]):
    """The bond register: filters, and `money_out` = paid bonds not yet back, per currency."""
    bonds = selectors.bond_list(actor=request.auth, filters=params.filters())
    page = paginate(bonds, pager)
    labels = label_map("bond_method")
    page["items"] = [bond_out(b, request.auth, labels) for b in page["items"]]
    page["money_out"] = selectors.money_out(bonds)
    return page


BOND_EXPORT_JOB = "bonds.export"
jobs.register_export(BOND_EXPORT_JOB, gettext_lazy("Export bonds"), write=bonds_xlsx, filename="bonds.xlsx",
                     rows=lambda actor, filters: selectors.bond_list(
                         actor=actor, filters=BondListParams.model_validate(filters).filters()))


@router.get("/bonds/export.xlsx", response={200: None, 202: JobAccepted, **ERRORS})
def bond_export(request, params: Query[BondListParams]):
    """The register's rows as Excel, filtered as the register is; above EXPORT_JOB_ROWS (10,000) rows 202
    `{job_id}`: the task worker writes it, `GET /jobs/{job_id}` gives its `result_url` when done."""
    bonds = selectors.bond_list(actor=request.auth, filters=params.filters())
    job = jobs.export_job_if_large(kind=BOND_EXPORT_JOB, actor=request.auth, queryset=bonds,
                                   filters=params.model_dump(mode="json"))
    if job:
        return Status(202, job_accepted(job))
    response = HttpResponse(bonds_xlsx(bonds), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bonds.xlsx"'
    return response


def _bond(request, pk):
    return selectors.bond_get(actor=request.auth, pk=pk)


@router.post("/bonds/{bond_id}/pay", response={200: BondOut, **ERRORS})
def bond_pay(request, bond_id: int, payload: PayIn):
    return bond_out(services.bond_pay(actor=request.auth, bond=_bond(request, bond_id), **payload.model_dump()),
                    request.auth)


@router.post("/bonds/{bond_id}/refund", response={200: BondOut, **ERRORS})
def bond_refund(request, bond_id: int, payload: RefundIn):
    return bond_out(services.bond_refund(actor=request.auth, bond=_bond(request, bond_id),
                                         **payload.model_dump()), request.auth)


@router.post("/bonds/{bond_id}/forfeit", response={200: BondOut, **ERRORS})
def bond_forfeit(request, bond_id: int, payload: ReasonIn):
    return bond_out(services.bond_forfeit(actor=request.auth, bond=_bond(request, bond_id), reason=payload.reason),
                    request.auth)


@router.post("/bonds/{bond_id}/convert-to-performance", response={200: BondOut, **ERRORS})
def bond_convert(request, bond_id: int):
    return bond_out(services.bond_convert_to_performance(actor=request.auth, bond=_bond(request, bond_id)),
                    request.auth)
