"""/purchase-orders/{id}/evaluation: the supplier's evaluation of one order (PROCUREMENT.md "SupplierEvaluation")."""

from ninja import Router

from opsmon.core.errors import NotFound
from opsmon.core.schemas import ERRORS, user_ref
from opsmon.receiving.selectors import order_get

from . import rules, selectors, services
from .schemas import EvaluationIn, EvaluationOut

router = Router(tags=["evaluations"])


def evaluation_out(actor, order, e) -> dict:
    supplier = e.supplier
    return {"order": {"id": order.pk, "number": order.number},
            "supplier": {"id": supplier.pk, "number": supplier.number, "name": supplier.name,
                         "grade": supplier.grade},
            "on_time": str(e.on_time), "quality": str(e.quality), "price": str(e.price), "service": str(e.service),
            "score": str(e.score), "grade": e.grade, "comment": e.comment, "owner": user_ref(e.created_by),
            "created_at": e.created_at, "updated_at": e.updated_at,
            "allowed_actions": rules.allowed_actions(actor, order)}


def _answer(actor, order) -> dict:
    found = selectors.evaluation_of(order)
    if found is None:
        raise NotFound()
    return evaluation_out(actor, order, found)


@router.get("/purchase-orders/{order_id}/evaluation", response={200: EvaluationOut, **ERRORS})
def evaluation_get(request, order_id: int):
    """The order's evaluation (404 before there is one, or when the order is not visible)."""
    return _answer(request.auth, order_get(actor=request.auth, pk=order_id))


@router.put("/purchase-orders/{order_id}/evaluation", response={200: EvaluationOut, **ERRORS})
def evaluation_put(request, order_id: int, payload: EvaluationIn):
    """Evaluate (or evaluate again) the supplier on a signed or completed order: the order's purchaser or the
    procurement head gives price and service (0–100); on_time and quality come from the receipts; score and grade
    (A ≥ 85, B ≥ 70, C ≥ 50, else D) follow, and the supplier's grade becomes this one."""
    order = order_get(actor=request.auth, pk=order_id)
    services.evaluation_save(actor=request.auth, order=order, **payload.model_dump())
    return _answer(request.auth, order)
