"""What contracts do when lower modules call (core.hooks), and the review kinds contracts hands to the approvals
engine: a contract, and an amendment of a signed contract (reviewed on the contract routes, filed under its
contract, never decided by the contract's owner nor by whoever proposed it)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.approvals import selectors as approvals_selectors
from opsmon.bids import hooks as bid_hooks
from opsmon.projects import hooks as project_hooks

from .models import Amendment, Contract
from .services import amendments, contract_create_for_bid, contract_create_for_project, review

project_hooks.create_contract.connect(contract_create_for_project)
bid_hooks.create_contract.connect(contract_create_for_bid)


@bid_hooks.extra_visible.connect
def bids_behind_reviewed_contracts(*, actor):
    """A reviewer reads (never acts on) the bid, its opening record and its bonds behind a contract he decides."""
    return Contract.objects.filter(pk__in=approvals_selectors.decided_records(actor, Contract),
                                   bid__isnull=False).values("bid_id")


def _title(contract: Contract) -> str:
    return f"{contract.number} {contract.title}"


CONTRACT_TEXTS = {
    "own": gettext_lazy("Nobody decides a review step of his own contract."),
    "own_code": "own_contract",
    "type_field": "contract_type",
    "no_route": gettext_lazy("No review route covers this contract type and amount; ask an administrator."),
    "waiting": gettext_lazy("Contract review waiting for you: %(title)s"),
    "proposed": gettext_lazy("Nobody decides a review step of an amendment he proposed."),
}

kinds.register(kinds.Kind(
    name=review.KIND, label=gettext_lazy("Contracts"), model=Contract, type_table="contract_type",
    owner=lambda c: c.owner_id, department=lambda c: c.department, amount=lambda c: c.amount,
    type_code=lambda c: c.contract_type, url=review.contract_url, title=_title,
    on_approved=review.contract_approved, on_rejected=review.contract_rejected, texts=CONTRACT_TEXTS))

kinds.register(kinds.Kind(
    name=amendments.KIND, label=gettext_lazy("Contract amendments"), model=Amendment, routes=review.KIND,
    owner=lambda a: a.contract.owner_id, proposer=lambda a: a.proposed_by_id,
    department=lambda a: a.contract.department, amount=amendments.amended_amount,
    type_code=lambda a: a.contract.contract_type, record=lambda a: a.contract,
    url=lambda a: review.contract_url(a.contract), title=lambda a: _title(a.contract),
    on_approved=amendments.amendment_approved, on_rejected=amendments.amendment_rejected, texts=CONTRACT_TEXTS,
    inbox_label=lambda a, step: _("Decide the %(kind)s of amendment %(n)s") % {"kind": step, "n": a.number}))
