"""Commands on contracts (drafts so far; review, signing and amendments build on it)."""

from opsmon.core import timeline
from opsmon.core.numbering import next_number

from .models import Contract


def contract_create_for_project(*, actor, project) -> Contract:
    """A contract draft for a project routed straight to contract review, pre-filled from it."""
    contract = Contract.objects.create(
        number=next_number("HT"), title=project.title, customer=project.customer, opportunity=project.opportunity,
        project=project, amount=project.estimated_amount, currency=project.currency, owner=project.owner,
        department=project.department,
    )
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status,
                    comment=project.number)
    return contract


def contract_create_for_bid(*, actor, bid, amount=None) -> Contract:
    """A contract draft from a won bid, linked to the bid, its project and opportunity; amount = our bid price."""
    base = bid.project or bid.opportunity
    contract = Contract.objects.create(
        number=next_number("HT"), title=bid.title, customer=bid.opportunity.customer, opportunity=bid.opportunity,
        project=bid.project, bid=bid, amount=amount if amount is not None else base.estimated_amount,
        currency=bid.currency, owner=bid.owner, department=bid.department,
    )
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status, comment=bid.number)
    return contract
