from datetime import date, datetime

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import NumberRef as Ref
from opsmon.core.schemas import UserRef


class BidIn(Schema):
    opportunity_id: int
    project_id: int | None = None
    title: str = Field("", max_length=200)


class BidPatch(Schema):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)


class TenderAnalysisIn(Schema):
    """Only the fields sent change; correcting the deadline is allowed until the bid is opened."""

    tenderer: str | None = Field(None, max_length=200)
    agency: str | None = Field(None, max_length=200)
    tender_no: str | None = Field(None, max_length=100)
    tender_method: str | None = Field(None, max_length=32)
    estimated_price: str | None = Field(None, max_length=30)
    ceiling_price: str | None = Field(None, max_length=30)
    currency: str | None = Field(None, max_length=3)
    submission_deadline: datetime | None = None
    opening_at: datetime | None = None
    qualification_requirements: str | None = Field(None, max_length=20000)
    scoring_method: str | None = Field(None, max_length=32)
    risks: str | None = Field(None, max_length=10000)
    decision: str | None = Field(None, max_length=8, description="bid | no_bid")
    decision_reason: str | None = Field(None, max_length=5000)


class OpeningEntryIn(Schema):
    bidder: str = Field(max_length=200)
    price: str = Field(max_length=30)
    score: float | None = Field(None, ge=0, le=1000)
    rank: int = Field(ge=1, le=1000)
    is_us: bool = False


class OpeningIn(Schema):
    opened_at: datetime
    entries: list[OpeningEntryIn] = Field(max_length=200)
    winner: str = Field(max_length=200)


class OpeningEntryOut(Schema):
    bidder: str
    price: str
    score: str | None
    rank: int
    is_us: bool


class OpeningOut(Schema):
    opened_at: datetime
    winner: str
    entries: list[OpeningEntryOut]


class SummaryIn(Schema):
    person_days: float = Field(ge=0, le=100000)
    cost: str = Field(max_length=30)
    outcome_reason: str = Field(max_length=10000)
    lessons: str = Field(max_length=10000)
    bond_note: str = Field("", max_length=2000)


class SummaryOut(SummaryIn):
    person_days: str
    author: UserRef
    updated_at: datetime


class ReasonIn(Schema):
    reason: str = Field(max_length=500)


class BidOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    voided: bool
    closed: bool
    opportunity: Ref
    project: Ref | None
    customer: str
    owner: UserRef
    department: str
    tenderer: str
    agency: str
    tender_no: str
    tender_method: CodeRef | None
    estimated_price: str | None
    ceiling_price: str | None
    currency: str
    submission_deadline: datetime | None
    opening_at: datetime | None
    qualification_requirements: str
    scoring_method: CodeRef | None
    risks: str
    decision: str
    decision_reason: str
    abandon_reason: str
    result_known_on: date | None
    contract_signed_on: date | None
    closed_at: datetime | None
    version: int
    created_at: datetime
    updated_at: datetime


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    version: int
    size: int
    sha256: str
    content_type: str
    uploaded_by: UserRef
    uploaded_at: datetime
    download_url: str


class BondIn(Schema):
    kind: str = Field(max_length=16, description="bid | performance")
    amount: str = Field(max_length=30)
    currency: str = Field("CNY", max_length=3)
    method: str = Field(max_length=32)
    due_on: date | None = None


class BondOut(Schema):
    id: int
    bid: Ref
    department: str
    kind: str
    amount: str
    currency: str
    method: CodeRef
    due_on: date | None
    status: str
    paid_on: date | None
    reference: str
    refunded_on: date | None
    refunded_principal: str | None
    refund_interest: str | None
    forfeit_reason: str
    converted_to_id: int | None
    refund_due_on: date | None
    overdue: bool
    warnings: list[str]
    version: int


class BondPage(Schema):
    items: list[BondOut]
    count: int
    money_out: dict[str, str]


class PayIn(Schema):
    paid_on: date
    reference: str = Field("", max_length=100)


class RefundIn(Schema):
    refunded_on: date
    amount: str = Field(max_length=30, description="principal returned")
    interest: str = Field("0", max_length=30, description="bank interest added by the tenderer, kept apart")


class CreatedContractOut(Schema):
    contract_id: int
    number: str
