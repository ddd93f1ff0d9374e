from datetime import datetime

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import NamedRef as Ref
from opsmon.core.schemas import NumberRef, UserRef


class FeasibilityIn(Schema):
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
    handoff_status: str | None
    version: int
    created_at: datetime
    updated_at: datetime


class ProjectPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)


class AssignLeadIn(Schema):
    tech_lead_id: int


class CommentIn(Schema):
    comment: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class RouteIn(Schema):
    to: str = Field(max_length=24, description="implementation | bidding | contract_review")


class RouteOut(Schema):
    bid_id: int | None = None
    contract_id: int | None = None
    handoff_id: str | None = None
    project: ProjectOut
