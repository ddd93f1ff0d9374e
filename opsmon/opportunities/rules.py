"""The only place that answers "may this viewer do this action on this opportunity now?" (DOMAIN.md roles and
"Opportunity" workflow; core.rules).

Each `can_<action>` answers the refusal the service raises, or None: role first (403 with its message), then
state (409). Visibility is the selector's: every page and endpoint loads the opportunity through
`selectors.opportunity_get` (404 when not visible) before it asks here, and each role below (owner, team member,
head of the owner's department) sees the opportunity anyway.
"""

from django.db.models import prefetch_related_objects
from django.utils.translation import gettext as _

from opsmon.accounts.roles import reads_only
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
# How the sale ends (DOMAIN.md "Lifecycle: outcomes flow back"): not a button of its own but the consequence of an
# action on its project, bid or contract, in that action's transaction (whoever fired it is the actor). Lost closes
# the opportunity (outcome lost); won keeps its status history (it stays converted) and records outcome won.
OUTCOME_TRANSITIONS = {
    "lose": ({OpportunityStatus.TRACKING, OpportunityStatus.CONVERSION_REQUESTED, OpportunityStatus.CONVERTED},
             OpportunityStatus.CLOSED),
}


def can_create(viewer) -> Refusal:
    """Anyone with a department records opportunities (the service checks the department), except a read-only
    role (the executive: issue 20, he reads every record and decides nothing)."""
    if reads_only(frozenset(viewer.roles)):
        return PermissionDenied(_("Your role reads records and records none."))
    return None


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
    """Add or remove team members: the owner or a head over his department, while it is open. A plain member may
    not: adding someone widens who sees the opportunity (issue 21)."""
    if not (viewer.pk == opportunity.owner_id or is_head_of(viewer, opportunity.department)):
        message = _("Only the owner or the head of his department changes the team.")
        return PermissionDenied(message, code="team_owner_only", fields={"member_ids": message})
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
    """A closed opportunity whose sale ended (outcome lost with its project or bid) stays closed: read-only."""
    return first(_head_refusal(viewer, opportunity), _ended(opportunity),
                 in_state(opportunity, "reopen", TRANSITIONS))


def _ended(opportunity: Opportunity) -> Refusal:
    if opportunity.outcome:
        return Conflict(_("This sale has ended (%(outcome)s): the opportunity is read-only.")
                        % {"outcome": opportunity.get_outcome_display()}, code="read_only")
    return None


def can_lose(viewer, opportunity: Opportunity) -> Refusal:
    """The sale is lost (its bid lost, its project closed, rejected or cancelled): an open or converted opportunity
    without an outcome. The permission is that of the action that caused it."""
    return first(_ended(opportunity), in_state(opportunity, "lose", OUTCOME_TRANSITIONS))


def can_win(viewer, opportunity: Opportunity) -> Refusal:
    """The sale is won (a contract signed): any opportunity not closed and without an outcome."""
    if opportunity.status == OpportunityStatus.CLOSED:
        return Conflict(_("The opportunity is closed."), code="wrong_state")
    return _ended(opportunity)


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
# The outcome's checks, used by the services the project, bid and contract call (no button: not in RULES).
OUTCOME_RULES = {"lose": can_lose, "win": can_win}


def allowed_actions(viewer, opportunity: Opportunity) -> list[str]:
    """The actions `viewer` may fire on `opportunity` now: the page's buttons and the API's allowed_actions. Reads
    the team once (one query, unless prefetched or the viewer is the owner) rather than once per rule."""
    if getattr(viewer, "is_authenticated", False) and viewer.pk != opportunity.owner_id:
        prefetch_related_objects([opportunity], "members")
    return allowed(RULES, viewer, opportunity)
