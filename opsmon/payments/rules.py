"""May this viewer do this action on this payment request (付款申请) or retention (质保金) now?
PROCUREMENT.md "PaymentRequest" and "Retention".

- A payment request is filed on a purchase order `signed` or later (completed, terminated: money owed stays
  payable) by the order's purchaser or the procurement head; its requester submits it to a review round on the
  approvals engine (kind "payment_request"); a step approves, returns it (back to `returned`, resubmitted as a new
  round) or rejects it (final). Nobody decides a step of his own request.
- Finance pays an approved request, never its requester. The requester or the procurement head cancels a draft,
  returned or approved request (with a reason).
- A retention is signed off ("no open defects") by an inspector who is not the order's purchaser once it is due,
  then released by the procurement head (a deduction needs a reason); it is settled when its payment is paid.
- The executive reads everything and decides nothing.

Each `can_<action>` answers the refusal the service raises or None; role first, then state."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.procurement import rules as procurement_rules
from opsmon.purchasing.choices import OrderStatus

from .choices import PaymentStatus, RetentionStatus
from .models import PaymentRequest, Retention

S = PaymentStatus
R = RetentionStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.IN_REVIEW),
    "approved": ({S.IN_REVIEW}, S.APPROVED),      # the engine's last approval
    "returned": ({S.IN_REVIEW}, S.RETURNED),      # a step returned it
    "rejected": ({S.IN_REVIEW}, S.REJECTED),      # a step rejected it (final)
    "pay": ({S.APPROVED}, S.PAID),
    "cancel": ({S.DRAFT, S.RETURNED, S.APPROVED}, S.CANCELLED),
}
# Requests whose amounts count against the order's ceiling (and keep the order from being cancelled).
COUNTED = frozenset({S.IN_REVIEW, S.APPROVED, S.PAID})
# Requests still on their way (a new one of the same kind may be filed alongside; they hold invoices).
LIVE = COUNTED
OPEN = frozenset({S.DRAFT, S.RETURNED, S.IN_REVIEW, S.APPROVED})

RETENTION_TRANSITIONS = {
    "due": ({R.HELD}, R.DUE),
    "release": ({R.DUE}, R.RELEASED),
    "settle": ({R.RELEASED}, R.SETTLED),
}
# Orders payment requests may be filed on.
PAYABLE_ORDERS = frozenset({OrderStatus.SIGNED, OrderStatus.COMPLETED, OrderStatus.TERMINATED})
FILERS = (Role.PURCHASER, Role.PROCUREMENT_HEAD)

# Re-exported: the approvals engine's decisions are judged the same way for every procurement subject.
current_step = procurement_rules.current_step
can_decide = procurement_rules.can_decide
can_approve = procurement_rules.can_approve
can_return = procurement_rules.can_return
can_reject = procurement_rules.can_reject


def _reads_only(viewer) -> bool:
    return procurement_rules.files_nothing(viewer)


# --- payment requests ----------------------------------------------------------------------------------------

def can_create(viewer, order=None) -> Refusal:
    """The purchaser of the order or the procurement head, on an order signed or later."""
    if _reads_only(viewer) or not viewer.has_role(*FILERS):
        return PermissionDenied(_("Only purchasers and the procurement head file payment requests."))
    if order is None:
        return None
    if viewer.pk != order.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the order's purchaser or the procurement head files its payment requests."))
    if order.status not in PAYABLE_ORDERS:
        return Conflict(_("Payments are requested on signed orders only."), code="wrong_state")
    return None


def _requester(viewer, record: PaymentRequest) -> Refusal:
    if viewer.pk != record.owner_id:
        return PermissionDenied(_("Only the requester submits the payment request."))
    return None


def can_submit(viewer, record: PaymentRequest) -> Refusal:
    return first(_requester(viewer, record), in_state(record, "submit", TRANSITIONS))


def can_pay(viewer, record: PaymentRequest) -> Refusal:
    if _reads_only(viewer) or not viewer.has_role(Role.FINANCE):
        return PermissionDenied(_("Only finance records payments."))
    if viewer.pk == record.owner_id:
        return PermissionDenied(_("Nobody pays his own payment request."), code="own_request")
    return in_state(record, "pay", TRANSITIONS)


def can_cancel(viewer, record: PaymentRequest) -> Refusal:
    if _reads_only(viewer) or (viewer.pk != record.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD)):
        return PermissionDenied(_("Only the requester or the procurement head cancels the payment request."))
    return in_state(record, "cancel", TRANSITIONS)


RULES = {
    "submit": can_submit,
    "approve": can_approve,
    "return": can_return,
    "reject": can_reject,
    "pay": can_pay,
    "cancel": can_cancel,
}


def allowed_actions(viewer, record: PaymentRequest) -> list[str]:
    return allowed(RULES, viewer, record)


# --- retention -----------------------------------------------------------------------------------------------

def can_sign_off(viewer, retention: Retention) -> Refusal:
    if _reads_only(viewer) or not viewer.has_role(Role.INSPECTOR):
        return PermissionDenied(_("Only an inspector signs off the retention."))
    if viewer.pk == retention.order.owner_id:
        return PermissionDenied(_("The order's purchaser does not sign off its retention."), code="own_order")
    if retention.status != R.DUE:
        return Conflict(_("The retention is signed off once the warranty has ended."), code="wrong_state")
    if retention.signed_off_by_id is not None:
        return Conflict(_("The retention is already signed off."), code="wrong_state")
    return None


def can_release(viewer, retention: Retention) -> Refusal:
    if _reads_only(viewer) or not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the procurement head releases the retention."))
    refusal = in_state(retention, "release", RETENTION_TRANSITIONS)
    if refusal is not None:
        return refusal
    if retention.signed_off_by_id is None:
        return Conflict(_("An inspector signs off “no open defects” first."), code="not_signed_off")
    return None


RETENTION_RULES = {
    "sign_off": can_sign_off,
    "release": can_release,
}


def retention_actions(viewer, retention: Retention) -> list[str]:
    return allowed(RETENTION_RULES, viewer, retention)
