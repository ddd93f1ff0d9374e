"""May this viewer do this action on this purchase request (or this project's purchase budget) now?
PROCUREMENT.md "PurchaseRequest" and "ProjectBudget".

- A request is written by its requester (owner) as a draft, submitted to a review round on the approvals engine
  (kind "purchase_request"); a step approves, returns it (back to `returned`: the owner changes it and submits
  again, a new round) or rejects it (final). Nobody decides a step of his own request.
- The owner or the procurement head cancels a draft, returned or approved request (with a reason); the
  procurement head closes an ordered one (with a reason; orders come later).
- A project's purchase budget is drafted and submitted by the project's owner or a department head over it, and
  approved by the head of the project's department (kind "budget"); a revision is a new version.
- The executive reads everything and decides nothing; outside systems file nothing.

Each `can_<action>` answers the refusal the service raises or None; role first, then state. The record came through
the selector (404 outside the viewer's scope)."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.approvals import rules as approval_rules
from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.models import ReviewStep
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.projects import rules as project_rules

from .choices import BudgetStatus, RequestStatus
from .models import ProjectBudget, PurchaseRequest

S = RequestStatus
B = BudgetStatus

# action: (allowed source states, target state)
TRANSITIONS = {
    "submit": ({S.DRAFT, S.RETURNED}, S.SUBMITTED),
    "approved": ({S.SUBMITTED}, S.APPROVED),      # the engine's last approval
    "returned": ({S.SUBMITTED}, S.RETURNED),      # a step returned it
    "rejected": ({S.SUBMITTED}, S.REJECTED),      # a step rejected it (final)
    "cancel": ({S.DRAFT, S.RETURNED, S.APPROVED}, S.CANCELLED),
    "close": ({S.ORDERED}, S.CLOSED),
    # Moved by sourcing (sourcing.services): lines put to suppliers, re-pooled, awarded.
    "sourced": ({S.APPROVED}, S.SOURCING),
    "repooled": ({S.SOURCING}, S.APPROVED),
    "awarded": ({S.SOURCING}, S.AWARDED),
    # Moved by purchasing (purchasing.services): every line ordered (ordered ≥ requested qty).
    "ordered": ({S.AWARDED}, S.ORDERED),
}
EDITABLE = frozenset({S.DRAFT, S.RETURNED})
# Approved but not ordered yet: their lines' estimates are the project's commitment until orders exist.
UNORDERED = frozenset({S.APPROVED, S.SOURCING, S.AWARDED})

BUDGET_TRANSITIONS = {
    "submit": ({B.DRAFT}, B.IN_REVIEW),
    "approved": ({B.IN_REVIEW}, B.APPROVED),
    "returned": ({B.IN_REVIEW}, B.DRAFT),
    "rejected": ({B.IN_REVIEW}, B.DRAFT),
    "superseded": ({B.APPROVED}, B.SUPERSEDED),
}
# Roles that never file or change anything here.
READ_ONLY = frozenset({Role.EXECUTIVE, Role.INTEGRATION})


def files_nothing(viewer) -> bool:
    """Executives (read only) and outside systems; anyone without a department (requests are filed under it)."""
    roles = frozenset(viewer.roles)
    return (bool(roles) and roles <= READ_ONLY) or getattr(viewer, "department_id", None) is None


# --- requests ----------------------------------------------------------------------------------------------

def can_create(viewer, record=None) -> Refusal:
    if files_nothing(viewer):
        return PermissionDenied(_("You may not file purchase requests."))
    return None


def _owner(viewer, request: PurchaseRequest) -> Refusal:
    if viewer.pk != request.owner_id:
        return PermissionDenied(_("Only the requester changes or submits the request."))
    return None


def can_edit(viewer, request: PurchaseRequest) -> Refusal:
    return first(_owner(viewer, request),
                 None if request.status in EDITABLE else
                 Conflict(_("Only a draft or a returned request is changed."), code="wrong_state"))


def can_submit(viewer, request: PurchaseRequest) -> Refusal:
    return first(_owner(viewer, request), in_state(request, "submit", TRANSITIONS))


def can_cancel(viewer, request: PurchaseRequest) -> Refusal:
    if viewer.pk != request.owner_id and not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the requester or the procurement head cancels the request."))
    return in_state(request, "cancel", TRANSITIONS)


def can_close(viewer, request: PurchaseRequest) -> Refusal:
    if not viewer.has_role(Role.PROCUREMENT_HEAD):
        return PermissionDenied(_("Only the procurement head closes a request."))
    return in_state(request, "close", TRANSITIONS)


def current_step(record):
    if not hasattr(record, "_current_step"):
        record._current_step = approval_selectors.current_step(record)
    return record._current_step


def last_step(record):
    """The step a decision is judged on: the current one, else the last step of the latest round (a decider of a
    finished round hears "not now", 409, everyone else "never", 403); None before any round."""
    step = current_step(record)
    if step is None:
        lookups = {f"review__{k}": v for k, v in approval_selectors.of_record(record).items()}
        step = (ReviewStep.objects.filter(**lookups).select_related("review")
                .order_by("-review__round", "-position").first())
    return step


def can_decide(viewer, record, decision: str = "") -> Refusal:
    step = last_step(record)
    if step is None:
        return PermissionDenied(_("You are not a decider of this step."), code="not_decider")
    return approval_rules.can_decide(viewer, step, subject=record, decision=decision)


def can_approve(viewer, record) -> Refusal:
    return can_decide(viewer, record, "approve")


def can_return(viewer, record) -> Refusal:
    return can_decide(viewer, record, "return")


def can_reject(viewer, record) -> Refusal:
    return can_decide(viewer, record, "reject")


RULES = {
    "edit": can_edit,
    "submit": can_submit,
    "approve": can_approve,
    "return": can_return,
    "reject": can_reject,
    "cancel": can_cancel,
    "close": can_close,
}


def allowed_actions(viewer, request: PurchaseRequest) -> list[str]:
    return allowed(RULES, viewer, request)


def can_configure(viewer, record=None) -> Refusal:
    """Procurement settings: the administrator."""
    return None if viewer.has_role(Role.ADMIN) else PermissionDenied()


# --- project budgets ---------------------------------------------------------------------------------------

def _budget_keeper(viewer, project) -> Refusal:
    if files_nothing(viewer) or not project_rules.is_owner_or_head(viewer, project):
        return PermissionDenied(_("Only the project's owner or his department head drafts its purchase budget."))
    return None


def can_edit_budget(viewer, project, budget: ProjectBudget | None = None) -> Refusal:
    """Draft a budget (a new version when the latest is approved): not while one is in review."""
    if budget is not None and budget.status == B.IN_REVIEW:
        return first(_budget_keeper(viewer, project),
                     Conflict(_("A version of the budget is in review; wait for its decision."), code="wrong_state"))
    return _budget_keeper(viewer, project)


def can_submit_budget(viewer, project, budget: ProjectBudget | None = None) -> Refusal:
    if budget is None:
        return first(_budget_keeper(viewer, project),
                     Conflict(_("Draft the budget first."), code="wrong_state"))
    return first(_budget_keeper(viewer, project), in_state(budget, "submit", BUDGET_TRANSITIONS))


def budget_actions(viewer, project, budget: ProjectBudget | None) -> list[str]:
    """What the viewer may do on the project's budget now: edit, submit (the latest version), approve / return /
    reject (its current step)."""
    out = [name for name, rule in (("edit", can_edit_budget), ("submit", can_submit_budget))
           if rule(viewer, project, budget) is None]
    if budget is not None and budget.status == B.IN_REVIEW:
        out += [name for name, rule in (("approve", can_approve), ("return", can_return), ("reject", can_reject))
                if rule(viewer, budget) is None]
    return out
