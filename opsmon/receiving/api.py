"""/purchase-orders/{id}/receipts and /receipts: deliveries and their inspection (PROCUREMENT.md "Receipt")."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, PageParams, TimelineEntryOut, paginate, timeline_out, user_ref

from . import rules, selectors, services
from .choices import ReceiptStatus
from .schemas import ReasonIn, ReceiptAcceptIn, ReceiptIn, ReceiptList, ReceiptOut, ReceiptSubmitIn

router = Router(tags=["receiving"])


def receipt_out(actor, r) -> dict:
    order = r.order
    return {
        "id": r.pk, "number": r.number, "status": r.status, "status_label": str(r.get_status_display()),
        "order": {"id": order.pk, "number": order.number, "title": order.title, "supplier": order.supplier.name},
        "delivered_on": r.delivered_on, "accepted_on": r.accepted_on, "inspector": user_ref(r.inspector),
        "owner": user_ref(r.created_by), "note": r.note, "status_reason": r.status_reason,
        "lines": [{"id": rl.pk, "order_line_id": rl.order_line_id, "position": rl.order_line.position,
                   "item": rl.order_line.item, "unit": rl.order_line.unit,
                   "ordered": str(selectors.ordered(rl.order_line)), "qty": str(rl.qty), "accepted": str(rl.accepted),
                   "rejected": str(rl.rejected), "note": rl.note} for rl in r.lines.all()],
        "version": r.version, "created_at": r.created_at, "updated_at": r.updated_at,
        "allowed_actions": rules.allowed_actions(actor, r),
    }


def _one(request, pk) -> dict:
    return receipt_out(request.auth, selectors.receipt_get(actor=request.auth, pk=pk))


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(ReceiptStatus.values))
    order: int | None = None
    mine: bool = False

    def filters(self) -> selectors.ReceiptFilters:
        return selectors.ReceiptFilters(q=self.q.strip(), status=self.status, order=self.order, mine=self.mine)


@router.get("/purchase-orders/{order_id}/receipts", response={200: ReceiptList, **ERRORS})
def order_receipts(request, order_id: int, pager: Query[PageParams]):
    """The order's receipts the caller may see, newest first."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    page = paginate(selectors.receipts_of(order, actor=request.auth), pager)
    return {"items": [receipt_out(request.auth, r) for r in page["items"]], "count": page["count"]}


@router.post("/purchase-orders/{order_id}/receipts", response={201: ReceiptOut, **ERRORS})
def receipt_create(request, order_id: int, payload: ReceiptIn):
    """Record a delivery (a draft) on a signed order: its purchaser or the procurement head; per line delivered ≤
    ordered − accepted − pending (+ over_receipt_pct)."""
    order = selectors.order_get(actor=request.auth, pk=order_id)
    data = payload.model_dump()
    data["lines"] = [dict(line) for line in data["lines"]]
    created = services.receipt_create(actor=request.auth, order=order, **data)
    return Status(201, _one(request, created.pk))


@router.get("/receipts", response={200: ReceiptList, **ERRORS})
def receipt_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """The receipts the caller may see (his inspections, and those of the orders he sees), newest first."""
    page = paginate(selectors.receipt_list(actor=request.auth, filters=params.filters()), pager)
    return {"items": [receipt_out(request.auth, r) for r in page["items"]], "count": page["count"]}


@router.get("/receipts/{receipt_id}", response={200: ReceiptOut, **ERRORS})
def receipt_detail(request, receipt_id: int):
    return _one(request, receipt_id)


@router.get("/receipts/{receipt_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def receipt_timeline(request, receipt_id: int):
    return timeline_out(timeline.entries_for(selectors.receipt_get(actor=request.auth, pk=receipt_id)))


@router.post("/receipts/{receipt_id}/submit", response={200: ReceiptOut, **ERRORS})
def receipt_submit(request, receipt_id: int, payload: ReceiptSubmitIn = None):
    """draft → inspecting: the inspector is told."""
    record = selectors.receipt_get(actor=request.auth, pk=receipt_id)
    services.receipt_submit(actor=request.auth, receipt=record)
    return _one(request, receipt_id)


@router.post("/receipts/{receipt_id}/accept", response={200: ReceiptOut, **ERRORS})
def receipt_accept(request, receipt_id: int, payload: ReceiptAcceptIn):
    """The inspector splits every delivered line into accepted and rejected; nothing accepted → rejected."""
    record = selectors.receipt_get(actor=request.auth, pk=receipt_id)
    data = payload.model_dump()
    services.receipt_accept(actor=request.auth, receipt=record, lines=[dict(line) for line in data["lines"]],
                            accepted_on=data["accepted_on"])
    return _one(request, receipt_id)


@router.post("/receipts/{receipt_id}/cancel", response={200: ReceiptOut, **ERRORS})
def receipt_cancel(request, receipt_id: int, payload: ReasonIn):
    record = selectors.receipt_get(actor=request.auth, pk=receipt_id)
    services.receipt_cancel(actor=request.auth, receipt=record, reason=payload.reason)
    return _one(request, receipt_id)
