"""Bodies and answers of /supplier-invoices."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from opsmon.core.schemas import Amount, In, NamedRef, NumberRef, Out, UserRef


class InvoiceCodeRef(Out):
    code: str
    label: str


class InvoiceLineIn(In):
    order_line_id: int
    qty: Decimal = Field(description="more than 0, at most 3 decimals")
    amount: Amount = Field(description="tax included, more than 0, at most 2 decimals")
    tax_rate: Decimal = Field(description="percent, 0–100, at most 2 decimals")


class SupplierInvoiceIn(In):
    supplier_id: int
    invoice_type: str = Field(max_length=32, description="a code of table `invoice_type`")
    code: str = Field("", max_length=20, description="invoice code (发票代码), letters and digits")
    number: str = Field(max_length=30, description="invoice number (发票号码), stored as `invoice_number`")
    issued_on: date = Field(description="not in the future")
    seller_tax_id: str = Field(max_length=20, description="the supplier's credit code (三流一致)")
    lines: list[InvoiceLineIn] = Field(max_length=50)
    total: Amount = Field(None, description="when given, the lines must add up to it")


class ReasonIn(In):
    reason: str = Field(max_length=500)


class InvoiceOrderLineRef(Out):
    id: int
    order: NumberRef
    position: int
    item: str
    unit_price: str
    tax_rate: str


class InvoiceLineOut(Out):
    id: int
    order_line: InvoiceOrderLineRef
    qty: str
    amount: str
    tax_rate: str
    expected: str = Field(description="quantity × the order's unit price, rounded half up to cents")
    matched: bool
    mismatch: str = Field(description="why the line does not match (empty when it does)")


class SupplierInvoiceOut(Out):
    id: int
    number: str = Field(description="FP-…")
    supplier: NamedRef
    invoice_type: InvoiceCodeRef
    code: str
    invoice_number: str
    issued_on: date
    seller_tax_id: str
    total: str
    currency: str = "CNY"
    status: str
    status_label: str
    lines: list[InvoiceLineOut]
    variance_reason: str
    variance_by: UserRef | None
    verified_by: UserRef | None
    verified_at: datetime | None
    status_reason: str
    file: dict | None = Field(None, description="{id, name} of the scanned invoice")
    created_by: UserRef
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class SupplierInvoiceList(Out):
    items: list[SupplierInvoiceOut]
    count: int
    count_exact: bool = True
