"""Bodies and answers of /payment-requests and /retentions."""

from datetime import date, datetime

from pydantic import Field

from opsmon.core.schemas import Amount, In, NumberRef, Out, UserRef
from opsmon.procurement.schemas import CurrentStep, ProcurementCodeRef


class PaymentRequestIn(In):
    order_id: int
    kind: str = Field(max_length=16, description="advance | progress | retention")
    amount: Amount = Field(description="more than 0, at most 2 decimals; within the order's ceiling")
    payee_account_id: int = Field(description="a bank account of the order's supplier")
    invoice_ids: list[int] = Field(default_factory=list, max_length=50,
                                   description="verified invoices of the order's supplier on its lines")
    note: str = Field("", max_length=2000)


class PaymentPayIn(In):
    paid_on: date
    amount: Amount = Field(description="more than 0, at most the approved amount")
    method: str = Field(max_length=32, description="a code of table `payment_method`")
    reference: str = Field("", max_length=100)


class SignOffIn(In):
    comment: str = Field("", max_length=500)


class RetentionReleaseIn(In):
    deduction: Amount = Field(None, description="0 ≤ deduction ≤ the retention; above 0 it needs a reason")
    reason: str = Field("", max_length=500)


class OrderRef(Out):
    id: int
    number: str
    title: str
    supplier: NumberRef


class AccountOut(Out):
    id: int
    bank: str
    account_name: str
    account_no: str


class InvoiceRef(Out):
    id: int
    number: str
    invoice_number: str
    total: str


class PaymentRequestOut(Out):
    id: int
    number: str
    order: OrderRef
    kind: str
    kind_label: str
    amount: str
    currency: str = "CNY"
    payee_account: AccountOut
    invoices: list[InvoiceRef]
    status: str
    status_label: str
    due_on: date | None
    owner: UserRef
    department: str
    note: str
    warnings: list[str] = Field(description="e.g. the supplier is blacklisted or suspended: still payable")
    paid_on: date | None
    paid_amount: str | None
    method: ProcurementCodeRef | None
    reference: str
    paid_by: UserRef | None
    status_reason: str
    current_step: CurrentStep | None = Field(None, description="The step waiting for decisions (in review only).")
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class PaymentRequestList(Out):
    items: list[PaymentRequestOut]
    count: int


class RetentionOut(Out):
    id: int
    order: OrderRef
    amount: str
    currency: str = "CNY"
    status: str
    status_label: str
    due_on: date | None
    signed_off_by: UserRef | None
    signed_off_at: datetime | None
    sign_off_comment: str
    released_by: UserRef | None
    released_at: datetime | None
    deduction: str
    deduction_reason: str
    releasable: str
    version: int
    allowed_actions: list[str]


class RetentionList(Out):
    items: list[RetentionOut]
    count: int
