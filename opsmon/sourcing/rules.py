"""May this viewer do this action on this sourcing (询价/比价单) now? PROCUREMENT.md "Sourcing".

- A purchaser or the procurement head creates a sourcing from approved request lines; he is its owner (采购员) and
  fires its actions: open (invitations sent), record quotations while `open`, evaluate, write and submit the
  award. The owner or the procurement head fails (流标) or cancels it while it is not awarded yet.
- The award is reviewed on the approvals engine (kind "award": approve, return back to `evaluating`, reject =
  流标); nobody decides his own sourcing's award.
- The executive reads everything and does nothing; other roles never see sourcings (selectors: 404).

Each `can_<action>` answers the refusal the service raises or None; role first, then state."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.procurement import rules as procurement_rules

from .choices import SourcingStatus
from .models import Sourcing

S = SourcingStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "open": ({S.DRAFT}, S.OPEN),
    "evaluate": ({S.OPEN}, S.EVALUATING),
    "submit_award": ({S.EVALUATING}, S.AWARD_REVIEW),
    "approved": ({S.AWARD_REVIEW}, S.AWARDED),         # the engine's last approval
    "returned": ({S.AWARD_REVIEW}, S.EVALUATING),      # a step returned the award
    "rejected": ({S.AWARD_REVIEW}, S.FAILED),          # a step rejected it: 流标, lines re-pooled
    "fail": ({S.OPEN, S.EVALUATING}, S.FAILED),
    "cancel": ({S.DRAFT, S.OPEN, S.EVALUATING}, S.CANCELLED),
    "done": ({S.AWARDED}, S.DONE),                     # orders created (purchasing)
}
# A sourcing holding its request lines (a line is in at most one live sourcing).
LIVE = frozenset({S.DRAFT, S.OPEN, S.EVALUATING, S.AWARD_REVIEW, S.AWARDED, S.DONE})
# Awards that count (化整为零 sums, request awarded).
AWARDED_STATES = frozenset({S.AWARDED, S.DONE})
CREATORS = (Role.PURCHASER, Role.PROCUREMENT_HEAD)


def can_create(viewer, record=None) -> Refusal:
    if not viewer.has_role(*CREATORS) or procurement_rules.files_nothing(viewer):
        return PermissionDenied(_("Only purchasers and the procurement head start sourcings."))
    return None


def _owner(viewer, sourcing: Sourcing) -> Refusal:
    if viewer.pk != sourcing.owner_id:
        return PermissionDenied(_("Only the sourcing's purchaser does this."))
    return None


def _owner_or_head(viewer, sourcing: Sourcing) -> Refusal:
    if viewer.pk != sourcing.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the sourcing's purchaser or the procurement head does this."))
    return None


def _state(sourcing: Sourcing, states, message) -> Refusal:
    return None if sourcing.status in states else Conflict(message, code="wrong_state")


def can_open(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner(viewer, sourcing), in_state(sourcing, "open", TRANSITIONS))


def can_quote(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner(viewer, sourcing),
                 _state(sourcing, {S.OPEN}, _("Quotations are recorded only while the sourcing is open.")))


def can_evaluate(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner(viewer, sourcing), in_state(sourcing, "evaluate", TRANSITIONS))


def can_award(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner(viewer, sourcing),
                 _state(sourcing, {S.EVALUATING}, _("The award is written while the sourcing is being evaluated.")))


def can_submit_award(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner(viewer, sourcing), in_state(sourcing, "submit_award", TRANSITIONS))


def can_fail(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner_or_head(viewer, sourcing), in_state(sourcing, "fail", TRANSITIONS))


def can_cancel(viewer, sourcing: Sourcing) -> Refusal:
    return first(_owner_or_head(viewer, sourcing), in_state(sourcing, "cancel", TRANSITIONS))


def can_approve(viewer, sourcing: Sourcing) -> Refusal:
    return procurement_rules.can_decide(viewer, sourcing, "approve")


def can_return(viewer, sourcing: Sourcing) -> Refusal:
    return procurement_rules.can_decide(viewer, sourcing, "return")


def can_reject(viewer, sourcing: Sourcing) -> Refusal:
    return procurement_rules.can_decide(viewer, sourcing, "reject")


def can_decide(viewer, sourcing: Sourcing, decision: str = "") -> Refusal:
    return procurement_rules.can_decide(viewer, sourcing, decision)


def current_step(sourcing: Sourcing):
    return procurement_rules.current_step(sourcing)


RULES = {
    "open": can_open,
    "quote": can_quote,
    "evaluate": can_evaluate,
    "award": can_award,
    "submit_award": can_submit_award,
    "approve": can_approve,
    "return": can_return,
    "reject": can_reject,
    "fail": can_fail,
    "cancel": can_cancel,
}


def allowed_actions(viewer, sourcing: Sourcing) -> list[str]:
    return allowed(RULES, viewer, sourcing)


def sees_prices(viewer, sourcing: Sourcing) -> bool:
    """比价保密: quotation prices are shown to the sourcing's purchaser, and to the others who see the sourcing once
    its evaluation started."""
    return viewer is not None and (viewer.pk == sourcing.owner_id or sourcing.evaluated_at is not None)
