"""/purchase-orders and /sourcings/{id}/create-orders: purchase orders, reviews (steps approve, return or reject;
an amendment's steps too: its rounds are filed under the order), signing, cancelling, terminating, closing,
amendments, versions, the order's .docx."""

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from opsmon.approvals import selectors as approval_selectors
from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, PageParams, TimelineEntryOut, money, paginate, timeline_out, user_ref
from opsmon.procurement.api import rounds_out
from opsmon.sourcing.selectors import sourcing_get

from . import document, rules, selectors, services
from .choices import MilestoneKind, OrderStatus
from .schemas import (
    CommentIn,
    OrderAmendmentIn,
    OrderAmendmentOut,
    OrderIdsOut,
    OrderPatch,
    OrderVersionOut,
    PurchaseOrderList,
    PurchaseOrderOut,
    ReasonIn,
    RoundOut,
)

router = Router(tags=["purchasing"])
TABLES = ("unit", "supplier_category", "review_step_kind", "invoice_type")
KINDS = dict(MilestoneKind.choices)


def _code(labels, table, code) -> dict | None:
    return {"code": code, "label": str(labels.get((table, code), code))}


def order_out(actor, o, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES)
    figures = selectors.figures(o)
    step = approval_selectors.current_step(o) if o.status == OrderStatus.IN_REVIEW or \
        rules.open_amendment(o) is not None else None
    return {
        "id": o.pk, "number": o.number, "title": o.title, "status": o.status,
        "status_label": str(o.get_status_display()),
        "supplier": {"id": o.supplier_id, "name": o.supplier.name, "is_sme": o.supplier.is_sme},
        "sourcing": {"id": o.sourcing_id, "number": o.sourcing.number} if o.sourcing_id else None,
        "project": {"id": o.project_id, "number": o.project.number} if o.project_id else None,
        "contract": {"id": o.contract_id, "number": o.contract.number} if o.contract_id else None,
        "owner": user_ref(o.owner), "department": o.department.name,
        "total": money(o.total), "total_excl": money(o.total_excl), "award_total": money(o.award_total),
        "original_total": money(o.original_total), "retention_pct": str(o.retention_pct),
        "warranty_months": o.warranty_months, "payment_days": o.payment_days,
        "invoice_type": _code(labels, "invoice_type", o.invoice_type) if o.invoice_type else None,
        "pay_after_customer": o.pay_after_customer, "delivery_address": o.delivery_address, "note": o.note,
        "warnings": [str(w) for w in (o.warnings or [])], "signed_on": o.signed_on,
        "status_reason": o.status_reason, "revision": o.revision,
        "lines": [{"id": line.pk, "position": line.position, "item": line.item, "spec": line.spec,
                   "unit": _code(labels, "unit", line.unit),
                   "category": _code(labels, "supplier_category", line.category),
                   "qty": str(line.qty), "unit_price": str(line.unit_price), "tax_rate": str(line.tax_rate),
                   "amount": money(line.amount), "amount_excl": money(line.amount_excl),
                   "promised_on": line.promised_on, "dropped_qty": str(line.dropped_qty),
                   "request_line_id": line.request_line_id} for line in o.lines.all()],
        "milestones": [{"kind": m.kind, "kind_label": str(KINDS.get(m.kind, m.kind)), "name": m.name,
                        "percent": str(m.percent)} for m in o.milestones.all()],
        "figures": {k: money(figures[k]) for k in ("received", "invoiced", "paid")},
        "received": selectors.degree(figures["received"], o.total),
        "invoiced": selectors.degree(figures["invoiced"], o.total),
        "paid": selectors.degree(figures["paid"], o.total),
        "current_step": {"id": step.pk, "position": step.position,
                         "kind": _code(labels, "review_step_kind", step.kind)} if step else None,
        "version": o.version, "created_at": o.created_at, "updated_at": o.updated_at,
        "allowed_actions": rules.allowed_actions(actor, o),
    }


def _one(request, pk) -> dict:
    return order_out(request.auth, selectors.order_get(actor=request.auth, pk=pk))


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(OrderStatus.values))
    supplier: int | None = None
    project: int | None = None
    mine: bool = False

    def filters(self) -> selectors.OrderFilters:
        return selectors.OrderFilters(q=self.q.strip(), status=self.status, supplier=self.supplier,
                                      project=self.project, mine=self.mine)


@router.post("/sourcings/{sourcing_id}/create-orders", response={201: OrderIdsOut, **ERRORS})
def create_orders(request, sourcing_id: int):
    """One draft order per awarded supplier of an awarded sourcing (its purchaser); 409 when a supplier is not
    eligible today."""
    sourcing = sourcing_get(actor=request.auth, pk=sourcing_id)
    orders = services.orders_create(actor=request.auth, sourcing=sourcing)
    return Status(201, {"order_ids": [o.pk for o in orders]})


