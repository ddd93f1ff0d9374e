"""May this viewer do this action on this project now? The one answer (DOMAIN.md, "Project"): the head of the
owner's department decides (assigns the lead, approves, sends back, rejects), the assigned technical lead writes
and submits the review, the owner or his head renames, routes and cancels.

Each `can_<action>` answers the refusal the service raises (403 with its message, 409 for the wrong state, 422 for
an unknown route) or None; checks run role first, then state (the record itself came through the selector, which
answers 404 outside the viewer's scope). Services start with `refuse(rules.can_x(...))`; the page's buttons and the
API's `allowed_actions` come from `allowed_actions(viewer, project)`.
"""

from functools import partial

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_head_of
from opsmon.core.errors import Conflict, Invalid, PermissionDenied
from opsmon.core.rules import Refusal, allowed, in_state, state_refusal

from .choices import ProjectStatus, ReviewStatus, Route
from .models import FeasibilityReview, Project

S = ProjectStatus
# action: (allowed source states, target state) — DOMAIN.md, "Project".
TRANSITIONS = {
    "assign_lead": ({S.AWAITING_LEAD, S.FEASIBILITY}, S.FEASIBILITY),
    "submit_feasibility": ({S.FEASIBILITY}, S.PENDING_APPROVAL),
    "approve": ({S.PENDING_APPROVAL}, S.APPROVED),
    "send_back": ({S.PENDING_APPROVAL}, S.FEASIBILITY),
    "reject": ({S.PENDING_APPROVAL}, S.REJECTED),
    "route_implementation": ({S.APPROVED}, S.IMPLEMENTATION),
    "route_bidding": ({S.APPROVED}, S.BIDDING),
    "route_contract_review": ({S.APPROVED}, S.CONTRACT_REVIEW),
    "cancel": ({S.AWAITING_LEAD, S.FEASIBILITY, S.PENDING_APPROVAL, S.APPROVED}, S.CANCELLED),
    # After an abandoned bid (DOMAIN.md "Lifecycle"): the owner bids again (the project stays bidding) or closes it.
    "retender": ({S.BIDDING}, S.BIDDING),
    "close": ({S.BIDDING}, S.LOST),
}
# How the project ends when its bid or contract does (DOMAIN.md "Lifecycle: outcomes flow back"): no button of
# its own, the consequence of the bid's or contract's action in its transaction (services.project_on_*). A
# reaction that does not fit the project's state leaves it as it is (`reacts`).
OUTCOME_TRANSITIONS = {
    "bid_lost": ({S.BIDDING}, S.LOST),
    "win": ({S.BIDDING, S.CONTRACT_REVIEW, S.IMPLEMENTATION}, S.WON),
    "terminate": ({S.WON, S.IN_DELIVERY, S.DELIVERED}, S.TERMINATED),
}
# What the outside project-monitoring system reports (services.project_delivery_event): event → (the states it
# may come in, the state it moves the project to, or None for a timeline row only).
DELIVERY_EVENTS = {
    "accepted": ({S.WON, S.IMPLEMENTATION}, S.IN_DELIVERY),
    "progress": ({S.IN_DELIVERY}, None),
    "delivered": ({S.IN_DELIVERY}, S.DELIVERED),
    "customer_accepted": ({S.DELIVERED}, S.ACCEPTED),
    "halted": ({S.WON, S.IMPLEMENTATION, S.IN_DELIVERY, S.DELIVERED}, None),
    "milestone_done": ({S.WON, S.IMPLEMENTATION, S.IN_DELIVERY, S.DELIVERED}, None),
}
DELIVERY_TRANSITIONS = {f"delivery_{event}": (sources, target)
                        for event, (sources, target) in DELIVERY_EVENTS.items() if target is not None}
# The end of a project's life: nothing reports on it or changes it any more.
ENDED = frozenset({S.LOST, S.ACCEPTED, S.TERMINATED, S.CANCELLED, S.REJECTED})
# Closed to changes (renaming): routed onwards, decided, or ended. A lost project and its opportunity are read-only.
FINAL = frozenset({S.REJECTED, S.CANCELLED, S.IMPLEMENTATION, S.BIDDING, S.CONTRACT_REVIEW, S.LOST, S.WON,
                   S.IN_DELIVERY, S.DELIVERED, S.ACCEPTED, S.TERMINATED})


# --- who ---------------------------------------------------------------------------------------

def is_head(viewer, project: Project) -> bool:
    """A department head over the project's department."""
    return is_head_of(viewer, project.department)


def is_lead(viewer, project: Project) -> bool:
    return project.tech_lead_id is not None and project.tech_lead_id == viewer.pk


def is_owner_or_head(viewer, project: Project) -> bool:
    return viewer.pk == project.owner_id or is_head(viewer, project)


def final(project: Project) -> bool:
    return project.status in FINAL


def _head_decides(viewer, project: Project) -> Refusal:
    if not is_head(viewer, project):
        return PermissionDenied(_("Only the head of the owner's department decides."))
    return None


# --- the actions -------------------------------------------------------------------------------

def can_edit(viewer, project: Project) -> Refusal:
    """Rename (PATCH): the owner or his head, while the project is not final."""
    if not is_owner_or_head(viewer, project):
        return PermissionDenied()
    if final(project):
        return Conflict(_("This project is closed to changes."), code="read_only")
    return None


