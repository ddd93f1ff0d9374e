"""/projects: list, detail, lead assignment, feasibility review, decisions, routing, cancellation, and after an
abandoned bid: retender or close."""

from ninja import Query, Router
from pydantic import Field

from opsmon.accounts.models import User
from opsmon.core import timeline
from opsmon.core.errors import NotFound
from opsmon.core.schemas import ERRORS, Page, PageParams, Schema, TimelineEntryOut, paginate, timeline_out, user_ref

from . import rules, selectors, services
from .schemas import (
    AssignLeadIn,
    CommentIn,
    FeasibilityIn,
    FeasibilityOut,
    ProjectDetailOut,
    ProjectOut,
    ProjectPatch,
    ProjectRetenderOut,
    ProjectRouteIn,
    ProjectRouteOut,
    ReasonIn,
)

router = Router(tags=["projects"])


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=24)
    tech_lead: int | None = None
    ordering: str = Field("-created_at", max_length=32)

    def filters(self) -> selectors.ProjectFilters:
        return selectors.ProjectFilters(**self.model_dump())


def project_out(p) -> dict:
    return {
        "id": p.pk, "number": p.number, "title": p.title, "status": p.status,
        "status_label": str(p.get_status_display()),
        "customer": {"id": p.customer_id, "name": p.customer.name},
        "opportunity": {"id": p.opportunity_id, "number": p.opportunity.number},
        "estimated_amount": f"{p.estimated_amount:.2f}", "currency": p.currency, "owner": user_ref(p.owner),
        "department": {"id": p.department_id, "name": p.department.name},
        "members": [user_ref(m) for m in p.members.all()], "tech_lead": user_ref(p.tech_lead),
        "routed_to": p.routed_to, "cancel_reason": p.cancel_reason, "close_reason": p.close_reason,
        "delivery_percent": p.delivery_percent,
        "handoff_status": selectors.handoff_status(p) if p.routed_to == "implementation" else None,
        "version": p.version, "created_at": p.created_at, "updated_at": p.updated_at,
    }


def _get(request, pk):
    return selectors.project_get(actor=request.auth, pk=pk)


def _one(request, pk) -> dict:
    """The project as the caller sees it now, with the actions he may fire on it (rules.allowed_actions)."""
    project = _get(request, pk)
    return {**project_out(project), "allowed_actions": rules.allowed_actions(request.auth, project)}


@router.get("/projects", response={200: Page[ProjectOut], **ERRORS})
def project_list(request, params: Query[ListParams], pager: Query[PageParams]):
    page = paginate(selectors.project_list(actor=request.auth, filters=params.filters()), pager)
    page["items"] = [project_out(p) for p in page["items"]]
    return page


