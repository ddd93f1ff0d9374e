"""/payment-requests (steps approve, return or reject on the approvals engine; pay by finance) and /retentions
(sign-off by an inspector, release by the procurement head)."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.approvals import selectors as approval_selectors
from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, PageParams, TimelineEntryOut, money, paginate, timeline_out, user_ref
from opsmon.procurement.api import rounds_out
from opsmon.procurement.schemas import CommentIn, ReasonIn, RoundOut

from . import rules, selectors, services
from .choices import PaymentKind, PaymentStatus, RetentionStatus
from .schemas import (
    PaymentPayIn,
    PaymentRequestIn,
    PaymentRequestList,
    PaymentRequestOut,
    RetentionList,
    RetentionOut,
    RetentionReleaseIn,
    SignOffIn,
)

router = Router(tags=["payments"])
TABLES = ("payment_method", "review_step_kind")


def _code(labels, table, code) -> dict | None:
    if not code:
        return None
    return {"code": code, "label": str(labels.get((table, code), code))}


def order_ref(order) -> dict:
    return {"id": order.pk, "number": order.number, "title": order.title,
            "supplier": {"id": order.supplier_id, "number": order.supplier.number}}


def payment_out(actor, r, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES)
    account = r.payee_account
    return {
        "id": r.pk, "number": r.number, "order": order_ref(r.order), "kind": r.kind,
        "kind_label": str(r.get_kind_display()), "amount": money(r.amount),
        "payee_account": {"id": account.pk, "bank": account.bank, "account_name": account.account_name,
                          "account_no": account.account_no},
        "invoices": [{"id": i.pk, "number": i.number, "invoice_number": i.invoice_number, "total": money(i.total)}
                     for i in r.invoices.all()],
        "status": r.status, "status_label": str(r.get_status_display()), "due_on": r.due_on,
        "owner": user_ref(r.owner), "department": r.department.name, "note": r.note, "warnings": list(r.warnings),
        "paid_on": r.paid_on, "paid_amount": money(r.paid_amount), "method": _code(labels, "payment_method", r.method),
        "reference": r.reference, "paid_by": user_ref(r.paid_by), "status_reason": r.status_reason,
        "current_step": _current(r, labels), "version": r.version, "created_at": r.created_at,
        "updated_at": r.updated_at, "allowed_actions": rules.allowed_actions(actor, r),
    }


def _current(r, labels) -> dict | None:
    if r.status != PaymentStatus.IN_REVIEW:
        return None
    step = approval_selectors.current_step(r)
    return {"id": step.pk, "position": step.position,
            "kind": _code(labels, "review_step_kind", step.kind)} if step else None


def _one(request, pk) -> dict:
    return payment_out(request.auth, selectors.payment_get(actor=request.auth, pk=pk))


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(PaymentStatus.values))
    kind: str = Field("", max_length=16, description=" | ".join(PaymentKind.values))
    order: int | None = None
    mine: bool = False

    def filters(self) -> selectors.PaymentFilters:
        return selectors.PaymentFilters(q=self.q.strip(), status=self.status, kind=self.kind, order=self.order,
                                        mine=self.mine)


@router.get("/payment-requests", response={200: PaymentRequestList, **ERRORS})
def payment_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """The payment requests the caller may see, newest first."""
    page = paginate(selectors.payment_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map(*TABLES)
    return {"items": [payment_out(request.auth, r, labels) for r in page["items"]], "count": page["count"]}


@router.post("/payment-requests", response={201: PaymentRequestOut, **ERRORS})
def payment_create(request, payload: PaymentRequestIn):
    """A draft request on an order of the caller (the procurement head: any), signed or later; the amount within
    the order's ceiling for its kind (422 on `amount` naming what may still be requested)."""
    created = services.payment_create(actor=request.auth, **payload.model_dump())
    return Status(201, _one(request, created.pk))


@router.get("/payment-requests/{payment_request_id}", response={200: PaymentRequestOut, **ERRORS})
def payment_detail(request, payment_request_id: int):
    return _one(request, payment_request_id)


