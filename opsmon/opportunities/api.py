"""/opportunities: list, create, edit, follow-ups, the conversion decision and the timeline."""

from datetime import date

from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.schemas import (
    ERRORS,
    Amount,
    Page,
    PageParams,
    TimelineEntryOut,
    paginate,
    timeline_out,
    user_ref,
    user_values,
)

from . import rules, selectors, services
from .choices import OpportunityStatus, Outcome
from .schemas import (
    CloseIn,
    CommentIn,
    ConvertOut,
    FollowUpIn,
    FollowUpOut,
    OpportunityDetailOut,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatch,
)

router = Router(tags=["opportunities"])
TABLES = {"source": "opportunity_source", "industry": "industry", "region": "region", "stage": "opportunity_stage",
          "close_reason": "close_reason"}





class ListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=24)
    stage: str = Field("", max_length=32)
    owner: int | None = None
    department: int | None = None
    industry: str = Field("", max_length=32)
    region: str = Field("", max_length=32)
    amount_min: Amount = Field(None, ge=0, le=MAX_AMOUNT)
    amount_max: Amount = Field(None, ge=0, le=MAX_AMOUNT)
    close_from: date | None = None
    close_to: date | None = None
    followup_due: bool = False
    ordering: str = Field("-created_at", max_length=32)

    def filters(self) -> selectors.OpportunityFilters:
        return selectors.OpportunityFilters(**self.model_dump())


def opportunity_out(row: dict, labels) -> dict:
    """One opportunity as the API answers it, from selectors.opportunity_rows."""
    out = {
        "id": row["id"], "number": row["number"], "title": row["title"],
        "customer": {"id": row["customer_id"], "name": row["customer__name"]},
        "probability": row["probability"], "estimated_amount": f"{row['estimated_amount']:.2f}",
        "currency": row["currency"], "expected_close_date": row["expected_close_date"],
        "description": row["description"], "status": row["status"],
        "status_label": labels.get(("status", row["status"]), row["status"]),
        "owner": user_values(row["owner_id"], row["owner__username"], row["owner__display_name"]),
        "department": {"id": row["department_id"], "name": row["department__name"]},
        "members": [user_values(*member) for member in row["members"]], "next_followup_on": row["next_followup_on"],
        "outcome": row["outcome"],
        "outcome_label": labels.get(("outcome", row["outcome"]), "") if row["outcome"] else "",
        "project_id": row["project__id"],
        "version": row["version"], "created_at": row["created_at"], "updated_at": row["updated_at"],
    }
    for field, table in TABLES.items():
        code = row[field]
        out[field] = {"code": code, "label": labels.get((table, code), code)} if code else None
    return out


def _labels() -> dict:
    """Code-table labels and status labels, translated once per request rather than once per row."""
    statuses = {("status", code): str(label) for code, label in OpportunityStatus.choices}
    outcomes = {("outcome", code): str(label) for code, label in Outcome.choices}
    return {**label_map(*TABLES.values()), **statuses, **outcomes}


def _one(request, pk) -> dict:
    """The detail (and every action's answer): the row plus the actions the caller may fire now, from the model
    object the selector loaded (lists read rows only and carry no allowed_actions)."""
    opportunity = selectors.opportunity_get(actor=request.auth, pk=pk)  # 404 unless visible
    out = opportunity_out(selectors.opportunity_rows([opportunity.pk])[0], _labels())
    out["allowed_actions"] = rules.allowed_actions(request.auth, opportunity)
    return out


@router.get("/opportunities", response={200: Page[OpportunityOut], **ERRORS})
def opportunity_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """Visible opportunities, filtered (`followup_due=true` gives "my follow-ups due"), sorted, paginated."""
    filters = params.filters()
    page = paginate(selectors.opportunity_list(actor=request.auth, filters=filters), pager,
                    counted=selectors.opportunity_count(actor=request.auth, filters=filters),
                    rows=selectors.opportunity_rows)
    labels = _labels()
    page["items"] = [opportunity_out(o, labels) for o in page["items"]]
    return page


