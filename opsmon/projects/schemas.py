from datetime import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In, NumberRef, UserRef
from opsmon.core.schemas import NamedRef as Ref

AllowedActions = Annotated[list[str], Field(description=(
    "The actions this caller may fire on the project now (projects.rules): edit, assign_lead, save_feasibility, "
    "submit_feasibility, approve, send_back, reject, route_implementation, route_bidding, route_contract_review, "
    "cancel, retender, close."))]


class FeasibilityIn(In):
    technical_assessment: str = Field("", max_length=10000)
    implementation_assessment: str = Field("", max_length=10000)
    risks: str = Field("", max_length=10000)
    estimated_effort_days: float | None = Field(None, ge=0, le=100000)
    conclusion: str = Field("", max_length=16, description="feasible | conditional | infeasible")


class FeasibilityOut(Schema):
    technical_assessment: str
    implementation_assessment: str
    risks: str
    estimated_effort_days: str | None
    conclusion: str
    status: str
    author: UserRef
    submitted_at: datetime | None
    updated_at: datetime
    allowed_actions: AllowedActions


class ProjectOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    customer: Ref
    opportunity: NumberRef
    estimated_amount: str
    currency: str
    owner: UserRef
    department: Ref
    members: list[UserRef]
    tech_lead: UserRef | None
    routed_to: str
    cancel_reason: str
    close_reason: str
    delivery_percent: int | None
    handoff_status: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ProjectDetailOut(ProjectOut):
    """A project's detail and the answer of each action on it."""

    allowed_actions: AllowedActions


class ProjectPatch(In):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)


class AssignLeadIn(In):
    tech_lead_id: int


class CommentIn(In):
    comment: str = Field("", max_length=2000)


class ReasonIn(In):
    reason: str = Field(max_length=500)


class ProjectRetenderOut(Schema):
    bid_id: int
    project: ProjectDetailOut
    allowed_actions: AllowedActions


class ProjectRouteIn(In):
    to: str = Field(max_length=24, description="implementation | bidding | contract_review")


class ProjectRouteOut(Schema):
    bid_id: int | None = None
    contract_id: int | None = None
    handoff_id: str | None = None
    project: ProjectDetailOut
    allowed_actions: AllowedActions
