"""Bodies and answers of /sourcings. Prices (unit_price, tax_rate, amount, total) are null for everyone but the
sourcing's purchaser until the sourcing is evaluated (比价保密): `prices_visible` says which."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from opsmon.core.schemas import In, NamedRef, NumberRef, Out, UserRef


class SourcingCodeRef(Out):
    code: str
    label: str


class SourcingIn(In):
    method: str = Field(max_length=32, description="a code of table `purchase_method`")
    request_line_ids: list[int] = Field(max_length=100, description="lines of approved purchase requests")
    supplier_ids: list[int] = Field(max_length=30, description="the invited suppliers (each eligible today)")
    deadline: datetime = Field(description="quotation deadline, in the future")
    title: str = Field("", max_length=200)
    single_source_reason: str = Field("", max_length=32, description="single_source: a `single_source_reason` code")
    justification: str = Field("", max_length=2000, description="single_source: at least 20 characters")
    original_order_id: int | None = Field(None, description="添购 (reason add_on): the original purchase order")
    notice_on: date | None = Field(None, description="single source: the day its notice (公示) was published")


class SourcingReasonIn(In):
    reason: str = Field(max_length=500)


class SourcingCommentIn(In):
    comment: str = Field("", max_length=2000)


class QuotationLineIn(In):
    request_line_id: int
    unit_price: Decimal = Field(description="incl. tax, at least 0, at most 4 decimals")
    tax_rate: Decimal = Field(description="a value of code table `tax_rate` (13, 9, 6, 3, 1, 0)")


class QuotationIn(In):
    supplier_id: int
    valid_until: date
    delivery_days: int = Field(ge=0, le=3650)
    lines: list[QuotationLineIn] = Field(max_length=100)


class AwardLineIn(In):
    request_line_id: int
    quotation_line_id: int | None = None
    drop_reason: str = Field("", max_length=500)
    reason_not_lowest: str = Field("", max_length=500)


class AwardIn(In):
    lines: list[AwardLineIn] = Field(max_length=100)
    override_reason: str = Field("", max_length=2000)


class SourcingLineOut(Out):
    id: int
    request_line_id: int
    request: NumberRef
    item: str
    spec: str
    unit: SourcingCodeRef
    category: SourcingCodeRef
    qty: str
    est_unit_price: str
    est_amount: str
    need_by: date | None
    awarded_quotation_line_id: int | None
    awarded_supplier: NamedRef | None
    awarded_unit_price: str | None
    awarded_amount: str | None
    drop_reason: str
    reason_not_lowest: str


class InvitationOut(Out):
    id: int
    supplier: NamedRef
    grade: str | None
    grade_warning: str
    quoted: bool


class SourcingStepOut(Out):
    id: int
    position: int
    kind: SourcingCodeRef


class SourcingOut(Out):
    id: int
    number: str
    title: str
    method: SourcingCodeRef
    min_quotations: int
    status: str
    status_label: str
    owner: UserRef
    department: str
    deadline: datetime | None
    estimate: str
    awarded_total: str | None
    currency: str = "CNY"
    category: SourcingCodeRef | None
    single_source_reason: SourcingCodeRef | None
    justification: str
    original_order: NumberRef | None
    notice_on: date | None
    override_reason: str
    award_warnings: list[str]
    status_reason: str
    opened_at: datetime | None
    evaluated_at: datetime | None
    awarded_at: datetime | None
    prices_visible: bool
    lines: list[SourcingLineOut]
    invitations: list[InvitationOut]
    current_step: SourcingStepOut | None = Field(None, description="The award step waiting for decisions.")
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class SourcingList(Out):
    items: list[SourcingOut]
    count: int


class QuotationLineOut(Out):
    id: int
    request_line_id: int
    unit_price: str | None
    tax_rate: str | None
    amount: str | None


class SourcingFileOut(Out):
    id: str
    name: str


class QuotationOut(Out):
    id: int
    supplier: NamedRef
    valid_until: date
    delivery_days: int
    valid: bool
    total: str | None
    file: SourcingFileOut | None
    created_by: UserRef
    created_at: datetime
    lines: list[QuotationLineOut]


class ComparisonCellOut(Out):
    supplier_id: int
    quoted: bool
    quotation_line_id: int | None
    unit_price: str | None
    tax_rate: str | None
    amount: str | None
    valid: bool
    lowest: bool


class ComparisonLineOut(Out):
    request_line_id: int
    item: str
    spec: str
    unit: str
    qty: str
    lowest_unit_price: str | None
    cells: list[ComparisonCellOut]


class ComparisonSupplierOut(Out):
    id: int
    name: str
    quoted: bool
    valid_until: date | None
    delivery_days: int | None
    total: str | None


class ComparisonOut(Out):
    prices_visible: bool
    award_date: date
    suppliers: list[ComparisonSupplierOut]
    lines: list[ComparisonLineOut]


class AwardAnswer(Out):
    sourcing: SourcingOut
    warnings: list[str] = Field(description="The overrides this award needs (override_reason given).")
