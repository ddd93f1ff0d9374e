"""Bodies and answers of /purchase-orders and /sourcings/{id}/create-orders."""

from datetime import date, datetime
from typing import Any

from pydantic import Field

from opsmon.core.schemas import In, NumberRef, Out, UserRef
from opsmon.procurement.schemas import ProcurementCodeRef, RoundOut  # noqa: F401 - RoundOut answered by the api


class OrderIdsOut(Out):
    order_ids: list[int]


class OrderMilestoneIn(In):
    kind: str = Field(max_length=16, description="advance | delivery | acceptance | retention")
    percent: str = Field(max_length=12, description="0–100, at most 2 decimals")
    name: str = Field("", max_length=100)


class PromisedIn(In):
    id: int
    promised_on: date | None = None


class OrderPatch(In):
    version: int
    title: str | None = Field(None, max_length=200)
    note: str | None = Field(None, max_length=2000)
    delivery_address: str | None = Field(None, max_length=300)
    retention_pct: str | None = Field(None, max_length=12)
    warranty_months: int | None = None
    payment_days: int | None = None
    invoice_type: str | None = Field(None, max_length=32, description="a code of table `invoice_type`")
    pay_after_customer: bool | None = None
    milestones: list[OrderMilestoneIn] | None = Field(None, max_length=12)
    lines: list[PromisedIn] | None = Field(None, max_length=200)


class ReasonIn(In):
    reason: str = Field(max_length=500)


class CommentIn(In):
    comment: str = Field("", max_length=2000)


class OrderAmendmentIn(In):
    changes: dict[str, Any] = Field(description="any of title, delivery_address, retention_pct, warranty_months, "
                                                "payment_days, milestones, lines [{id, qty?, unit_price?, "
                                                "promised_on?}]")
    reason: str = Field("", max_length=2000)


class OrderLineOut(Out):
    id: int
    position: int
    item: str
    spec: str
    unit: ProcurementCodeRef
    category: ProcurementCodeRef
    qty: str
    unit_price: str
    tax_rate: str
    amount: str
    amount_excl: str
    promised_on: date | None
    dropped_qty: str
    request_line_id: int | None


class OrderMilestoneOut(Out):
    kind: str
    kind_label: str
    name: str
    percent: str


class SupplierRef(Out):
    id: int
    name: str
    is_sme: bool


class FiguresOut(Out):
    received: str
    invoiced: str
    paid: str


class CurrentStepOut(Out):
    id: int
    position: int
    kind: ProcurementCodeRef


class PurchaseOrderOut(Out):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    supplier: SupplierRef
    sourcing: NumberRef | None
    project: NumberRef | None
    contract: NumberRef | None
    owner: UserRef
    department: str
    currency: str = "CNY"
    total: str
    total_excl: str
    award_total: str
    original_total: str | None
    retention_pct: str
    warranty_months: int
    payment_days: int
    invoice_type: ProcurementCodeRef | None
    pay_after_customer: bool
    delivery_address: str
    note: str
    warnings: list[str]
    signed_on: date | None
    status_reason: str
    revision: int
    lines: list[OrderLineOut]
    milestones: list[OrderMilestoneOut]
    figures: FiguresOut
    received: str = Field(description="none | partial | full")
    invoiced: str = Field(description="none | partial | full")
    paid: str = Field(description="none | partial | full")
    current_step: CurrentStepOut | None
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class PurchaseOrderList(Out):
    items: list[PurchaseOrderOut]
    count: int


class OrderAmendmentOut(Out):
    id: int
    status: str
    status_label: str
    changes: dict[str, Any]
    reason: str
    created_by: UserRef
    created_at: datetime
    decided_at: datetime | None


class OrderVersionOut(Out):
    revision: int
    terms: dict[str, Any]
    amendment_id: int | None
    created_at: datetime
