"""Bodies and answers of /purchase-orders/{id}/receipts and /receipts."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from opsmon.core.schemas import In, Out, UserRef


class ReceiptLineIn(In):
    order_line_id: int
    qty: Decimal = Field(description="delivered quantity: more than 0, at most 3 decimals")


class ReceiptIn(In):
    delivered_on: date
    inspector_id: int = Field(description="a user with the inspector role, not the order's purchaser")
    note: str = Field("", max_length=2000)
    lines: list[ReceiptLineIn] = Field(max_length=100)


class ReceiptSplitLineIn(In):
    order_line_id: int
    accepted: Decimal = Field(description="at least 0, at most 3 decimals")
    rejected: Decimal | None = Field(None, description="at least 0; accepted + rejected = delivered (default 0)")
    note: str = Field("", max_length=500)


class ReceiptAcceptIn(In):
    lines: list[ReceiptSplitLineIn] = Field(max_length=100)
    accepted_on: date | None = Field(None, description="the acceptance date (not in the future); today if empty")


class ReasonIn(In):
    reason: str = Field(max_length=500)


class ReceiptSubmitIn(In):
    comment: str = Field("", max_length=2000)


class ReceiptOrderRef(Out):
    id: int
    number: str
    title: str
    supplier: str


class ReceiptLineOut(Out):
    id: int
    order_line_id: int
    position: int
    item: str
    unit: str
    ordered: str
    qty: str
    accepted: str
    rejected: str
    note: str


class ReceiptOut(Out):
    id: int
    number: str
    status: str
    status_label: str
    order: ReceiptOrderRef
    delivered_on: date
    accepted_on: date | None
    inspector: UserRef
    owner: UserRef = Field(description="who recorded the delivery")
    note: str
    status_reason: str
    lines: list[ReceiptLineOut]
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class ReceiptList(Out):
    items: list[ReceiptOut]
    count: int