@router.get("/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS})
def project_detail(request, project_id: int):
    return _one(request, project_id)


@router.patch("/projects/{project_id}", response={200: ProjectDetailOut, **ERRORS})
def project_update(request, project_id: int, payload: ProjectPatch):
    """Rename a project that is not final (owner or head); `version` must be current."""
    services.project_update(actor=request.auth, project=_get(request, project_id), version=payload.version,
                            title=payload.title)
    return _one(request, project_id)


@router.get("/projects/{project_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def project_timeline(request, project_id: int):
    return timeline_out(timeline.entries_for(_get(request, project_id)))


@router.post("/projects/{project_id}/assign-lead", response={200: ProjectDetailOut, **ERRORS})
def assign_lead(request, project_id: int, payload: AssignLeadIn):
    lead = User.objects.filter(pk=payload.tech_lead_id).first()
    services.project_assign_lead(actor=request.auth, project=_get(request, project_id), tech_lead=lead)
    return _one(request, project_id)


def _review_out(request, review) -> dict:
    return {"allowed_actions": rules.allowed_actions(request.auth, review.project),
            "technical_assessment": review.technical_assessment,
            "implementation_assessment": review.implementation_assessment, "risks": review.risks,
            "estimated_effort_days": str(review.estimated_effort_days) if review.estimated_effort_days is not None
            else None, "conclusion": review.conclusion, "status": review.status, "author": user_ref(review.author),
            "submitted_at": review.submitted_at, "updated_at": review.updated_at}


@router.get("/projects/{project_id}/feasibility", response={200: FeasibilityOut, **ERRORS})
def feasibility_get(request, project_id: int):
    review = selectors.review_of(_get(request, project_id))
    if review is None:
        raise NotFound()
    return _review_out(request, review)


@router.put("/projects/{project_id}/feasibility", response={200: FeasibilityOut, **ERRORS})
def feasibility_put(request, project_id: int, payload: FeasibilityIn):
    """The assigned lead saves the draft (partial drafts are fine; submitting checks completeness)."""
    review = services.feasibility_save(
        actor=request.auth, project=_get(request, project_id), technical_assessment=payload.technical_assessment,
        implementation_assessment=payload.implementation_assessment, risks=payload.risks,
        estimated_effort_days=payload.estimated_effort_days, conclusion=payload.conclusion)
    review = selectors.review_of(_get(request, project_id))
    return _review_out(request, review)


@router.post("/projects/{project_id}/submit-feasibility", response={200: ProjectDetailOut, **ERRORS})
def submit_feasibility(request, project_id: int):
    services.project_submit_feasibility(actor=request.auth, project=_get(request, project_id))
    return _one(request, project_id)


@router.post("/projects/{project_id}/approve", response={200: ProjectDetailOut, **ERRORS})
def approve(request, project_id: int, payload: CommentIn = None):
    services.project_approve(actor=request.auth, project=_get(request, project_id),
                             comment=payload.comment if payload else "")
    return _one(request, project_id)


@router.post("/projects/{project_id}/send-back", response={200: ProjectDetailOut, **ERRORS})
def send_back(request, project_id: int, payload: CommentIn):
    services.project_send_back(actor=request.auth, project=_get(request, project_id), comment=payload.comment)
    return _one(request, project_id)


@router.post("/projects/{project_id}/reject", response={200: ProjectDetailOut, **ERRORS})
def reject(request, project_id: int, payload: CommentIn):
    services.project_reject(actor=request.auth, project=_get(request, project_id), comment=payload.comment)
    return _one(request, project_id)


@router.post("/projects/{project_id}/cancel", response={200: ProjectDetailOut, **ERRORS})
def cancel(request, project_id: int, payload: ReasonIn):
    services.project_cancel(actor=request.auth, project=_get(request, project_id), reason=payload.reason)
    return _one(request, project_id)


@router.post("/projects/{project_id}/route", response={200: ProjectRouteOut, **ERRORS})
def route(request, project_id: int, payload: ProjectRouteIn):
    """Once per project: `implementation` (hand-off event), `bidding` (a Bid) or `contract_review` (a draft).
    Allowed when `route_<to>` is among the project's `allowed_actions`."""
    result = services.project_route(actor=request.auth, project=_get(request, project_id), to=payload.to)
    project = _one(request, project_id)
    return {**result, "project": project, "allowed_actions": project["allowed_actions"]}


@router.post("/projects/{project_id}/retender", response={200: ProjectRetenderOut, **ERRORS})
def retender(request, project_id: int):
    """After an abandoned bid: a new bid on the same project (it stays bidding). Allowed when `retender` is among
    the project's `allowed_actions`."""
    bid = services.project_retender(actor=request.auth, project=_get(request, project_id))
    project = _one(request, project_id)
    return {"bid_id": bid.pk, "project": project, "allowed_actions": project["allowed_actions"]}


@router.post("/projects/{project_id}/close", response={200: ProjectDetailOut, **ERRORS})
def close(request, project_id: int, payload: ReasonIn):
    """After an abandoned bid: the project is lost with `reason`, its opportunity closed (outcome lost)."""
    services.project_close(actor=request.auth, project=_get(request, project_id), reason=payload.reason)
    return _one(request, project_id)
