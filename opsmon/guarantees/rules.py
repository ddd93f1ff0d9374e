"""May this viewer register, extend or release this guarantee letter now? The one answer: services raise its
refusal, the pages draw their buttons and the API answers `allowed_actions` from it (core.rules).

Who keeps letters (DOMAIN.md: the bid assistant "maintains bond status" and is the one flagged about letters):
- a letter on a bond: the bond keepers of bids.rules (the bid assistant, and the admin as for bonds: access matrix
  D3);
- a letter on a contract (performance or advance-payment guarantee): the contract's owner, who answers for the
  contract's obligations, and the bid assistant and the admin as for bond letters. Nobody else: the department
  head, finance and the reviewers read them (where they see the contract) but do not keep them.
Which letters a viewer sees is the selectors' (a letter outside the scope is a 404 before any rule runs).
A released letter (退回保函) is read-only.
"""

from django.utils.translation import gettext as _

from opsmon.bids import rules as bid_rules
from opsmon.bids.choices import BondStatus
from opsmon.contracts.choices import ContractStatus
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state

from .choices import LetterStatus
from .models import GuaranteeLetter

S = LetterStatus
# action (the timeline's "guaranteeletter.<action>") → (allowed from-states, to-state)
TRANSITIONS = {
    "extend": ({S.ACTIVE}, S.ACTIVE),
    "release": ({S.ACTIVE}, S.RELEASED),
}
KEEPERS = ("bid_assistant", "admin")
# A letter is registered on a bond whose money is not settled, or on a contract still in force.
OPEN_BONDS = frozenset({BondStatus.PLANNED, BondStatus.PAID})
OPEN_CONTRACTS = frozenset({ContractStatus.DRAFTING, ContractStatus.IN_REVIEW, ContractStatus.APPROVED,
                            ContractStatus.SIGNED})


def keeps_letter(viewer, *, bond=None, contract=None) -> bool:
    """Whether `viewer` keeps letters of this bond or contract (see the module's docstring)."""
    if bond is not None:
        return bid_rules.keeps_bonds(viewer)
    return viewer.has_role(*KEEPERS) or (contract is not None and viewer.pk == contract.owner_id)


def _keeper(viewer, *, bond=None, contract=None) -> Refusal:
    if keeps_letter(viewer, bond=bond, contract=contract):
        return None
    if bond is not None:
        return PermissionDenied(_("Only the bid assistant keeps the guarantee letters of bonds."))
    return PermissionDenied(_("Only the contract's owner or the bid assistant keeps its guarantee letters."))


def can_register(viewer, *, bond=None, contract=None) -> Refusal:
    """Register a letter on a bond (not refunded, forfeited or converted; its bid not closed) or on a contract
    (not archived or terminated). Exactly one of the two: the service names the field otherwise."""
    refusal = _keeper(viewer, bond=bond, contract=contract)
    if refusal is not None:
        return refusal
    if bond is not None:
        if bond.bid.closed:
            return Conflict(_("The bid is closed; nothing can change any more."), code="bid_closed")
        if bond.status not in OPEN_BONDS:
            return Conflict(_("The bond is settled (%(status)s).") % {"status": bond.get_status_display()},
                            code="wrong_state")
    if contract is not None and contract.status not in OPEN_CONTRACTS:
        return Conflict(_("The contract is %(status)s.") % {"status": contract.get_status_display()},
                        code="wrong_state")
    return None


def _letter_keeper(viewer, letter: GuaranteeLetter) -> Refusal:
    return _keeper(viewer, bond=letter.bond if letter.bond_id else None,
                   contract=letter.contract if letter.contract_id else None)


def _active(letter: GuaranteeLetter, action: str) -> Refusal:
    if letter.status == S.RELEASED:
        return Conflict(_("The letter was released and is read-only."), code="released")
    return in_state(letter, action, TRANSITIONS)


def can_extend(viewer, letter: GuaranteeLetter, **_context) -> Refusal:
    """A new validity period (a later end) for an active letter."""
    return first(_letter_keeper(viewer, letter), _active(letter, "extend"))


def can_release(viewer, letter: GuaranteeLetter, **_context) -> Refusal:
    """The letter goes back to the bank (退回保函): recorded like a bond's refund."""
    return first(_letter_keeper(viewer, letter), _active(letter, "release"))


RULES = {
    "extend": can_extend,
    "release": can_release,
}


def allowed_actions(viewer, letter: GuaranteeLetter, **context) -> list[str]:
    """The actions `viewer` may fire on `letter` now, in RULES' order."""
    return allowed(RULES, viewer, letter, **context)
