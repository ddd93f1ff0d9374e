from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import NumberRef as Ref
from opsmon.core.schemas import UserRef


class MilestoneIn(Schema):
    name: str = Field(max_length=100)
    due_on: date | None = None
    condition: str = Field("", max_length=200)
    amount: str | None = Field(None, max_length=30)
    percentage: str | None = Field(None, max_length=10)


class MilestoneOut(Schema):
    position: int
    name: str
    due_on: date | None
    condition: str
    amount: str | None
    percentage: str | None


class TermsFields(Schema):
    title: str | None = Field(None, max_length=200)
    contract_type: str | None = Field(None, max_length=32)
    amount: str | None = Field(None, max_length=30)
    currency: str | None = Field(None, max_length=3)
    tax_rate: str | None = Field(None, max_length=10, description="percent, 0–100")
    start_on: date | None = None
    end_on: date | None = None
    terms: str | None = Field(None, max_length=20000)
    milestones: list[MilestoneIn] | None = Field(None, max_length=50)


class ContractIn(TermsFields):
    opportunity_id: int


class ContractPatch(TermsFields):
    version: int


class ContractListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16)
    contract_type: str = Field("", max_length=32)
    department: int | None = None
    owner: int | None = None
    amount_min: float | None = Field(None, ge=0, le=1e14)
    amount_max: float | None = Field(None, ge=0, le=1e14)
    signed_from: date | None = None
    signed_to: date | None = None
    expiring_within: int | None = Field(None, ge=0, le=3650, description="signed contracts ending within N days")
    ordering: str = Field("-created_at", max_length=32)


class ContractOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    customer: dict
    opportunity: Ref
    project: Ref | None
    bid: Ref | None
    contract_type: CodeRef | None
    amount: str
    currency: str
    tax_rate: str | None
    start_on: date | None
    end_on: date | None
    terms: str
    milestones: list[MilestoneOut]
    owner: UserRef
    department: dict
    signed_on: date | None
    archived_at: datetime | None
    terminated_at: datetime | None
    terminate_reason: str
    terms_version: int
    current_step: dict | None
    version: int
    created_at: datetime
    updated_at: datetime


class DecisionIn(Schema):
    comment: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class DeciderOut(Schema):
    user: UserRef
    decision: str
    comment: str
    decided_at: datetime | None


class StepOut(Schema):
    id: int
    position: int
    kind: CodeRef
    mode: str
    status: str
    decided_at: datetime | None
    deciders: list[DeciderOut]


class ReviewOut(Schema):
    round: int
    amendment: int | None
    route: str
    status: str
    started_by: UserRef
    started_at: datetime
    finished_at: datetime | None
    steps: list[StepOut]


class AmendmentIn(Schema):
    changes: dict
    reason: str = Field(max_length=2000)


class AmendmentOut(Schema):
    id: int
    number: int
    reason: str
    changes: dict
    from_version: int
    status: str
    proposed_by: UserRef
    created_at: datetime
    decided_at: datetime | None


class VersionOut(Schema):
    number: int
    terms: dict
    amendment: int | None
    created_at: datetime
    changes: dict


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    size: int
    content_type: str
    uploaded_by: UserRef
    uploaded_at: datetime
    download_url: str


class RouteStepIO(Schema):
    kind: str = Field(max_length=32)
    decider_kind: str = Field(max_length=16, description="role | owner_head | users")
    role: str = Field("", max_length=32)
    users: list[int] = Field(default_factory=list, max_length=50)
    mode: str = Field("any", max_length=8, description="any (或签) | all (会签)")


class RouteIn(Schema):
    name: str = Field(max_length=100)
    contract_type: str = Field("", max_length=32)
    min_amount: str = Field("0", max_length=30)
    max_amount: str | None = Field(None, max_length=30)
    active: bool = True
    steps: list[RouteStepIO] = Field(max_length=12)


class RouteOut(RouteIn):
    id: int
