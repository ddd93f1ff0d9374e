from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In, NamedRef, NumberRef, Out, UserRef

from .selectors import ReceivableFilters


class InvoiceIn(In):
    number: str = Field(max_length=40)
    invoice_type: str = Field(max_length=16, description="vat_special (增值税专用发票) | vat_ordinary (普通发票)")
    tax_rate: str = Field(max_length=10, description="percent, 0–100, at most 2 decimals")
    amount: str = Field(max_length=30, description="incl. tax, more than 0, at most 2 decimals")
    issued_on: date


class CollectionIn(In):
    amount: str = Field(max_length=30, description="more than 0, at most 2 decimals")
    received_on: date
    method: str = Field(max_length=24, description="bank_transfer | bank_acceptance | commercial_acceptance | "
                                                   "cheque | other")
    reference: str = Field("", max_length=100, description="the bank's reference")
    prepayment: bool = Field(False, description="received before it was invoiced (may exceed the invoiced total)")


class MilestoneMoney(Out):
    id: int
    position: int
    name: str
    planned: str
    invoiced: str
    collected: str
    outstanding: str
    due: date | None
    days_overdue: int
    bucket: str


class InvoiceOut(Out):
    id: int
    number: str
    invoice_type: str
    invoice_type_label: str
    tax_rate: str
    amount: str
    currency: str
    issued_on: date
    recorded_by: UserRef | None
    created_at: datetime


class CollectionOut(Out):
    id: int
    amount: str
    currency: str
    received_on: date
    method: str
    method_label: str
    reference: str
    prepayment: bool
    recorded_by: UserRef | None
    created_at: datetime


class InvoiceList(Out):
    items: list[InvoiceOut]
    count: int
    milestone: MilestoneMoney
    allowed_actions: list[str] = Field(description="record_invoice, record_collection: what the caller may record "
                                                   "on this contract now")


class CollectionList(Out):
    items: list[CollectionOut]
    count: int
    milestone: MilestoneMoney
    allowed_actions: list[str]


class InvoiceCreated(Out):
    invoice: InvoiceOut
    milestone: MilestoneMoney
    allowed_actions: list[str]


class CollectionCreated(Out):
    collection: CollectionOut
    milestone: MilestoneMoney
    allowed_actions: list[str]


class ReceivableOut(Out):
    id: int = Field(description="the milestone's id")
    contract: NumberRef
    contract_title: str
    customer: NamedRef
    owner: UserRef
    department: NamedRef
    milestone: MilestoneMoney
    currency: str
    amount: str = Field(description="planned: the milestone's amount or its share of the contract")
    invoiced: str
    collected: str
    outstanding: str
    due: date | None = Field(description="its due date; without one the signing or delivery date its billing "
                                         "condition names; null: not yet due")
    days_overdue: int
    bucket: str = Field(description="0-30 | 31-90 | 91-180 | 180+ (days overdue); empty when not overdue")


class ReceivableListParams(Schema):
    q: str = Field("", max_length=100)
    overdue: bool = False
    owner: int | None = None
    department: int | None = None
    bucket: Literal["", "0-30", "31-90", "91-180", "180+"] = ""
    ordering: str = Field("due", max_length=16, description="due, outstanding, contract (- for descending)")

    def filters(self) -> ReceivableFilters:
        return ReceivableFilters(**self.model_dump())
