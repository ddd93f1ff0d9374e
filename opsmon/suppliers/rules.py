"""May this viewer register, edit, qualify, suspend, blacklist or restore this supplier now? The one answer:
services raise its refusal, the pages draw their buttons and the API answers `allowed_actions` from it (core.rules).

- Purchasers, the procurement head and the admin register and edit suppliers and file their qualifications and
  bank accounts.
- Only the procurement head changes a supplier's status: qualifies a pending one (never one he registered himself,
  and only with a business licence valid today on file), suspends a qualified one, blacklists one that is not yet
  blacklisted (reason; optionally until a day), restores a suspended or blacklisted one (reason).
- Supplier basics are public to every signed-in user; bank accounts and qualifications only to those who buy or pay
  (`sees_details`): the selectors apply it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state

from .choices import BUSINESS_LICENCE, SupplierStatus
from .models import Supplier

S = SupplierStatus
# action (the timeline's "supplier.<action>") → (allowed from-states, to-state)
TRANSITIONS = {
    "qualify": ({S.PENDING}, S.QUALIFIED),
    "suspend": ({S.QUALIFIED}, S.SUSPENDED),
    "blacklist": ({S.PENDING, S.QUALIFIED, S.SUSPENDED}, S.BLACKLISTED),
    "restore": ({S.SUSPENDED, S.BLACKLISTED}, S.QUALIFIED),
}
EDITORS = (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.ADMIN)
DECIDERS = (Role.PROCUREMENT_HEAD,)
# Who reads bank accounts and qualifications (PROCUREMENT.md: "bank accounts and qualifications are not" public).
DETAIL_READERS = (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.FINANCE, Role.EXECUTIVE, Role.ADMIN)


def sees_details(viewer) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.has_role(*DETAIL_READERS))


def _editor(viewer) -> Refusal:
    if viewer.has_role(*EDITORS):
        return None
    return PermissionDenied(_("Only purchasers, the procurement head or the administrator keep suppliers."))


def _decider(viewer) -> Refusal:
    if viewer.has_role(*DECIDERS):
        return None
    return PermissionDenied(_("Only the procurement head changes a supplier's status."))


def can_create(viewer) -> Refusal:
    """Register a supplier (it starts pending)."""
    return _editor(viewer)


def can_edit(viewer, supplier: Supplier, **_context) -> Refusal:
    """Edit the basics: any state (a blacklisted supplier's address may still change)."""
    return _editor(viewer)


def can_add_qualification(viewer, supplier: Supplier, **_context) -> Refusal:
    return _editor(viewer)


def can_add_bank_account(viewer, supplier: Supplier, **_context) -> Refusal:
    return _editor(viewer)


def has_licence(supplier: Supplier, day=None) -> bool:
    """A business licence valid on `day` (default today) is on file."""
    day = day or timezone.localdate()
    return supplier.qualifications.filter(kind=BUSINESS_LICENCE, valid_from__lte=day, valid_to__gte=day).exists()


def can_qualify(viewer, supplier: Supplier, **_context) -> Refusal:
    """pending → qualified: the procurement head, not the one who registered it, with a valid licence on file."""
    refusal = first(_decider(viewer), in_state(supplier, "qualify", TRANSITIONS))
    if refusal is not None:
        return refusal
    if viewer.pk == supplier.created_by_id:
        return PermissionDenied(_("You registered this supplier: another procurement head qualifies it."),
                                code="own_record")
    if not has_licence(supplier):
        return Conflict(_("A business licence valid today must be on file first."), code="licence_missing")
    return None


def can_suspend(viewer, supplier: Supplier, **_context) -> Refusal:
    return first(_decider(viewer), in_state(supplier, "suspend", TRANSITIONS))


def can_blacklist(viewer, supplier: Supplier, **_context) -> Refusal:
    return first(_decider(viewer), in_state(supplier, "blacklist", TRANSITIONS))


def can_restore(viewer, supplier: Supplier, **_context) -> Refusal:
    return first(_decider(viewer), in_state(supplier, "restore", TRANSITIONS))


RULES = {
    "edit": can_edit,
    "add_qualification": can_add_qualification,
    "add_bank_account": can_add_bank_account,
    "qualify": can_qualify,
    "suspend": can_suspend,
    "blacklist": can_blacklist,
    "restore": can_restore,
}


def allowed_actions(viewer, supplier: Supplier, **context) -> list[str]:
    """The actions `viewer` may fire on `supplier` now, in RULES' order."""
    return allowed(RULES, viewer, supplier, **context)
