"""May this viewer record money on this contract now? The one answer: services raise its refusal, the contract
page draws the invoice and collection forms and the API answers `allowed_actions` from it.

Who: the finance role only (DOMAIN.md "Receivables"); whoever sees the contract reads its money trail (the
contract's visibility decides, contracts.selectors; finance sees every contract). When: a signed contract, also
once archived (filed; the money still comes in); never while drafting or in review, nor once terminated.
Checks run visibility (the selector's 404) → role (403) → state (409), as every module does.
"""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.contracts.choices import ContractStatus
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first

# No state machine of its own: invoices and collections are rows added to a contract that is in one of these.
TRANSITIONS: dict = {}
BILLABLE = (ContractStatus.SIGNED, ContractStatus.ARCHIVED)


def _finance(viewer) -> Refusal:
    return None if viewer.has_role(Role.FINANCE) else PermissionDenied(
        _("Only finance records invoices and collections."), code="not_finance")


def _billable(contract) -> Refusal:
    if contract.status in BILLABLE:
        return None
    return Conflict(_("Invoices and collections are recorded only on a signed contract."), code="wrong_state",
                    fields={"contract": _("The contract is “%(status)s”.") % {"status": contract.get_status_display()}})


def can_record_invoice(viewer, contract, **ctx) -> Refusal:
    """Record an invoice issued against a milestone of the contract."""
    return first(_finance(viewer), _billable(contract))


def can_record_collection(viewer, contract, **ctx) -> Refusal:
    """Record money received against a milestone of the contract."""
    return first(_finance(viewer), _billable(contract))


RULES = {
    "record_invoice": can_record_invoice,
    "record_collection": can_record_collection,
}


def allowed_actions(viewer, contract) -> list[str]:
    """The receivables actions `viewer` may take on `contract` now."""
    return allowed(RULES, viewer, contract)
