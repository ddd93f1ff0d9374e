from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import In, Out, UserRef
from opsmon.core.schemas import NamedRef as DepartmentRef


class CustomerRef(Out):
    id: int
    name: str


class OpportunityIn(In):
    title: str = Field(max_length=200)
    customer_id: int
    estimated_amount: str = Field(max_length=30, description="Decimal string, e.g. \"1250000.00\"")
    expected_close_date: date
    currency: str = Field("CNY", max_length=3)
    source: str = Field("", max_length=32)
    industry: str = Field("", max_length=32)
    region: str = Field("", max_length=32)
    stage: str = Field("", max_length=32)
    description: str = Field("", max_length=5000)
    member_ids: list[int] = Field(default_factory=list, max_length=50)


class OpportunityPatch(In):
    """Only the fields sent change; `version` must be the one read (409 when stale)."""

    version: int
    title: str | None = Field(None, max_length=200)
    customer_id: int | None = None
    estimated_amount: str | None = Field(None, max_length=30)
    expected_close_date: date | None = None
    currency: str | None = Field(None, max_length=3)
    source: str | None = Field(None, max_length=32)
    industry: str | None = Field(None, max_length=32)
    region: str | None = Field(None, max_length=32)
    stage: str | None = Field(None, max_length=32)
    description: str | None = Field(None, max_length=5000)
    member_ids: list[int] | None = Field(None, max_length=50)


class OpportunityOut(Out):
    id: int
    number: str
    title: str
    customer: CustomerRef
    source: CodeRef | None
    industry: CodeRef | None
    region: CodeRef | None
    stage: CodeRef
    probability: int
    estimated_amount: str
    currency: str
    expected_close_date: date
    description: str
    status: str
    status_label: str
    close_reason: CodeRef | None
    outcome: str = Field(description="How the sale ended: won | lost; empty while it is open.")
    outcome_label: str
    owner: UserRef
    department: DepartmentRef
    members: list[UserRef]
    next_followup_on: date | None
    project_id: int | None
    version: int
    created_at: datetime
    updated_at: datetime


class OpportunityDetailOut(OpportunityOut):
    """One opportunity as its detail and every action answer it: with the actions the caller may fire on it now."""

    allowed_actions: list[str] = Field(description="The actions this caller may fire on the opportunity now "
                                                   "(opportunities.rules): edit, add_follow_up, request_conversion, "
                                                   "convert, keep_tracking, close, reopen.")


class CommentIn(In):
    comment: str = Field("", max_length=2000)


class CloseIn(In):
    reason: str = Field(max_length=32)
    comment: str = Field("", max_length=2000)


class ConvertOut(Schema):
    id: int
    number: str
    opportunity: OpportunityDetailOut


class FollowUpIn(In):
    happened_on: date = Field(alias="happened_at")
    kind: str = Field(max_length=32)
    note: str = Field(max_length=5000)
    next_step: str = Field("", max_length=300)
    next_date: date | None = None


class FollowUpOut(Schema):
    id: int
    happened_at: date
    kind: CodeRef
    note: str
    next_step: str
    next_date: date | None
    author: UserRef
    created_at: datetime
