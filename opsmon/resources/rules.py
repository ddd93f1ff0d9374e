"""May this viewer do this action on this resource request (or this project's resources) now? DOMAIN.md
"Resources (立项资源)": after the project is approved, its owner (or his department head) files a request, edits it
as a draft and submits it; the deciders of the current step of its review round (the owner's department head, and
the technical department's head when engineers are asked: approvals engine) grant, trim or refuse it; a refused
request goes back to draft for the owner to fix and resubmit. The project's team (owner, members, technical lead)
and his heads log effort and cost against the project. Nothing happens on a closed project.

Each `can_<action>` answers the refusal the service raises or None; role first, then state. The record came through
the selector (404 outside the viewer's scope)."""

from django.utils.translation import gettext as _

from opsmon.approvals import rules as approval_rules
from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.models import ReviewStep
from opsmon.core.errors import Conflict, PermissionDenied
from opsmon.core.rules import Refusal, allowed, first, in_state
from opsmon.projects import rules as project_rules
from opsmon.projects.choices import ProjectStatus
from opsmon.projects.models import Project

from .choices import RequestStatus
from .models import ResourceRequest

S = RequestStatus
P = ProjectStatus
# The project states in which resources are asked for and logged: approved and not closed.
OPEN_PROJECT = frozenset({P.APPROVED, P.BIDDING, P.CONTRACT_REVIEW, P.IMPLEMENTATION, P.WON, P.IN_DELIVERY})

# action: (allowed source states, target state)
TRANSITIONS = {
    "submit": ({S.DRAFT}, S.IN_REVIEW),
    "granted": ({S.IN_REVIEW}, S.GRANTED),      # the engine's last approval
    "refused": ({S.IN_REVIEW}, S.REFUSED),      # a step rejected
    "reopen": ({S.REFUSED}, S.DRAFT),
}


# --- who ---------------------------------------------------------------------------------------

def is_owner_or_head(viewer, project: Project) -> bool:
    return project_rules.is_owner_or_head(viewer, project)


def in_team(viewer, project: Project) -> bool:
    """Owner, technical lead, team member, or a department head over the project."""
    return (is_owner_or_head(viewer, project) or project_rules.is_lead(viewer, project)
            or project.members.filter(pk=viewer.pk).exists())


def project_open(project: Project) -> Refusal:
    if project.status in OPEN_PROJECT:
        return None
    return Conflict(_("Resources are asked for and logged only on an approved project that is not closed."),
                    code="project_closed")


# --- on a project ------------------------------------------------------------------------------

def can_file_request(viewer, project: Project) -> Refusal:
    if not is_owner_or_head(viewer, project):
        return PermissionDenied(_("Only the project owner or his department head asks for resources."))
    return project_open(project)


def can_log_effort(viewer, project: Project) -> Refusal:
    if not in_team(viewer, project):
        return PermissionDenied(_("Only the project team and its department heads log effort."))
    return project_open(project)


PROJECT_RULES = {"file_request": can_file_request, "log_effort": can_log_effort}


def project_actions(viewer, project: Project) -> list[str]:
    return allowed(PROJECT_RULES, viewer, project)


# --- on a request ------------------------------------------------------------------------------

def _owner(viewer, request: ResourceRequest) -> Refusal:
    if not is_owner_or_head(viewer, request.project):
        return PermissionDenied(_("Only the project owner or his department head changes the request."))
    return None


def can_edit(viewer, request: ResourceRequest) -> Refusal:
    return first(_owner(viewer, request), project_open(request.project),
                 Conflict(_("Only a draft is edited."), code="wrong_state") if request.status != S.DRAFT else None)


def can_submit(viewer, request: ResourceRequest) -> Refusal:
    return first(_owner(viewer, request), project_open(request.project), in_state(request, "submit", TRANSITIONS))


def can_reopen(viewer, request: ResourceRequest) -> Refusal:
    return first(_owner(viewer, request), project_open(request.project), in_state(request, "reopen", TRANSITIONS))


def current_step(request: ResourceRequest):
    if not hasattr(request, "_current_step"):
        request._current_step = approval_selectors.current_step(request)
    return request._current_step


def last_step(request: ResourceRequest):
    """The step a decision is judged on: the current one, else the last step of the latest round (so a decider
    of a finished round hears "not now", 409, and everyone else "never", 403); None before any round."""
    step = current_step(request)
    if step is None:
        lookups = {f"review__{k}": v for k, v in approval_selectors.of_record(request).items()}
        step = (ReviewStep.objects.filter(**lookups).select_related("review")
                .order_by("-review__round", "-position").first())
    return step


def can_decide(viewer, request: ResourceRequest) -> Refusal:
    """Approve (with granted figures) or reject the current step: approvals.rules.can_decide on it. Before any
    round: the owner's refusal for him and his heads' filing (403), nobody is a decider (403)."""
    step = last_step(request)
    if step is None:
        return PermissionDenied(_("You are not a decider of this step."), code="not_decider")
    return approval_rules.can_decide(viewer, step, subject=request)


def can_approve(viewer, request: ResourceRequest) -> Refusal:
    return can_decide(viewer, request)


def can_reject(viewer, request: ResourceRequest) -> Refusal:
    return can_decide(viewer, request)


RULES = {
    "edit": can_edit,
    "submit": can_submit,
    "approve": can_approve,
    "reject": can_reject,
    "reopen": can_reopen,
}


def allowed_actions(viewer, request: ResourceRequest) -> list[str]:
    return allowed(RULES, viewer, request)