@router.get("/payment-requests/{payment_request_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def payment_timeline(request, payment_request_id: int):
    return timeline_out(timeline.entries_for(selectors.payment_get(actor=request.auth, pk=payment_request_id)))


@router.post("/payment-requests/{payment_request_id}/submit-review", response={200: PaymentRequestOut, **ERRORS})
def payment_submit(request, payment_request_id: int, payload: CommentIn = None):
    """Start a review round (route by amount band); the ceiling is checked again."""
    record = selectors.payment_get(actor=request.auth, pk=payment_request_id)
    services.payment_submit(actor=request.auth, record=record)
    return _one(request, payment_request_id)


@router.get("/payment-requests/{payment_request_id}/reviews", response={200: list[RoundOut], **ERRORS})
def payment_reviews(request, payment_request_id: int):
    return rounds_out(selectors.payment_get(actor=request.auth, pk=payment_request_id))


def _decide(request, pk: int, step_id: int, decision: str, comment: str) -> dict:
    record = selectors.payment_get(actor=request.auth, pk=pk)
    services.payment_decide(actor=request.auth, record=record, step_id=step_id, decision=decision, comment=comment)
    return _one(request, pk)


@router.post("/payment-requests/{payment_request_id}/reviews/{step_id}/approve",
             response={200: PaymentRequestOut, **ERRORS})
def payment_approve(request, payment_request_id: int, step_id: int, payload: CommentIn = None):
    return _decide(request, payment_request_id, step_id, "approve", payload.comment if payload else "")


@router.post("/payment-requests/{payment_request_id}/reviews/{step_id}/return",
             response={200: PaymentRequestOut, **ERRORS})
def payment_return(request, payment_request_id: int, step_id: int, payload: CommentIn):
    return _decide(request, payment_request_id, step_id, "return", payload.comment)


@router.post("/payment-requests/{payment_request_id}/reviews/{step_id}/reject",
             response={200: PaymentRequestOut, **ERRORS})
def payment_reject(request, payment_request_id: int, step_id: int, payload: CommentIn):
    return _decide(request, payment_request_id, step_id, "reject", payload.comment)


@router.post("/payment-requests/{payment_request_id}/pay", response={200: PaymentRequestOut, **ERRORS})
def payment_pay(request, payment_request_id: int, payload: PaymentPayIn):
    """approved → paid, by finance (never the requester: 403)."""
    record = selectors.payment_get(actor=request.auth, pk=payment_request_id)
    services.payment_pay(actor=request.auth, record=record, **payload.model_dump())
    return _one(request, payment_request_id)


@router.post("/payment-requests/{payment_request_id}/cancel", response={200: PaymentRequestOut, **ERRORS})
def payment_cancel(request, payment_request_id: int, payload: ReasonIn):
    record = selectors.payment_get(actor=request.auth, pk=payment_request_id)
    services.payment_cancel(actor=request.auth, record=record, reason=payload.reason)
    return _one(request, payment_request_id)


# --- retentions ---------------------------------------------------------------------------------------------

def retention_out(actor, r) -> dict:
    return {"id": r.pk, "order": order_ref(r.order), "amount": money(r.amount), "status": r.status,
            "status_label": str(r.get_status_display()), "due_on": r.due_on,
            "signed_off_by": user_ref(r.signed_off_by), "signed_off_at": r.signed_off_at,
            "sign_off_comment": r.sign_off_comment, "released_by": user_ref(r.released_by),
            "released_at": r.released_at, "deduction": money(r.deduction), "deduction_reason": r.deduction_reason,
            "releasable": money(r.releasable), "version": r.version,
            "allowed_actions": rules.retention_actions(actor, r)}


class RetentionParams(Schema):
    due: bool | None = Field(None, description="true: only those due (warranty ended, not released)")
    status: str = Field("", max_length=16, description=" | ".join(RetentionStatus.values))
    order: int | None = None


@router.get("/retentions", response={200: RetentionList, **ERRORS})
def retention_list(request, params: Query[RetentionParams], pager: Query[PageParams]):
    """The retentions the caller may see, soonest due first (brought up to date first: held → due)."""
    services.refresh_all(retentions=selectors.visible_retentions(request.auth))
    page = paginate(selectors.retention_list(actor=request.auth, due=params.due, status=params.status,
                                             order=params.order), pager)
    return {"items": [retention_out(request.auth, r) for r in page["items"]], "count": page["count"]}


@router.get("/retentions/{retention_id}", response={200: RetentionOut, **ERRORS})
def retention_detail(request, retention_id: int):
    return retention_out(request.auth, services.retention_get_fresh(actor=request.auth, pk=retention_id))


@router.post("/retentions/{retention_id}/sign-off", response={200: RetentionOut, **ERRORS})
def retention_sign_off(request, retention_id: int, payload: SignOffIn):
    """An inspector (not the order's purchaser) states "no open defects" on a due retention."""
    found = selectors.retention_get(actor=request.auth, pk=retention_id)
    services.retention_sign_off(actor=request.auth, retention=found, comment=payload.comment)
    return retention_out(request.auth, selectors.retention_get(actor=request.auth, pk=retention_id))


@router.post("/retentions/{retention_id}/release", response={200: RetentionOut, **ERRORS})
def retention_release(request, retention_id: int, payload: RetentionReleaseIn):
    """The procurement head releases a signed-off retention, less a deduction (with a reason)."""
    found = selectors.retention_get(actor=request.auth, pk=retention_id)
    services.retention_release(actor=request.auth, retention=found, deduction=payload.deduction,
                               reason=payload.reason)
    return retention_out(request.auth, selectors.retention_get(actor=request.auth, pk=retention_id))
