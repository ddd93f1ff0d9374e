"""May this viewer do this action on this contract now? The one answer: services raise its refusal, the detail
page draws its buttons and the API answers `allowed_actions` from it.

Who: the team (owner, the opportunity's owner and members) and the heads over the contract's department edit the
draft and attach files; the owner or his head submit, sign, archive, terminate and propose amendments; the
deciders of the current review step approve or reject it (approvals.rules: never the owner, never whoever
proposed the amendment under review). Checks run role → state, as the services always did.
"""

from functools import cached_property

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_head_of
from opsmon.approvals import rules as approval_rules
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import Conflict, NotFound, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state

from .choices import AmendmentStatus, ContractStatus
from .models import Contract, Milestone

# action (the timeline's "contract.<action>") → (allowed from-states, to-state)
TRANSITIONS = {
    "submitted": ([ContractStatus.DRAFTING], ContractStatus.IN_REVIEW),
    "review_approved": ([ContractStatus.IN_REVIEW], ContractStatus.APPROVED),
    "review_rejected": ([ContractStatus.IN_REVIEW], ContractStatus.DRAFTING),
    "signed": ([ContractStatus.APPROVED], ContractStatus.SIGNED),
    "archived": ([ContractStatus.SIGNED], ContractStatus.ARCHIVED),
    "terminated": ([ContractStatus.SIGNED], ContractStatus.TERMINATED),
}
# Files may be attached until the contract is archived or terminated.
OPEN = (ContractStatus.DRAFTING, ContractStatus.IN_REVIEW, ContractStatus.APPROVED, ContractStatus.SIGNED)
DRAFT_ROLES = (Role.SALES_REP, Role.DEPT_HEAD)
_UNSET = object()


class Facts:
    """What the checks read about one viewer and one contract, each read at most once (a page asks every rule).
    A page passes what it has already read: the current step (its deciders prefetched) and the open amendment."""

    def __init__(self, viewer, contract: Contract, *, step=_UNSET, open_amendment=_UNSET):
        self.viewer, self.contract = viewer, contract
        if step is not _UNSET:
            self.__dict__["step"] = step
        if open_amendment is not _UNSET:
            self.__dict__["open_amendment"] = open_amendment

    @cached_property
    def head(self) -> bool:
        return is_head_of(self.viewer, self.contract.department)

    @cached_property
    def team(self) -> bool:
        opportunity = self.contract.opportunity
        pk = self.viewer.pk
        return pk in (self.contract.owner_id, opportunity.owner_id) or opportunity.members.filter(pk=pk).exists()

    @cached_property
    def manager(self) -> bool:
        return self.viewer.pk == self.contract.owner_id or self.head

    @cached_property
    def editor(self) -> bool:
        return self.viewer.pk == self.contract.owner_id or self.team or self.head

    @cached_property
    def open_amendment(self):
        return self.contract.amendments.filter(status=AmendmentStatus.IN_REVIEW).first()

    @cached_property
    def step(self):
        return approval_selectors.current_step(self.contract)


def _facts(viewer, contract, facts: Facts | None) -> Facts:
    return facts if facts is not None and facts.viewer is viewer and facts.contract is contract \
        else Facts(viewer, contract)


def _manager(f: Facts) -> Refusal:
    return None if f.manager else PermissionDenied()


def _no_open_amendment(f: Facts) -> Refusal:
    if f.open_amendment is not None:
        return Conflict(_("An amendment of this contract is in review."), code="amendment_open")
    return None


def can_draft(viewer) -> Refusal:
    """Draft a new contract (no record yet): sales reps and department heads."""
    return None if viewer.has_role(*DRAFT_ROLES) else PermissionDenied()


def can_edit(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    """Change the draft's terms and milestones."""
    f = _facts(viewer, contract, facts)
    if not f.editor:
        return PermissionDenied()
    if contract.status == ContractStatus.DRAFTING:
        return None
    if contract.status in (ContractStatus.SIGNED, ContractStatus.ARCHIVED):
        return Conflict(_("A signed contract changes only through an amendment."), code="not_editable")
    return Conflict(_("Only a contract being drafted can be edited."), code="not_editable")


def can_upload_attachment(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    if not f.editor:
        return PermissionDenied()
    if contract.status not in OPEN:
        return Conflict(_("The contract is closed."), code="wrong_state")
    return None


def can_submit_review(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    return first(_manager(f), in_state(contract, "submitted", TRANSITIONS))


def can_decide(viewer, contract: Contract, *, step_id=None, facts: Facts | None = None, **ctx) -> Refusal:
    """Approve or reject a review step of the contract (its own round's or an amendment's): the current step when
    `step_id` is not given. 404 no such step of this contract; the rest is approvals.rules.can_decide."""
    f = _facts(viewer, contract, facts)
    if step_id is None:
        step = f.step
        if step is None:
            return Conflict(_("This step is not waiting for a decision."), code="not_current")
    else:
        step = approval_selectors.step_of(contract, step_id)
        if step is None:
            return NotFound()
    own = step.review.kind == "contract"  # the subject is this contract: no need to read it again
    return approval_rules.can_decide(viewer, step, subject=contract if own else None)


def can_sign(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    return first(_manager(f), in_state(contract, "signed", TRANSITIONS))


def can_archive(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    return first(_manager(f), _no_open_amendment(f), in_state(contract, "archived", TRANSITIONS))


def can_terminate(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    return first(_manager(f), _no_open_amendment(f), in_state(contract, "terminated", TRANSITIONS))


def can_propose_amendment(viewer, contract: Contract, *, facts: Facts | None = None, **ctx) -> Refusal:
    f = _facts(viewer, contract, facts)
    if not f.manager:
        return PermissionDenied()
    if contract.status != ContractStatus.SIGNED:
        return Conflict(_("Only a signed contract can be amended."), code="wrong_state")
    if f.open_amendment is not None:
        return Conflict(_("Another amendment of this contract is in review."), code="amendment_open")
    return None


# Delivery goes on after the contract is archived (filed); a terminated contract delivers nothing more.
DELIVERING = (ContractStatus.SIGNED, ContractStatus.ARCHIVED)


def can_mark_milestone_delivered(viewer, contract: Contract, milestone: Milestone | None = None) -> Refusal:
    """Only an outside system (role integration, through the inbound status API) reports a delivered milestone,
    on a signed contract, once. Not a page action: outside RULES."""
    if not viewer.has_role(Role.INTEGRATION):
        return PermissionDenied()
    if contract.status not in DELIVERING:
        return Conflict(_("Only the milestones of a signed contract can be delivered."), code="wrong_state")
    if milestone is not None and milestone.delivered_on is not None:
        return Conflict(_("This milestone is already delivered."), code="already_delivered",
                        fields={"milestone": _("already delivered")})
    return None


RULES = {
    "edit": can_edit,
    "upload_attachment": can_upload_attachment,
    "submit_review": can_submit_review,
    "approve": can_decide,
    "reject": can_decide,
    "sign": can_sign,
    "archive": can_archive,
    "terminate": can_terminate,
    "propose_amendment": can_propose_amendment,
}


def allowed_actions(viewer, contract: Contract, **known) -> list[str]:
    """The actions `viewer` may fire on `contract` now; `known` = what the caller already read (`step`,
    `open_amendment`, see Facts)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return []
    return allowed(RULES, viewer, contract, facts=Facts(viewer, contract, **known))
