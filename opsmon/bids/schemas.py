"""Request bodies (every one inherits core.schemas.In: an unknown field is a 422 naming it) and answers of /bids
and /bonds. A bid's detail and every action's answer carry `allowed_actions` (bids.rules)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from opsmon.codes.schemas import CodeRef
from opsmon.core.schemas import In, UserRef
from opsmon.core.schemas import NumberRef as Ref

from .selectors import BidFilters, BondFilters


def _allowed():
    return Field(description="The actions this caller may fire on the bid now (bids.rules), e.g. "
                             "[\"submit\", \"abandon\"]; draw the buttons from it and nothing else.")


class BidIn(In):
    opportunity_id: int
    project_id: int | None = None
    title: str = Field("", max_length=200)


class BidPatch(In):
    version: int
    title: str | None = Field(None, min_length=1, max_length=200)


class TenderAnalysisIn(In):
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


class OpeningEntryIn(In):
    bidder: str = Field(max_length=200)
    price: str = Field(max_length=30)
    score: Decimal | None = Field(None, ge=0, le=1000)
    rank: int = Field(ge=1, le=1000)
    is_us: bool = False


class OpeningIn(In):
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
    allowed_actions: list[str] = _allowed()


class SummaryIn(In):
    person_days: Decimal = Field(ge=0, le=100000)
    cost: str = Field(max_length=30)
    outcome_reason: str = Field(max_length=10000)
    lessons: str = Field(max_length=10000)
    bond_note: str = Field("", max_length=2000)


class SummaryOut(Schema):
    person_days: str
    cost: str
    outcome_reason: str
    lessons: str
    bond_note: str
    author: UserRef
    updated_at: datetime
    allowed_actions: list[str] = _allowed()


class ReasonIn(In):
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


class BidDetailOut(BidOut):
    """A bid as its detail and every action on it answer it."""

    allowed_actions: list[str] = _allowed()


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


class DocumentCreatedOut(DocumentOut):
    allowed_actions: list[str] = _allowed()


class BondIn(In):
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
    allowed_actions: list[str] = Field(description="The actions this caller may fire on the bond now "
                                                   "(pay, refund, forfeit, convert_to_performance).")


class BondPage(Schema):
    items: list[BondOut]
    count: int
    money_out: dict[str, str]


class PayIn(In):
    paid_on: date
    reference: str = Field("", max_length=100)


class RefundIn(In):
    refunded_on: date
    amount: str = Field(max_length=30, description="principal returned")
    interest: str = Field("0", max_length=30, description="bank interest added by the tenderer, kept apart")


class CreatedContractOut(Schema):
    contract_id: int
    number: str
    allowed_actions: list[str] = _allowed()


class BidListParams(Schema):
    q: str = Field("", max_length=100)
    status: str = Field("", max_length=16)
    department: int | None = None
    ordering: str = Field("-created_at", max_length=32)

    def filters(self) -> BidFilters:
        return BidFilters(**self.model_dump())


class BondListParams(Schema):
    status: str = Field("", max_length=32)
    kind: str = Field("", max_length=16)
    department: int | None = None
    overdue: bool = False

    def filters(self) -> BondFilters:
        return BondFilters(**self.model_dump())
