from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.schemas import Amount, In, UserRef
from opsmon.core.schemas import NumberRef as Ref

from .selectors import ContractFilters

ALLOWED = Field(default_factory=list, description="what the caller may do to the contract now (details and action "
                                                   "answers; empty in lists): rules.RULES' names")


class MilestoneIn(In):
    name: str = Field(max_length=100)
    due_on: date | None = None
    condition: str = Field("", max_length=200)
    trigger: str = Field("date", max_length=16, description="billing condition: signing | delivery | acceptance | "
                                                             "warranty_end | date")
    amount: str | None = Field(None, max_length=30)
    percentage: str | None = Field(None, max_length=10)


class MilestoneOut(Schema):
    id: int
    position: int
    name: str
    due_on: date | None
    condition: str
    trigger: str
    amount: str | None
    percentage: str | None


class TermsFields(In):
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
    amount_min: Amount = Field(None, ge=0, le=MAX_AMOUNT)
    amount_max: Amount = Field(None, ge=0, le=MAX_AMOUNT)
    signed_from: date | None = None
    signed_to: date | None = None
    expiring_within: int | None = Field(None, ge=0, le=3650, description="signed contracts ending within N days")
    ordering: str = Field("-created_at", max_length=32)

    def filters(self) -> ContractFilters:
        return ContractFilters(**self.model_dump())


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
    allowed_actions: list[str] = ALLOWED


class DecisionIn(In):
    comment: str = Field("", max_length=2000)


class ReasonIn(In):
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


class AmendmentIn(In):
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
    allowed_actions: list[str] = ALLOWED


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
    allowed_actions: list[str] = ALLOWED