@router.post("/opportunities", response={201: OpportunityDetailOut, **ERRORS})
def opportunity_create(request, payload: OpportunityIn):
    opportunity = services.opportunity_create(actor=request.auth, **payload.model_dump())
    return Status(201, _one(request, opportunity.pk))


@router.get("/opportunities/{opportunity_id}", response={200: OpportunityDetailOut, **ERRORS})
def opportunity_detail(request, opportunity_id: int):
    return _one(request, opportunity_id)


@router.patch("/opportunities/{opportunity_id}", response={200: OpportunityDetailOut, **ERRORS})
def opportunity_update(request, opportunity_id: int, payload: OpportunityPatch):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_update(actor=request.auth, opportunity=opportunity, **payload.model_dump(exclude_unset=True))
    return _one(request, opportunity_id)


@router.get("/opportunities/{opportunity_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def opportunity_timeline(request, opportunity_id: int):
    return timeline_out(timeline.entries_for(selectors.opportunity_get(actor=request.auth, pk=opportunity_id)))


def follow_up_out(f, labels) -> dict:
    return {"id": f.pk, "happened_at": f.happened_on, "kind": {"code": f.kind, "label": labels.get(
        ("followup_kind", f.kind), f.kind)}, "note": f.note, "next_step": f.next_step, "next_date": f.next_date,
        "author": user_ref(f.author), "created_at": f.created_at}


@router.get("/opportunities/{opportunity_id}/follow-ups", response={200: Page[FollowUpOut], **ERRORS})
def follow_up_list(request, opportunity_id: int, pager: Query[PageParams]):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    page = paginate(selectors.follow_ups(opportunity=opportunity), pager)
    labels = label_map("followup_kind")
    page["items"] = [follow_up_out(f, labels) for f in page["items"]]
    return page


@router.post("/opportunities/{opportunity_id}/follow-ups", response={201: FollowUpOut, **ERRORS})
def follow_up_create(request, opportunity_id: int, payload: FollowUpIn):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    follow_up = services.follow_up_add(actor=request.auth, opportunity=opportunity, **payload.model_dump())
    return Status(201, follow_up_out(follow_up, label_map("followup_kind")))


@router.post("/opportunities/{opportunity_id}/request-conversion", response={200: OpportunityDetailOut, **ERRORS})
def request_conversion(request, opportunity_id: int, payload: CommentIn):
    """Owner or team member asks for conversion (转立项); a comment is required."""
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_request_conversion(actor=request.auth, opportunity=opportunity, comment=payload.comment)
    return _one(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/convert", response={200: ConvertOut, **ERRORS})
def convert(request, opportunity_id: int, payload: CommentIn = None):
    """The department head converts; answers the new project's id and number plus the opportunity."""
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    _, project = services.opportunity_convert(actor=request.auth, opportunity=opportunity,
                                              comment=payload.comment if payload else "")
    return {"id": project.pk, "number": project.number, "opportunity": _one(request, opportunity_id)}


@router.post("/opportunities/{opportunity_id}/keep-tracking", response={200: OpportunityDetailOut, **ERRORS})
def keep_tracking(request, opportunity_id: int, payload: CommentIn):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_keep_tracking(actor=request.auth, opportunity=opportunity, comment=payload.comment)
    return _one(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/close", response={200: OpportunityDetailOut, **ERRORS})
def close(request, opportunity_id: int, payload: CloseIn):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_close(actor=request.auth, opportunity=opportunity, reason=payload.reason,
                               comment=payload.comment)
    return _one(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/reopen", response={200: OpportunityDetailOut, **ERRORS})
def reopen(request, opportunity_id: int, payload: CommentIn = None):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_reopen(actor=request.auth, opportunity=opportunity, comment=payload.comment if payload else "")
    return _one(request, opportunity_id)
