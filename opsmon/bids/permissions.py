"""Who may do what to a bid: the team works on it, owner or head record results, the assistant keeps bonds."""

from opsmon.accounts.visibility import is_head_of

from .models import Bid


def is_head(actor, bid: Bid) -> bool:
    return is_head_of(actor, bid.department)


def is_team(actor, bid: Bid) -> bool:
    return actor.pk == bid.owner_id or bid.opportunity.owner_id == actor.pk or \
        bid.opportunity.members.filter(pk=actor.pk).exists()


def can_work(actor, bid: Bid) -> bool:
    """Tender analysis, documents, preparation, submission, abandoning."""
    return is_team(actor, bid) or is_head(actor, bid) or actor.has_role("bid_assistant")


def can_record_results(actor, bid: Bid) -> bool:
    """Opening record, won/lost, summary, closing, the contract: the bid's owner or his department head."""
    return actor.pk == bid.owner_id or is_head(actor, bid)


def can_keep_bonds(actor) -> bool:
    return actor.has_role("bid_assistant", "admin")
