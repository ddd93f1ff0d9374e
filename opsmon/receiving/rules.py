"""May this viewer do this action on this receipt (到货验收) now? PROCUREMENT.md "Receipt".

- A delivery is recorded against a `signed` order by the order's purchaser (its owner) or the procurement head,
  as a draft naming its inspector (never the order's purchaser); the recorder submits it for inspection.
- The inspector alone accepts it (accepted + rejected per line; nothing accepted → `rejected`).
- The recorder (purchaser or procurement head) cancels a draft or inspecting receipt, or an accepted one while no
  higher module objects (receiving.hooks.cancel_refusal: an invoice matched against it).
- The executive reads everything and does nothing; outside systems nothing.

Each `can_<action>` answers the refusal the service raises or None; role first, then state."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.purchasing.choices import OrderStatus

from . import hooks
from .choices import ReceiptStatus
from .models import Receipt

S = ReceiptStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "submit": ({S.DRAFT}, S.INSPECTING),
    "accept": ({S.INSPECTING}, S.ACCEPTED),
    "reject": ({S.INSPECTING}, S.REJECTED),      # accepted nothing (the accept action's other outcome)
    "cancel": ({S.DRAFT, S.INSPECTING, S.ACCEPTED}, S.CANCELLED),
}
# Receipts whose delivered quantity still waits for its inspection: they count against the order's open quantity.
PENDING = frozenset({S.DRAFT, S.INSPECTING})


def _recorder(viewer, order) -> bool:
    return viewer.pk == order.owner_id or viewer.has_role(Role.PROCUREMENT_HEAD)


def _order_signed(order) -> Refusal:
    if order.status != OrderStatus.SIGNED:
        return Conflict(_("Deliveries are recorded and inspected on signed orders only."), code="wrong_state")
    return None


def can_create(viewer, order) -> Refusal:
    """Record a delivery on `order` (a PurchaseOrder)."""
    if not _recorder(viewer, order):
        return PermissionDenied(_("Only the order's purchaser or the procurement head records deliveries."))
    return _order_signed(order)


def can_submit(viewer, receipt: Receipt) -> Refusal:
    if not _recorder(viewer, receipt.order):
        return PermissionDenied(_("Only the order's purchaser or the procurement head submits the receipt."))
    return first(in_state(receipt, "submit", TRANSITIONS), _order_signed(receipt.order))


def can_accept(viewer, receipt: Receipt) -> Refusal:
    if viewer.pk != receipt.inspector_id:
        return PermissionDenied(_("Only the receipt's inspector accepts it."))
    return first(in_state(receipt, "accept", TRANSITIONS), _order_signed(receipt.order))


def cancel_objection(receipt: Receipt) -> str | None:
    """Why an accepted receipt may not be cancelled (higher modules answer), or None."""
    if receipt.status != S.ACCEPTED:
        return None
    return next((text for text in hooks.cancel_refusal(receipt=receipt) if text), None)


def can_cancel(viewer, receipt: Receipt) -> Refusal:
    if not _recorder(viewer, receipt.order):
        return PermissionDenied(_("Only the order's purchaser or the procurement head cancels the receipt."))
    refusal = in_state(receipt, "cancel", TRANSITIONS)
    if refusal is None and (objection := cancel_objection(receipt)):
        return Conflict(objection, code="receipt_in_use")
    return refusal


RULES = {
    "submit": can_submit,
    "accept": can_accept,
    "cancel": can_cancel,
}


def allowed_actions(viewer, receipt: Receipt) -> list[str]:
    return allowed(RULES, viewer, receipt)
