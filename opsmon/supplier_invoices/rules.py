"""May this viewer do this action on this supplier invoice now? PROCUREMENT.md "SupplierInvoice".

- An invoice is recorded by a purchaser (on orders he owns), the procurement head or finance; it is matched at once
  (三单匹配) and again after each accepted receipt of its orders: `submitted` → `matched` | `mismatch`.
- The procurement head accepts a variance of a mismatched invoice with a reason (→ `matched`).
- Finance verifies a matched invoice (→ `verified`).
- The order's purchaser, the procurement head or finance cancel it (红冲, with a reason) while it is unpaid: every
  answer of `hooks.cancel_refusal` (payments: a live payment request carries it) is None.
- The executive reads everything and does nothing; the admin reads everything and decides nothing here.

Each `can_<action>` answers the refusal the service raises or None; role first, then state. The record came through
the selector (404 outside the viewer's scope)."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state

from . import hooks
from .choices import InvoiceStatus
from .models import SupplierInvoice

S = InvoiceStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "matched": ({S.SUBMITTED, S.MISMATCH}, S.MATCHED),      # the three-way match found every line in order
    "mismatch": ({S.SUBMITTED}, S.MISMATCH),                # some line does not match
    "accept_variance": ({S.MISMATCH}, S.MATCHED),
    "verify": ({S.MATCHED}, S.VERIFIED),
    "cancel": ({S.SUBMITTED, S.MATCHED, S.MISMATCH, S.VERIFIED}, S.CANCELLED),
}
# Invoices that count: against the order's quantities, for duplicates, in figures.
LIVE = frozenset({S.SUBMITTED, S.MATCHED, S.MISMATCH, S.VERIFIED})
# Waiting for a match (re-matched after each accepted receipt of their orders).
OPEN = frozenset({S.SUBMITTED, S.MISMATCH})
# Counted as invoiced on the order (PROCUREMENT.md figures).
INVOICED = frozenset({S.MATCHED, S.VERIFIED})
RECORDERS = (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.FINANCE)


def can_create(viewer, record=None) -> Refusal:
    if not viewer.has_role(*RECORDERS):
        return PermissionDenied(_("Only purchasers, the procurement head and finance record supplier invoices."))
    return None


def may_invoice_order(viewer, order) -> bool:
    """Whose orders a recorder may put on an invoice: the procurement head's and finance's any, a purchaser's his
    own."""
    return viewer.has_role(Role.PROCUREMENT_HEAD, Role.FINANCE) or (
        viewer.has_role(Role.PURCHASER) and order.owner_id == viewer.pk)


def _purchaser_of(viewer, invoice: SupplierInvoice) -> bool:
    if not viewer.has_role(Role.PURCHASER):
        return False
    owners = getattr(invoice, "_order_owners", None)
    if owners is None:
        owners = set(invoice.lines.values_list("order_line__order__owner", flat=True))
        invoice._order_owners = owners
    return viewer.pk in owners


def can_accept_variance(viewer, invoice: SupplierInvoice) -> Refusal:
    if not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the procurement head accepts a variance."))
    return in_state(invoice, "accept_variance", TRANSITIONS)


def can_verify(viewer, invoice: SupplierInvoice) -> Refusal:
    if not viewer.has_role(Role.FINANCE):
        return PermissionDenied(_("Only finance verifies an invoice."))
    return in_state(invoice, "verify", TRANSITIONS)


def cancel_refusal(invoice: SupplierInvoice) -> Refusal:
    """409 when a higher module keeps the invoice (a payment request carries it)."""
    for text in hooks.cancel_refusal(invoice=invoice):
        if text:
            return Conflict(text, code="invoice_in_use")
    return None


def can_cancel(viewer, invoice: SupplierInvoice) -> Refusal:
    if not (viewer.has_role(Role.PROCUREMENT_HEAD, Role.FINANCE) or _purchaser_of(viewer, invoice)):
        return PermissionDenied(_("Only the order's purchaser, the procurement head or finance cancel an invoice."))
    return first(in_state(invoice, "cancel", TRANSITIONS), cancel_refusal(invoice))


RULES = {
    "accept_variance": can_accept_variance,
    "verify": can_verify,
    "cancel": can_cancel,
}


def allowed_actions(viewer, invoice: SupplierInvoice) -> list[str]:
    return allowed(RULES, viewer, invoice)
