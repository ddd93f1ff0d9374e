"""Who may do what to an opportunity (DOMAIN.md roles; visibility is checked first by the selector)."""

from opsmon.accounts.visibility import is_head_of

from .models import Opportunity


def is_team(actor, opportunity: Opportunity) -> bool:
    if actor.pk == opportunity.owner_id:
        return True
    prefetched = getattr(opportunity, "_prefetched_objects_cache", {}).get("members")
    if prefetched is not None:  # lists and boards prefetch the team: no query per card
        return any(member.pk == actor.pk for member in prefetched)
    return opportunity.members.filter(pk=actor.pk).exists()


def can_edit(actor, opportunity: Opportunity) -> bool:
    """The owner, a team member or the head of the owner's department."""
    return is_team(actor, opportunity) or is_head_of(actor, opportunity.department)


def can_decide(actor, opportunity: Opportunity) -> bool:
    """Conversion, keep-tracking, close and reopen: the head of the owner's department only."""
    return is_head_of(actor, opportunity.department)
