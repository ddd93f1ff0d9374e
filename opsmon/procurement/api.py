"""/purchase-requests (steps approve, return or reject on the approvals engine), /projects/{id}/budget,
/projects/{id}/cost, /settings/procurement."""

from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.choices import Decision, ReviewStatus, StepStatus
from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, PageParams, TimelineEntryOut, money, paginate, timeline_out, user_ref
from opsmon.projects.selectors import project_get

from . import rules, selectors, services
from .choices import RequestStatus
from .schemas import (
    BudgetAnswer,
    CommentIn,
    CostOut,
    ProjectBudgetIn,
    ProjectBudgetOut,
    PurchaseRequestIn,
    PurchaseRequestList,
    PurchaseRequestOut,
    ReasonIn,
    RequestPatch,
    RoundOut,
    SettingsOut,
    SettingsPatch,
)

router = Router(tags=["procurement"])
TABLES = ("unit", "supplier_category", "review_step_kind")
DECISIONS = dict(Decision.choices)
STEP_STATUS = dict(StepStatus.choices)
ROUND_STATUS = dict(ReviewStatus.choices)


def _code(labels, table, code) -> dict:
    return {"code": code, "label": str(labels.get((table, code), code))}


def request_out(actor, r, labels=None) -> dict:
    labels = labels if labels is not None else label_map(*TABLES)
    return {
        "id": r.pk, "number": r.number, "title": r.title, "status": r.status,
        "status_label": str(r.get_status_display()),
        "project": {"id": r.project_id, "number": r.project.number} if r.project_id else None,
        "contract": {"id": r.contract_id, "number": r.contract.number} if r.contract_id else None,
        "owner": user_ref(r.owner), "department": r.department.name, "note": r.note, "total": money(r.total),
        "budget_warning": r.budget_warning, "cancel_reason": r.cancel_reason, "close_reason": r.close_reason,
        "lines": [{"id": line.pk, "position": line.position, "item": line.item, "spec": line.spec,
                   "unit": _code(labels, "unit", line.unit), "qty": str(line.qty),
                   "est_unit_price": str(line.est_unit_price), "amount": money(line.amount),
                   "category": _code(labels, "supplier_category", line.category), "need_by": line.need_by}
                  for line in r.lines.all()],
        "current_step": _current(r, labels),
        "version": r.version, "created_at": r.created_at, "updated_at": r.updated_at,
        "allowed_actions": rules.allowed_actions(actor, r),
    }


def _current(r, labels) -> dict | None:
    """The step waiting for decisions (its id goes into /reviews/{step_id}/approve | return | reject)."""
    if r.status != RequestStatus.SUBMITTED:
        return None
    step = approval_selectors.current_step(r)
    return {"id": step.pk, "position": step.position,
            "kind": _code(labels, "review_step_kind", step.kind)} if step else None


def rounds_out(record) -> list[dict]:
    labels = label_map("review_step_kind")
    return [{"round": rv.round, "route": rv.route_name, "status": rv.status,
             "status_label": str(ROUND_STATUS.get(rv.status, rv.status)), "started_at": rv.started_at,
             "finished_at": rv.finished_at,
             "steps": [{"id": s.pk, "position": s.position, "kind": _code(labels, "review_step_kind", s.kind),
                        "mode": s.mode, "status": s.status, "status_label": str(STEP_STATUS.get(s.status, s.status)),
                        "deciders": [{"user": user_ref(d.user), "decision": d.decision,
                                      "decision_label": str(DECISIONS.get(d.decision, "")), "comment": d.comment,
                                      "decided_at": d.decided_at} for d in s.deciders.all()]}
                       for s in rv.steps.all()]}
            for rv in approval_selectors.rounds_of(record)]


def _one(request, pk) -> dict:
    return request_out(request.auth, selectors.request_get(actor=request.auth, pk=pk))


class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16, description=" | ".join(RequestStatus.values))
    project: int | None = None
    mine: bool = False

    def filters(self) -> selectors.RequestFilters:
        return selectors.RequestFilters(q=self.q.strip(), status=self.status, project=self.project, mine=self.mine)


@router.get("/purchase-requests", response={200: PurchaseRequestList, **ERRORS})
def request_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """The requests the caller may see, newest first."""
    page = paginate(selectors.request_list(actor=request.auth, filters=params.filters()), pager)
    labels = label_map(*TABLES)
    return {"items": [request_out(request.auth, r, labels) for r in page["items"]], "count": page["count"]}


@router.post("/purchase-requests", response={201: PurchaseRequestOut, **ERRORS})
def request_create(request, payload: PurchaseRequestIn):
    """A draft request of the caller (his department), optionally for a project and/or contract he can see."""
    data = payload.model_dump()
    data["lines"] = [dict(line) for line in data["lines"]]
    created = services.request_create(actor=request.auth, **data)
    return Status(201, _one(request, created.pk))


