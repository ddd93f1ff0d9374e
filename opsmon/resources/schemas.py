"""Bodies and answers of /projects/{id}/resource-requests, /resource-requests/{id}/..., /projects/{id}/effort-logs."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from opsmon.core.schemas import Amount, In, NumberRef, Out, UserRef


class PeopleIn(In):
    role: str = Field(max_length=16, description="tech_lead | engineer | business")
    days: Decimal = Field(description="Person-days asked, in steps of 0.5.")
    user_id: int | None = Field(None, description="The person wanted (optional).")


class BudgetIn(In):
    kind: str = Field(max_length=16, description="travel | tender_fees | documents | other")
    amount: Amount = Field(description="Money asked (string, 2 decimals).")


class RequestIn(In):
    people: list[PeopleIn] = Field(default_factory=list, max_length=20)
    budget: list[BudgetIn] = Field(default_factory=list, max_length=20)
    note: str = Field("", max_length=2000)


class RequestPut(RequestIn):
    version: int


class CommentIn(In):
    comment: str = Field("", max_length=2000)


class RejectIn(In):
    comment: str = Field(max_length=2000)


class GrantIn(In):
    type: Literal["people", "budget"]
    id: int = Field(description="The line's id (people[].id or budget[].id of the request).")
    granted: Decimal = Field(description="Person-days (people) or money (budget) granted; may exceed the ask.")


class ApproveIn(In):
    comment: str = Field("", max_length=2000)
    lines: list[GrantIn] | None = Field(None, max_length=40, description="Granted figures to set (default: as "
                                        "asked, or as an earlier step set them).")


class PeopleOut(Out):
    id: int
    role: str
    role_label: str
    days: str
    user: UserRef | None
    granted_days: str | None


class BudgetOut(Out):
    id: int
    kind: str
    kind_label: str
    amount: str
    granted_amount: str | None
    above_asked: bool = False


class RequestOut(Out):
    id: int
    project: NumberRef
    status: str
    status_label: str
    note: str
    filed_by: UserRef | None
    people: list[PeopleOut]
    budget: list[BudgetOut]
    asked_days: str
    asked_amount: str
    granted_days: str | None
    granted_amount: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class RequestList(Out):
    items: list[RequestOut]
    count: int
    allowed_actions: list[str] = Field(description="What the caller may do on the project's resources now "
                                                   "(file_request, log_effort).")


class EffortIn(In):
    user_id: int | None = Field(None, description="Whose effort (default: the caller).")
    on: date
    days: Decimal | None = Field(None, description="Person-days, in steps of 0.5.")
    amount: Amount = None
    kind: str = Field(max_length=16, description="A people role (tech_lead, engineer, business) or a budget kind "
                                                 "(travel, tender_fees, documents, other).")
    note: str = Field("", max_length=500)


class EffortOut(Out):
    id: int
    project: NumberRef
    user: UserRef
    on: date
    days: str | None
    amount: str | None
    kind: str
    kind_label: str
    note: str
    logged_by: UserRef
    created_at: datetime


class EffortList(Out):
    items: list[EffortOut]
    count: int
    used_days: str
    used_amount: str
    allowed_actions: list[str]




