"""May this viewer evaluate the supplier of this purchase order now? PROCUREMENT.md "SupplierEvaluation".

The order's purchaser (its owner) or the procurement head evaluates a signed or completed order (once it is closed
the evaluation is final; an order cannot close without one: receivers.py). Saving again replaces the evaluation."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed
from opsmon.purchasing.choices import OrderStatus

EVALUABLE = frozenset({OrderStatus.SIGNED, OrderStatus.COMPLETED})


def can_evaluate(viewer, order) -> Refusal:
    if viewer.pk != order.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the order's purchaser or the procurement head evaluates its supplier."))
    if order.status not in EVALUABLE:
        return Conflict(_("A supplier is evaluated on a signed or completed order."), code="wrong_state")
    return None


RULES = {"evaluate": can_evaluate}


def allowed_actions(viewer, order) -> list[str]:
    return allowed(RULES, viewer, order)
