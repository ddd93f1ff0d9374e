"""/projects/{id}/resource-requests, /resource-requests/{id} (submit, approve, reject, reopen: the approvals engine
decides the steps), /projects/{id}/effort-logs."""

from ninja import Query, Router, Status

from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, PageParams, TimelineEntryOut, money, paginate, timeline_out, user_ref
from opsmon.projects.selectors import project_get

from . import rules, selectors, services
from .choices import EFFORT_KINDS
from .schemas import (
    ApproveIn,
    CommentIn,
    EffortIn,
    EffortList,
    EffortOut,
    RejectIn,
    RequestIn,
    RequestList,
    RequestOut,
    RequestPut,
)

router = Router(tags=["resources"])
KIND_LABELS = dict(EFFORT_KINDS)


def request_out(actor, r) -> dict:
    totals = selectors.granted_of(r)
    return {
        "id": r.pk, "project": {"id": r.project_id, "number": r.project.number}, "status": r.status,
        "status_label": str(r.get_status_display()), "note": r.note, "filed_by": user_ref(r.filed_by),
        "people": [{"id": p.pk, "role": p.role, "role_label": str(p.get_role_display()), "days": str(p.days),
                    "user": user_ref(p.user),
                    "granted_days": None if p.granted_days is None else str(p.granted_days)}
                   for p in r.people.all()],
        "budget": [{"id": b.pk, "kind": b.kind, "kind_label": str(b.get_kind_display()), "amount": money(b.amount),
                    "granted_amount": money(b.granted_amount),
                    "above_asked": b.granted_amount is not None and b.granted_amount > b.amount}
                   for b in r.budget.all()],
        "asked_days": str(totals["asked_days"]), "asked_amount": money(totals["asked_amount"]),
        "granted_days": None if totals["granted_days"] is None else str(totals["granted_days"]),
        "granted_amount": money(totals["granted_amount"]),
        "version": r.version, "created_at": r.created_at, "updated_at": r.updated_at,
        "allowed_actions": rules.allowed_actions(actor, r),
    }


def log_out(log) -> dict:
    return {"id": log.pk, "project": {"id": log.project_id, "number": log.project.number},
            "user": user_ref(log.user), "on": log.on, "days": None if log.days is None else str(log.days),
            "amount": money(log.amount), "kind": log.kind, "kind_label": str(KIND_LABELS.get(log.kind, log.kind)),
            "note": log.note, "logged_by": user_ref(log.logged_by), "created_at": log.created_at}


def _one(request, pk) -> dict:
    return request_out(request.auth, selectors.request_get(actor=request.auth, pk=pk))


def _lines(payload) -> dict:
    return {"people": [p.model_dump() for p in payload.people], "budget": [b.model_dump() for b in payload.budget],
            "note": payload.note}


@router.get("/projects/{project_id}/resource-requests", response={200: RequestList, **ERRORS})
def request_list(request, project_id: int, pager: Query[PageParams]):
    """The project's requests, newest first, with what the caller may do on the project's resources now."""
    project = project_get(actor=request.auth, pk=project_id)
    page = paginate(selectors.requests_of(project), pager)
    return {"items": [request_out(request.auth, r) for r in page["items"]], "count": page["count"],
            "allowed_actions": rules.project_actions(request.auth, project)}


@router.post("/projects/{project_id}/resource-requests", response={201: RequestOut, **ERRORS})
def request_create(request, project_id: int, payload: RequestIn):
    """A draft request (owner or his head, on an approved project that is not closed)."""
    project = project_get(actor=request.auth, pk=project_id)
    created = services.request_create(actor=request.auth, project=project, **_lines(payload))
    return Status(201, _one(request, created.pk))


@router.get("/resource-requests/{resource_request_id}", response={200: RequestOut, **ERRORS})
def request_detail(request, resource_request_id: int):
    return _one(request, resource_request_id)


@router.put("/resource-requests/{resource_request_id}", response={200: RequestOut, **ERRORS})
def request_update(request, resource_request_id: int, payload: RequestPut):
    """Replace a draft's lines and note; `version` must be current."""
    record = selectors.request_get(actor=request.auth, pk=resource_request_id)
    services.request_update(actor=request.auth, request=record, version=payload.version, **_lines(payload))
    return _one(request, resource_request_id)


@router.get("/resource-requests/{resource_request_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def request_timeline(request, resource_request_id: int):
    return timeline_out(timeline.entries_for(selectors.request_get(actor=request.auth, pk=resource_request_id)))


@router.post("/resource-requests/{resource_request_id}/submit", response={200: RequestOut, **ERRORS})
def request_submit(request, resource_request_id: int, payload: CommentIn = None):
    """Start a review round (the owner's head; the technical department's head too when engineers are asked)."""
    record = selectors.request_get(actor=request.auth, pk=resource_request_id)
    services.request_submit(actor=request.auth, request=record)
    return _one(request, resource_request_id)


@router.post("/resource-requests/{resource_request_id}/approve", response={200: RequestOut, **ERRORS})
def request_approve(request, resource_request_id: int, payload: ApproveIn = None):
    """Approve the caller's current step, optionally setting granted figures per line."""
    record = selectors.request_get(actor=request.auth, pk=resource_request_id)
    services.request_approve(actor=request.auth, request=record, comment=payload.comment if payload else "",
                             lines=[g.model_dump() for g in payload.lines] if payload and payload.lines else None)
    return _one(request, resource_request_id)


@router.post("/resource-requests/{resource_request_id}/reject", response={200: RequestOut, **ERRORS})
def request_reject(request, resource_request_id: int, payload: RejectIn):
    record = selectors.request_get(actor=request.auth, pk=resource_request_id)
    services.request_reject(actor=request.auth, request=record, comment=payload.comment)
    return _one(request, resource_request_id)


@router.post("/resource-requests/{resource_request_id}/reopen", response={200: RequestOut, **ERRORS})
def request_reopen(request, resource_request_id: int, payload: CommentIn = None):
    """A refused request back to draft, for its owner to fix and resubmit."""
    record = selectors.request_get(actor=request.auth, pk=resource_request_id)
    services.request_reopen(actor=request.auth, request=record, comment=payload.comment if payload else "")
    return _one(request, resource_request_id)


@router.get("/projects/{project_id}/effort-logs", response={200: EffortList, **ERRORS})
def effort_list(request, project_id: int, pager: Query[PageParams]):
    project = project_get(actor=request.auth, pk=project_id)
    page = paginate(selectors.logs_of(project).select_related("project"), pager)
    used = selectors.used_of(project)
    return {"items": [log_out(log) for log in page["items"]], "count": page["count"],
            "used_days": str(used["days"]), "used_amount": money(used["amount"]),
            "allowed_actions": rules.project_actions(request.auth, project)}


@router.post("/projects/{project_id}/effort-logs", response={201: EffortOut, **ERRORS})
def effort_create(request, project_id: int, payload: EffortIn):
    project = project_get(actor=request.auth, pk=project_id)
    log = services.effort_log(actor=request.auth, project=project, **payload.model_dump())
    return Status(201, log_out(selectors.logs_of(project).select_related("project").get(pk=log.pk)))
