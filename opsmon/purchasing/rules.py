"""May this viewer do this action on this purchase order (采购合同/订单) now? PROCUREMENT.md "PurchaseOrder".

- The sourcing's purchaser creates the orders of an awarded sourcing (one draft per awarded supplier).
- The order's purchaser (owner) edits the draft's terms, submits it to a review round on the approvals engine (kind
  "purchase_order"; steps approve, return it to draft, or reject it: cancelled, final), signs the approved order
  with its signed copy, proposes amendments of a signed order (kind "order_amendment", on the order routes).
- The owner or the procurement head cancels a draft, approved or signed order while nothing is received, invoiced
  or paid (the higher modules answer `hooks.cancel_refusal`), terminates a signed one (open quantity dropped), and
  closes a completed one (retention settled, evaluated: `hooks.close_refusal`).
- Nobody decides a step of his own order or of an amendment he proposed; the executive reads everything and
  decides nothing; outside systems file nothing.

Each `can_<action>` answers the refusal the service raises or None; role first, then state. The record came through
the selector (404 outside the viewer's scope)."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.approvals import rules as approval_rules
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.procurement import rules as procurement_rules
from opsmon.sourcing.choices import SourcingStatus

from . import hooks
from .choices import AmendmentStatus, OrderStatus
from .models import PurchaseOrder

S = OrderStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "submit": ({S.DRAFT}, S.IN_REVIEW),
    "approved": ({S.IN_REVIEW}, S.APPROVED),       # the engine's last approval
    "returned": ({S.IN_REVIEW}, S.DRAFT),          # a step returned it for changes
    "rejected": ({S.IN_REVIEW}, S.CANCELLED),      # a step rejected it (final)
    "sign": ({S.APPROVED}, S.SIGNED),
    "cancel": ({S.DRAFT, S.APPROVED, S.SIGNED}, S.CANCELLED),
    "terminate": ({S.SIGNED}, S.TERMINATED),
    "complete": ({S.SIGNED}, S.COMPLETED),         # services.check_completed: accepted, invoiced, paid bar retention
    "close": ({S.COMPLETED}, S.CLOSED),
}
EDITABLE = frozenset({S.DRAFT})
# Orders whose lines are the project's commitment (approved or later, not cancelled).
COMMITTED = frozenset({S.APPROVED, S.SIGNED, S.COMPLETED, S.CLOSED, S.TERMINATED})
# Orders whose lines count as ordered for their purchase requests.
LIVE = frozenset({S.DRAFT, S.IN_REVIEW, S.APPROVED, S.SIGNED, S.COMPLETED, S.CLOSED, S.TERMINATED})


def files_nothing(viewer) -> bool:
    return procurement_rules.files_nothing(viewer)


def _owner(viewer, order: PurchaseOrder) -> Refusal:
    if files_nothing(viewer) or viewer.pk != order.owner_id:
        return PermissionDenied(_("Only the order's purchaser does this."))
    return None


def _owner_or_head(viewer, order: PurchaseOrder) -> Refusal:
    if files_nothing(viewer) or (viewer.pk != order.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD)):
        return PermissionDenied(_("Only the order's purchaser or the procurement head does this."))
    return None


def can_create_orders(viewer, sourcing) -> Refusal:
    """Orders of an awarded sourcing: its purchaser."""
    if files_nothing(viewer) or viewer.pk != sourcing.owner_id:
        return PermissionDenied(_("Only the sourcing's purchaser creates its orders."))
    if sourcing.status != SourcingStatus.AWARDED:
        return Conflict(_("Orders are created from an awarded sourcing only."), code="wrong_state")
    return None


def can_edit(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner(viewer, order),
                 None if order.status in EDITABLE else
                 Conflict(_("Only a draft order is changed; a signed one through an amendment."), code="wrong_state"))


def can_submit(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner(viewer, order), in_state(order, "submit", TRANSITIONS))


def can_decide(viewer, order: PurchaseOrder, decision: str = "") -> Refusal:
    """A step of a round filed under the order: its own review or an amendment's (judged on the round's own
    subject: never the order's purchaser, never the amendment's proposer)."""
    step = procurement_rules.last_step(order)
    if step is None:
        return PermissionDenied(_("You are not a decider of this step."), code="not_decider")
    return approval_rules.can_decide(viewer, step, decision=decision)


def can_approve(viewer, order) -> Refusal:
    return can_decide(viewer, order, "approve")


def can_return(viewer, order) -> Refusal:
    return can_decide(viewer, order, "return")


def can_reject(viewer, order) -> Refusal:
    return can_decide(viewer, order, "reject")


def can_sign(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner(viewer, order), in_state(order, "sign", TRANSITIONS))


def _hook_refusal(hook, order: PurchaseOrder, code: str) -> Refusal:
    """The first reason a higher module gives (receipts, invoices, payments, retention, evaluation), as a 409."""
    reason = next((r for r in hook(order=order) if r), None)
    return Conflict(str(reason), code=code) if reason else None


def can_cancel(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner_or_head(viewer, order), in_state(order, "cancel", TRANSITIONS)) \
        or _hook_refusal(hooks.cancel_refusal, order, "order_in_use")


def can_terminate(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner_or_head(viewer, order), in_state(order, "terminate", TRANSITIONS))


def can_close(viewer, order: PurchaseOrder) -> Refusal:
    return first(_owner_or_head(viewer, order), in_state(order, "close", TRANSITIONS)) \
        or _hook_refusal(hooks.close_refusal, order, "not_closable")


def open_amendment(order: PurchaseOrder):
    if not hasattr(order, "_open_amendment"):
        order._open_amendment = order.amendments.filter(status=AmendmentStatus.IN_REVIEW).first()
    return order._open_amendment


def can_amend(viewer, order: PurchaseOrder) -> Refusal:
    refusal = first(_owner(viewer, order),
                    None if order.status == S.SIGNED else
                    Conflict(_("Only a signed order is amended."), code="wrong_state"))
    if refusal is None and open_amendment(order) is not None:
        return Conflict(_("Another amendment of this order is in review."), code="amendment_open")
    return refusal


RULES = {
    "edit": can_edit,
    "submit": can_submit,
    "approve": can_approve,
    "return": can_return,
    "reject": can_reject,
    "sign": can_sign,
    "cancel": can_cancel,
    "terminate": can_terminate,
    "close": can_close,
    "amend": can_amend,
}


def allowed_actions(viewer, order: PurchaseOrder) -> list[str]:
    return allowed(RULES, viewer, order)