def can_assign_lead(viewer, project: Project) -> Refusal:
    return _head_decides(viewer, project) or in_state(project, "assign_lead", TRANSITIONS)


def can_save_feasibility(viewer, project: Project) -> Refusal:
    """The assigned lead writes his draft while the project is in feasibility review and the review not submitted."""
    if not is_lead(viewer, project):
        return PermissionDenied(_("Only the assigned technical lead writes the review."))
    if project.status != S.FEASIBILITY:
        return Conflict(_("The review can only be written while the project is in feasibility review."),
                        code="wrong_state")
    if FeasibilityReview.objects.filter(project=project, status=ReviewStatus.SUBMITTED).exists():
        return Conflict(_("The review was submitted and is read-only."), code="read_only")
    return None


def can_submit_feasibility(viewer, project: Project) -> Refusal:
    if not is_lead(viewer, project):
        return PermissionDenied(_("Only the assigned technical lead submits the review."))
    return in_state(project, "submit_feasibility", TRANSITIONS)


def can_approve(viewer, project: Project) -> Refusal:
    return _head_decides(viewer, project) or in_state(project, "approve", TRANSITIONS)


def can_send_back(viewer, project: Project) -> Refusal:
    return _head_decides(viewer, project) or in_state(project, "send_back", TRANSITIONS)


def can_reject(viewer, project: Project) -> Refusal:
    return _head_decides(viewer, project) or in_state(project, "reject", TRANSITIONS)


def can_route(viewer, project: Project, *, to: str) -> Refusal:
    """The owner or his head routes an approved project once, to one of the `Route`s."""
    if not is_owner_or_head(viewer, project):
        return PermissionDenied(_("Only the owner or his department head routes the project."))
    if to not in Route.values:
        return Invalid(fields={"to": _("Choose implementation, bidding or contract_review.")})
    return in_state(project, f"route_{to}", TRANSITIONS)


def can_cancel(viewer, project: Project) -> Refusal:
    """The owner or his head, from any state that is not final (the reason is the service's to check)."""
    if not is_owner_or_head(viewer, project):
        return PermissionDenied()
    return in_state(project, "cancel", TRANSITIONS)


def latest_bid(project: Project):
    """The project's most recent bid (a retender adds one), or None."""
    return project.bids.order_by("-created_at", "-id").first()


def _after_abandoned_bid(viewer, project: Project, action: str) -> Refusal:
    """Retender and close: the owner or his head, while the project is bidding and its latest bid is voided."""
    if not is_owner_or_head(viewer, project):
        return PermissionDenied(_("Only the owner or his department head decides after an abandoned bid."))
    refusal = in_state(project, action, TRANSITIONS)
    if refusal is not None:
        return refusal
    bid = latest_bid(project)
    if bid is None or not bid.voided:
        return Conflict(_("The project's bid is still open: abandon it first."), code="bid_open")
    return None


def can_retender(viewer, project: Project) -> Refusal:
    """A new bid on the same project (the project stays bidding)."""
    return _after_abandoned_bid(viewer, project, "retender")


def can_close(viewer, project: Project) -> Refusal:
    """The project is lost (with a reason) and its opportunity closed, outcome lost."""
    return _after_abandoned_bid(viewer, project, "close")


def reacts(project: Project, action: str) -> bool:
    """Whether the consequence `action` of OUTCOME_TRANSITIONS moves the project in its present state."""
    return project.status in OUTCOME_TRANSITIONS[action][0]


def can_report_delivery(viewer, project: Project, *, event: str) -> Refusal:
    """The outside system's machine account (role integration) reports delivery: `event` of DELIVERY_EVENTS, on a
    project that has not ended (409 `project_ended`) and whose state the event fits (409 `wrong_state`)."""
    if not viewer.has_role(Role.INTEGRATION):
        return PermissionDenied(_("Only an outside system's account reports delivery."))
    if event not in DELIVERY_EVENTS:
        return Invalid(fields={"event": _("Choose one of: %(events)s.") % {"events": ", ".join(DELIVERY_EVENTS)}})
    if project.status in ENDED:
        return Conflict(_("%(number)s has ended (%(status)s): it takes no more delivery reports.")
                        % {"number": project.number, "status": project.get_status_display()}, code="project_ended")
    return state_refusal(project, DELIVERY_EVENTS[event][0])


# One rule per delivery event (the inbound status API asks the one of its event).
DELIVERY_RULES = {f"report_{event}": partial(can_report_delivery, event=event) for event in DELIVERY_EVENTS}


def route_action(to: str) -> str:
    """The action name of routing to `to` ("bidding" → "route_bidding")."""
    return f"route_{to}"


# Every action a user can fire on a project, in the order the page shows them. Routing is one action per
# destination (each is its own transition, button and timeline entry); the API's one route endpoint takes `to`.
RULES = {
    "edit": can_edit,
    "assign_lead": can_assign_lead,
    "save_feasibility": can_save_feasibility,
    "submit_feasibility": can_submit_feasibility,
    "approve": can_approve,
    "send_back": can_send_back,
    "reject": can_reject,
    **{route_action(to): partial(can_route, to=to) for to in ("implementation", "bidding", "contract_review")},
    "cancel": can_cancel,
    "retender": can_retender,
    "close": can_close,
}


def allowed_actions(viewer, project: Project) -> list[str]:
    return allowed(RULES, viewer, project)