@router.get("/purchase-orders", response={200: PurchaseOrderList, **ERRORS})
def order_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """The orders the caller may see, newest first."""
    page = paginate(selectors.order_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map(*TABLES)
    return {"items": [order_out(request.auth, o, labels) for o in page["items"]], "count": page["count"]}


@router.get("/purchase-orders/{order_id}", response={200: PurchaseOrderOut, **ERRORS})
def order_detail(request, order_id: int):
    return _one(request, order_id)


@router.patch("/purchase-orders/{order_id}", response={200: PurchaseOrderOut, **ERRORS})
def order_update(request, order_id: int, payload: OrderPatch):
    """Change a draft order's terms (its purchaser); `version` must be current; `milestones` replaces them all;
    `lines` sets promised dates. Warnings (retention, SME payment days) come back in `warnings`."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    data = {k: v for k, v in data.items() if v is not None or k in ("lines",)}
    if data.get("lines") is None:
        data.pop("lines", None)
    services.order_update(actor=request.auth, order=order, version=version, **data)
    return _one(request, order_id)


@router.get("/purchase-orders/{order_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def order_timeline(request, order_id: int):
    return timeline_out(timeline.entries_for(selectors.order_get(actor=request.auth, pk=order_id)))


@router.post("/purchase-orders/{order_id}/submit-review", response={200: PurchaseOrderOut, **ERRORS})
def order_submit(request, order_id: int, payload: CommentIn = None):
    """Start a review round; `warnings` says why extra steps were added (above the award, over the budget)."""
    services.order_submit(actor=request.auth, order=selectors.order_get(actor=request.auth, pk=order_id))
    return _one(request, order_id)


@router.get("/purchase-orders/{order_id}/reviews", response={200: list[RoundOut], **ERRORS})
def order_reviews(request, order_id: int):
    """Every review round (the order's and its amendments'), oldest first, with steps and decisions."""
    return rounds_out(selectors.order_get(actor=request.auth, pk=order_id))


def _decide(request, order_id, step_id, decision, comment):
    order = selectors.order_get(actor=request.auth, pk=order_id)
    services.order_decide(actor=request.auth, order=order, step_id=step_id, decision=decision, comment=comment)
    return _one(request, order_id)


@router.post("/purchase-orders/{order_id}/reviews/{step_id}/approve", response={200: PurchaseOrderOut, **ERRORS})
def order_approve(request, order_id: int, step_id: int, payload: CommentIn = None):
    return _decide(request, order_id, step_id, "approve", payload.comment if payload else "")


@router.post("/purchase-orders/{order_id}/reviews/{step_id}/return", response={200: PurchaseOrderOut, **ERRORS})
def order_return(request, order_id: int, step_id: int, payload: CommentIn):
    """Back to draft for changes (a comment is required); an amendment returned is rejected."""
    return _decide(request, order_id, step_id, "return", payload.comment)


@router.post("/purchase-orders/{order_id}/reviews/{step_id}/reject", response={200: PurchaseOrderOut, **ERRORS})
def order_reject(request, order_id: int, step_id: int, payload: CommentIn):
    """Final: the order is cancelled (an amendment rejected). A comment is required."""
    return _decide(request, order_id, step_id, "reject", payload.comment)


@router.post("/purchase-orders/{order_id}/sign", response={200: PurchaseOrderOut, **ERRORS})
def order_sign(request, order_id: int, signed_on: Form[str] = "", file: File[UploadedFile] = None):
    """approved → signed (multipart: signed_on, file = the signed copy)."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    services.order_sign(actor=request.auth, order=order, signed_on=signed_on, signed_copy=file)
    return _one(request, order_id)


@router.post("/purchase-orders/{order_id}/cancel", response={200: PurchaseOrderOut, **ERRORS})
def order_cancel(request, order_id: int, payload: ReasonIn):
    """draft | approved | signed → cancelled while nothing is received, invoiced or paid (409 otherwise)."""
    services.order_cancel(actor=request.auth, order=selectors.order_get(actor=request.auth, pk=order_id),
                          reason=payload.reason)
    return _one(request, order_id)


@router.post("/purchase-orders/{order_id}/terminate", response={200: PurchaseOrderOut, **ERRORS})
def order_terminate(request, order_id: int, payload: ReasonIn):
    """signed → terminated: what is not accepted is dropped."""
    services.order_terminate(actor=request.auth, order=selectors.order_get(actor=request.auth, pk=order_id),
                             reason=payload.reason)
    return _one(request, order_id)


@router.post("/purchase-orders/{order_id}/close", response={200: PurchaseOrderOut, **ERRORS})
def order_close(request, order_id: int, payload: CommentIn = None):
    """completed → closed (retention settled, evaluated); the procurement head or the purchaser."""
    services.order_close(actor=request.auth, order=selectors.order_get(actor=request.auth, pk=order_id))
    return _one(request, order_id)


def amendment_out(a) -> dict:
    return {"id": a.pk, "status": a.status, "status_label": str(a.get_status_display()), "changes": a.changes,
            "reason": a.reason, "created_by": user_ref(a.created_by), "created_at": a.created_at,
            "decided_at": a.decided_at}


@router.get("/purchase-orders/{order_id}/amendments", response={200: list[OrderAmendmentOut], **ERRORS})
def amendment_list(request, order_id: int):
    order = selectors.order_get(actor=request.auth, pk=order_id)
    return [amendment_out(a) for a in order.amendments.select_related("created_by").order_by("-created_at", "-id")]


@router.post("/purchase-orders/{order_id}/amendments", response={201: OrderAmendmentOut, **ERRORS})
def amendment_create(request, order_id: int, payload: OrderAmendmentIn):
    """Propose changed terms of a signed order (reviewed on the order routes, for the amended total)."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    amendment = services.amendment_propose(actor=request.auth, order=order, changes=payload.changes,
                                           reason=payload.reason)
    return Status(201, amendment_out(amendment))


@router.get("/purchase-orders/{order_id}/versions", response={200: list[OrderVersionOut], **ERRORS})
def version_list(request, order_id: int):
    """The terms as signed (revision 1) and after each approved amendment."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    return [{"revision": v.revision, "terms": v.terms, "amendment_id": v.amendment_id, "created_at": v.created_at}
            for v in order.versions.order_by("revision")]


@router.get("/purchase-orders/{order_id}/document", response={200: None, **ERRORS})
def order_document(request, order_id: int):
    """The order as a buyer prints it (.docx)."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    response = HttpResponse(document.order_docx(order), content_type=document.DOCX)
    response["Content-Disposition"] = f'attachment; filename="{order.number}.docx"'
    return response