@router.get("/purchase-requests/{purchase_request_id}", response={200: PurchaseRequestOut, **ERRORS})
def request_detail(request, purchase_request_id: int):
    return _one(request, purchase_request_id)


@router.patch("/purchase-requests/{purchase_request_id}", response={200: PurchaseRequestOut, **ERRORS})
def request_update(request, purchase_request_id: int, payload: RequestPatch):
    """Change a draft or returned request (its requester); `version` must be current; `lines` replaces them all."""
    record = selectors.request_get(actor=request.auth, pk=purchase_request_id)
    data = payload.model_dump(exclude_unset=True)
    version = data.pop("version")
    if "lines" in data and data["lines"] is not None:
        data["lines"] = [dict(line) for line in data["lines"]]
    services.request_update(actor=request.auth, request=record, version=version, **data)
    return _one(request, purchase_request_id)


@router.get("/purchase-requests/{purchase_request_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def request_timeline(request, purchase_request_id: int):
    return timeline_out(timeline.entries_for(selectors.request_get(actor=request.auth, pk=purchase_request_id)))


@router.post("/purchase-requests/{purchase_request_id}/submit", response={200: PurchaseRequestOut, **ERRORS})
def request_submit(request, purchase_request_id: int, payload: CommentIn = None):
    """Start a review round; the answer's `budget_warning` tells when the project's budget is nearly or over spent
    (over: the round has a budget step by the head of the project's department)."""
    record = selectors.request_get(actor=request.auth, pk=purchase_request_id)
    services.request_submit(actor=request.auth, request=record)
    return _one(request, purchase_request_id)


@router.post("/purchase-requests/{purchase_request_id}/cancel", response={200: PurchaseRequestOut, **ERRORS})
def request_cancel(request, purchase_request_id: int, payload: ReasonIn):
    record = selectors.request_get(actor=request.auth, pk=purchase_request_id)
    services.request_cancel(actor=request.auth, request=record, reason=payload.reason)
    return _one(request, purchase_request_id)


@router.post("/purchase-requests/{purchase_request_id}/close", response={200: PurchaseRequestOut, **ERRORS})
def request_close(request, purchase_request_id: int, payload: ReasonIn):
    record = selectors.request_get(actor=request.auth, pk=purchase_request_id)
    services.request_close(actor=request.auth, request=record, reason=payload.reason)
    return _one(request, purchase_request_id)


@router.get("/purchase-requests/{purchase_request_id}/reviews", response={200: list[RoundOut], **ERRORS})
def request_reviews(request, purchase_request_id: int):
    """Every review round, oldest first, with steps and decisions."""
    return rounds_out(selectors.request_get(actor=request.auth, pk=purchase_request_id))


def _decide(request, purchase_request_id: int, step_id: int, decision: str, comment: str) -> dict:
    record = selectors.request_get(actor=request.auth, pk=purchase_request_id)
    services.request_decide(actor=request.auth, request=record, step_id=step_id, decision=decision, comment=comment)
    return _one(request, purchase_request_id)


@router.post("/purchase-requests/{purchase_request_id}/reviews/{step_id}/approve",
             response={200: PurchaseRequestOut, **ERRORS})
def request_approve(request, purchase_request_id: int, step_id: int, payload: CommentIn = None):
    return _decide(request, purchase_request_id, step_id, "approve", payload.comment if payload else "")


@router.post("/purchase-requests/{purchase_request_id}/reviews/{step_id}/return",
             response={200: PurchaseRequestOut, **ERRORS})
def request_return(request, purchase_request_id: int, step_id: int, payload: CommentIn):
    """Back to the requester for changes (a comment is required); resubmitting starts a new round."""
    return _decide(request, purchase_request_id, step_id, "return", payload.comment)


@router.post("/purchase-requests/{purchase_request_id}/reviews/{step_id}/reject",
             response={200: PurchaseRequestOut, **ERRORS})
def request_reject(request, purchase_request_id: int, step_id: int, payload: CommentIn):
    """Final (a comment is required)."""
    return _decide(request, purchase_request_id, step_id, "reject", payload.comment)


# --- project budget and cost ----------------------------------------------------------------------------------

def budget_out(budget, labels) -> dict | None:
    if budget is None:
        return None
    return {"id": budget.pk, "project": {"id": budget.project_id, "number": budget.project.number},
            "revision": budget.revision, "status": budget.status, "status_label": str(budget.get_status_display()),
            "total": money(budget.total), "note": budget.note,
            "lines": [{"category": _code(labels, "supplier_category", line.category), "amount": money(line.amount)}
                      for line in budget.lines.all()],
            "created_by": user_ref(budget.created_by), "submitted_by": user_ref(budget.submitted_by),
            "approved_at": budget.approved_at, "version": budget.version}


def budget_answer(actor, project) -> dict:
    labels = label_map("supplier_category")
    latest = selectors.latest_budget(project)
    return {"latest": budget_out(latest, labels), "in_force": budget_out(selectors.approved_budget(project), labels),
            "allowed_actions": rules.budget_actions(actor, project, latest)}


@router.get("/projects/{project_id}/budget", response={200: BudgetAnswer, **ERRORS})
def budget_get(request, project_id: int):
    return budget_answer(request.auth, project_get(actor=request.auth, pk=project_id))


@router.put("/projects/{project_id}/budget", response={200: BudgetAnswer, **ERRORS})
def budget_put(request, project_id: int, payload: ProjectBudgetIn):
    """Write the draft version (a new version when the latest is approved; that one stays in force until the new
    one is approved)."""
    project = project_get(actor=request.auth, pk=project_id)
    services.budget_save(actor=request.auth, project=project, lines=[dict(r) for r in payload.model_dump()["lines"]],
                         note=payload.note)
    return budget_answer(request.auth, project)


@router.post("/projects/{project_id}/budget/submit", response={200: BudgetAnswer, **ERRORS})
def budget_submit(request, project_id: int, payload: CommentIn = None):
    project = project_get(actor=request.auth, pk=project_id)
    services.budget_submit(actor=request.auth, project=project)
    return budget_answer(request.auth, project)


@router.get("/projects/{project_id}/budget/versions", response={200: list[ProjectBudgetOut], **ERRORS})
def budget_versions(request, project_id: int):
    project = project_get(actor=request.auth, pk=project_id)
    labels = label_map("supplier_category")
    return [budget_out(b, labels) for b in selectors.budgets_of(project)]


@router.get("/projects/{project_id}/budget/reviews", response={200: list[RoundOut], **ERRORS})
def budget_reviews(request, project_id: int):
    project = project_get(actor=request.auth, pk=project_id)
    out = []
    for budget in selectors.budgets_of(project).order_by("revision"):
        out += rounds_out(budget)
    return out


def _budget_decide(request, project_id, step_id, decision, comment):
    project = project_get(actor=request.auth, pk=project_id)
    services.budget_decide(actor=request.auth, project=project, step_id=step_id, decision=decision,
                           comment=comment)
    return budget_answer(request.auth, project)


@router.post("/projects/{project_id}/budget/reviews/{step_id}/approve", response={200: BudgetAnswer, **ERRORS})
def budget_approve(request, project_id: int, step_id: int, payload: CommentIn = None):
    return _budget_decide(request, project_id, step_id, "approve", payload.comment if payload else "")


@router.post("/projects/{project_id}/budget/reviews/{step_id}/return", response={200: BudgetAnswer, **ERRORS})
def budget_return(request, project_id: int, step_id: int, payload: CommentIn):
    return _budget_decide(request, project_id, step_id, "return", payload.comment)


@router.post("/projects/{project_id}/budget/reviews/{step_id}/reject", response={200: BudgetAnswer, **ERRORS})
def budget_reject(request, project_id: int, step_id: int, payload: CommentIn):
    return _budget_decide(request, project_id, step_id, "reject", payload.comment)


def cost_out(project) -> dict:
    labels = label_map("supplier_category")
    cost = selectors.cost_of(project)
    return {"budget": money(cost["budget"]), "committed": money(cost["committed"]),
            "received": money(cost["received"]), "invoiced": money(cost["invoiced"]), "paid": money(cost["paid"]),
            "by_category": [{"category": _code(labels, "supplier_category", c["category"]),
                             "budget": money(c["budget"]), "committed": money(c["committed"]),
                             "received": money(c["received"]), "invoiced": money(c["invoiced"]),
                             "paid": money(c["paid"])} for c in cost["by_category"]]}


@router.get("/projects/{project_id}/cost", response={200: CostOut, **ERRORS})
def project_cost(request, project_id: int):
    """Budget (approved version), committed, received, invoiced and paid (the last three 0 until orders exist)."""
    return cost_out(project_get(actor=request.auth, pk=project_id))


# --- settings -------------------------------------------------------------------------------------------------

def settings_out(current, warnings=()) -> dict:
    out = {k: money(getattr(current, k)) for k in services.MONEY_SETTINGS}
    out.update({k: str(getattr(current, k)) for k in services.PCT_SETTINGS})
    out.update({k: getattr(current, k) for k in services.WEIGHT_SETTINGS})
    out["warnings"] = list(warnings)
    return out


@router.get("/settings/procurement", response={200: SettingsOut, **ERRORS})
def settings_get(request):
    return settings_out(services.settings_get())


@router.patch("/settings/procurement", response={200: SettingsOut, **ERRORS})
def settings_patch(request, payload: SettingsPatch):
    """Change some settings (admin); percentages 0–100 with 2 decimals, amounts like every amount, evaluation
    weights whole numbers adding up to 100. `warnings` names a retention above its warning level."""
    current, warnings = services.settings_update(actor=request.auth, **payload.model_dump(exclude_unset=True))
    return settings_out(current, warnings)

