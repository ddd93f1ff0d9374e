"""The only place that answers "may this viewer do this action on this opportunity now?" (DOMAIN.md roles and
"Opportunity" workflow; core.rules).

Each `can_<action>` answers the refusal the service raises, or None: role first (403 with its message), then
state (409). Visibility is the selector's: every page and endpoint loads the opportunity through
`selectors.opportunity_get` (404 when not visible) before it asks here, and each role below (owner, team member,
head of the owner's department) sees the opportunity anyway.
"""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from opsmon.accounts.visibility import is_head_of
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state

from .choices import EDITABLE, FOLLOW_UP_ALLOWED, OpportunityStatus
from .models import Opportunity

# action → (the states it may start from, the state it ends in) (DOMAIN.md, "Opportunity").
TRANSITIONS = {
    "request_conversion": ({OpportunityStatus.TRACKING}, OpportunityStatus.CONVERSION_REQUESTED),
    "keep_tracking": ({OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.TRACKING),
    "convert": ({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.CONVERTED),
    "close": ({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED}, OpportunityStatus.CLOSED),
    "reopen": ({OpportunityStatus.CLOSED}, OpportunityStatus.TRACKING),
}


# --- who is who on an opportunity ---

def is_team(viewer, opportunity: Opportunity) -> bool:
    """The owner or a team member."""
    if viewer.pk == opportunity.owner_id:
        return True
    prefetched = getattr(opportunity, "_prefetched_objects_cache", {}).get("members")
    if prefetched is not None:  # lists and boards prefetch the team: no query per card
        return any(member.pk == viewer.pk for member in prefetched)
    return opportunity.members.filter(pk=viewer.pk).exists()


def may_work_on(viewer, opportunity: Opportunity) -> bool:
    """The owner, a team member or the head of the owner's department: who edits and logs follow-ups (a bid may
    be registered on it by them too)."""
    return is_team(viewer, opportunity) or is_head_of(viewer, opportunity.department)


def _team_refusal(viewer, opportunity: Opportunity) -> Refusal:
    return None if may_work_on(viewer, opportunity) else PermissionDenied()


def _head_refusal(viewer, opportunity: Opportunity) -> Refusal:
    """Conversion, keep-tracking, close and reopen: the head of the owner's department only."""
    if is_head_of(viewer, opportunity.department):
        return None
    return PermissionDenied(_("Only the head of the owner's department decides."))


# --- one check per action ---

def can_edit(viewer, opportunity: Opportunity) -> Refusal:
    """Edit the fields (owner, team member or department head) while it is open; converted or closed is
    read-only."""
    return first(_team_refusal(viewer, opportunity),
                 None if opportunity.status in EDITABLE
                 else Conflict(_("This opportunity can no longer be edited."), code="read_only"))


def can_move(viewer, opportunity: Opportunity) -> Refusal:
    """Move its card to another stage on the board: an edit of the stage."""
    return can_edit(viewer, opportunity)


def can_change_team(viewer, opportunity: Opportunity) -> Refusal:
    """Change the team members: an edit like any other (the owner stays the owner)."""
    return can_edit(viewer, opportunity)


def can_add_follow_up(viewer, opportunity: Opportunity) -> Refusal:
    """Log contact or progress: also on a converted opportunity, never on a closed one."""
    return first(_team_refusal(viewer, opportunity),
                 None if opportunity.status in FOLLOW_UP_ALLOWED
                 else Conflict(_("A closed opportunity takes no follow-ups; reopen it first."), code="wrong_state"))


def can_request_conversion(viewer, opportunity: Opportunity) -> Refusal:
    """The owner or a team member asks his department head to convert (转立项)."""
    if not is_team(viewer, opportunity):
        return PermissionDenied(_("Only the owner or a team member may ask for conversion."))
    return in_state(opportunity, "request_conversion", TRANSITIONS)


def can_convert(viewer, opportunity: Opportunity) -> Refusal:
    return first(_head_refusal(viewer, opportunity), in_state(opportunity, "convert", TRANSITIONS))


def can_keep_tracking(viewer, opportunity: Opportunity) -> Refusal:
    return first(_head_refusal(viewer, opportunity), in_state(opportunity, "keep_tracking", TRANSITIONS))


def can_close(viewer, opportunity: Opportunity) -> Refusal:
    return first(_head_refusal(viewer, opportunity), in_state(opportunity, "close", TRANSITIONS))


def can_reopen(viewer, opportunity: Opportunity) -> Refusal:
    return first(_head_refusal(viewer, opportunity), in_state(opportunity, "reopen", TRANSITIONS))


# Every action a user can fire on an opportunity, in the order the pages show them. `move` (the board's drag)
# and team changes are edits: they are answered by `edit` and checked with the same rule.
RULES = {
    "edit": can_edit,
    "add_follow_up": can_add_follow_up,
    "request_conversion": can_request_conversion,
    "convert": can_convert,
    "keep_tracking": can_keep_tracking,
    "close": can_close,
    "reopen": can_reopen,
}
DECISIONS = frozenset({"request_conversion", "convert", "keep_tracking", "close", "reopen"})


def allowed_actions(viewer, opportunity: Opportunity) -> list[str]:
    """The actions `viewer` may fire on `opportunity` now: the page's buttons and the API's allowed_actions. Reads
    the team once (one query, unless prefetched or the viewer is the owner) rather than once per rule."""
    if getattr(viewer, "is_authenticated", False) and viewer.pk != opportunity.owner_id:
        prefetch_related_objects([opportunity], "members")
    return allowed(RULES, viewer, opportunity)
