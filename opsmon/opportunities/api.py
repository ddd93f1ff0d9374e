"""/opportunities: list, create, edit, follow-ups, the conversion decision and the timeline."""

from datetime import date
from decimal import Decimal

from django.db.models import F
from ninja import Query, Router, Schema, Status
from pydantic import Field

from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, Page, PageParams, TimelineEntryOut, paginate, timeline_out, user_ref

from . import selectors, services
from .choices import OpportunityStatus
from .schemas import (
    CloseIn,
    CommentIn,
    ConvertOut,
    FollowUpIn,
    FollowUpOut,
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
    amount_min: Decimal | None = Field(None, ge=0, le=Decimal("99999999999999.99"))
    amount_max: Decimal | None = Field(None, ge=0, le=Decimal("99999999999999.99"))
    close_from: date | None = None
    close_to: date | None = None
    followup_due: bool = False
    ordering: str = Field("-created_at", max_length=32)

    def filters(self) -> selectors.OpportunityFilters:
        return selectors.OpportunityFilters(**self.model_dump())


def opportunity_out(o, labels) -> dict:
    out = {
        "id": o.pk, "number": o.number, "title": o.title, "customer": {"id": o.customer_id, "name": o.customer.name},
        "probability": o.probability, "estimated_amount": f"{o.estimated_amount:.2f}", "currency": o.currency,
        "expected_close_date": o.expected_close_date, "description": o.description, "status": o.status,
        "status_label": labels.get(("status", o.status), o.status), "owner": user_ref(o.owner),
        "department": {"id": o.department_id, "name": o.department.name},
        "members": [user_ref(m) for m in o.members.all()], "next_followup_on": o.next_followup_on,
        "project_id": _project_id(o) if o.status == "converted" else None,
        "version": o.version, "created_at": o.created_at, "updated_at": o.updated_at,
    }
    for field, table in TABLES.items():
        code = getattr(o, field)
        out[field] = {"code": code, "label": labels.get((table, code), code)} if code else None
    return out


def _project_id(o) -> int | None:
    """The list annotates the id (project_pk) rather than loading each project; a single record asks."""
    if hasattr(o, "project_pk"):
        return o.project_pk
    return getattr(getattr(o, "project", None), "pk", None)


def _labels() -> dict:
    """Code-table labels and status labels, translated once per request rather than once per row."""
    statuses = {("status", code): str(label) for code, label in OpportunityStatus.choices}
    return {**label_map(*TABLES.values()), **statuses}


def _one(request, pk) -> dict:
    return opportunity_out(selectors.opportunity_get(actor=request.auth, pk=pk), _labels())


@router.get("/opportunities", response={200: Page[OpportunityOut], **ERRORS})
def opportunity_list(request, params: Query[ListParams], pager: Query[PageParams]):
    """Visible opportunities, filtered (`followup_due=true` gives "my follow-ups due"), sorted, paginated."""
    filters = params.filters()
    page = paginate(selectors.opportunity_list(actor=request.auth, filters=filters).annotate(project_pk=F("project")),
                    pager,
                    counted=selectors.opportunity_count(actor=request.auth, filters=filters))
    labels = _labels()
    page["items"] = [opportunity_out(o, labels) for o in page["items"]]
    return page


@router.post("/opportunities", response={201: OpportunityOut, **ERRORS})
def opportunity_create(request, payload: OpportunityIn):
    opportunity = services.opportunity_create(actor=request.auth, **payload.model_dump())
    return Status(201, _one(request, opportunity.pk))


@router.get("/opportunities/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
def opportunity_detail(request, opportunity_id: int):
    return _one(request, opportunity_id)


@router.patch("/opportunities/{opportunity_id}", response={200: OpportunityOut, **ERRORS})
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


@router.post("/opportunities/{opportunity_id}/request-conversion", response={200: OpportunityOut, **ERRORS})
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


@router.post("/opportunities/{opportunity_id}/keep-tracking", response={200: OpportunityOut, **ERRORS})
def keep_tracking(request, opportunity_id: int, payload: CommentIn):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_keep_tracking(actor=request.auth, opportunity=opportunity, comment=payload.comment)
    return _one(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/close", response={200: OpportunityOut, **ERRORS})
def close(request, opportunity_id: int, payload: CloseIn):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_close(actor=request.auth, opportunity=opportunity, reason=payload.reason,
                               comment=payload.comment)
    return _one(request, opportunity_id)


@router.post("/opportunities/{opportunity_id}/reopen", response={200: OpportunityOut, **ERRORS})
def reopen(request, opportunity_id: int, payload: CommentIn = None):
    opportunity = selectors.opportunity_get(actor=request.auth, pk=opportunity_id)
    services.opportunity_reopen(actor=request.auth, opportunity=opportunity, comment=payload.comment if payload else "")
    return _one(request, opportunity_id)
