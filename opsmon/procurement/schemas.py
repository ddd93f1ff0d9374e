"""Bodies and answers of /purchase-requests, /projects/{id}/budget, /projects/{id}/cost, /settings/procurement."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import Field

from opsmon.core.schemas import Amount, In, NumberRef, Out, UserRef


class ProcurementCodeRef(Out):
    code: str
    label: str


class LineIn(In):
    item: str = Field(max_length=200)
    spec: str = Field("", max_length=500)
    unit: str = Field(max_length=32, description="a code of table `unit`")
    qty: Decimal = Field(description="more than 0, at most 3 decimals")
    est_unit_price: Decimal = Field(description="estimated unit price incl. tax, at least 0, at most 4 decimals")
    category: str = Field(max_length=32, description="a code of table `supplier_category`")
    need_by: date | None = None


class PurchaseRequestIn(In):
    title: str = Field(max_length=200)
    project_id: int | None = None
    contract_id: int | None = None
    note: str = Field("", max_length=2000)
    lines: list[LineIn] = Field(max_length=50)


class RequestPatch(In):
    version: int
    title: str | None = Field(None, max_length=200)
    project_id: int | None = None
    contract_id: int | None = None
    note: str | None = Field(None, max_length=2000)
    lines: list[LineIn] | None = Field(None, max_length=50)


class CommentIn(In):
    comment: str = Field("", max_length=2000)


class ReasonIn(In):
    reason: str = Field(max_length=500)


class LineOut(Out):
    id: int
    position: int
    item: str
    spec: str
    unit: ProcurementCodeRef
    qty: str
    est_unit_price: str
    amount: str
    category: ProcurementCodeRef
    need_by: date | None


class CurrentStep(Out):
    id: int
    position: int
    kind: ProcurementCodeRef


class PurchaseRequestOut(Out):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    project: NumberRef | None
    contract: NumberRef | None
    owner: UserRef
    department: str
    note: str
    total: str
    currency: str = "CNY"
    budget_warning: str = Field(description="Set on submission when the project's budget is nearly or over spent.")
    cancel_reason: str
    close_reason: str
    lines: list[LineOut]
    current_step: CurrentStep | None = Field(None, description="The step waiting for decisions (submitted only).")
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_actions: list[str]


class PurchaseRequestList(Out):
    items: list[PurchaseRequestOut]
    count: int


class PurchaseDeciderOut(Out):
    user: UserRef
    decision: str
    decision_label: str
    comment: str
    decided_at: datetime | None


class PurchaseStepOut(Out):
    id: int
    position: int
    kind: ProcurementCodeRef
    mode: str
    status: str
    status_label: str
    deciders: list[PurchaseDeciderOut]


class RoundOut(Out):
    round: int
    route: str
    status: str
    status_label: str
    started_at: datetime
    finished_at: datetime | None
    steps: list[PurchaseStepOut]


class BudgetLineIn(In):
    category: str = Field(max_length=32, description="a code of table `supplier_category`")
    amount: Amount


class ProjectBudgetIn(In):
    lines: list[BudgetLineIn] = Field(max_length=50)
    note: str = Field("", max_length=500)


class BudgetLineOut(Out):
    category: ProcurementCodeRef
    amount: str


class ProjectBudgetOut(Out):
    id: int
    project: NumberRef
    revision: int
    status: str
    status_label: str
    total: str
    note: str
    lines: list[BudgetLineOut]
    created_by: UserRef
    submitted_by: UserRef | None
    approved_at: datetime | None
    version: int


class BudgetAnswer(Out):
    latest: ProjectBudgetOut | None = Field(description="The newest version (a draft, in review, or the one in force).")
    in_force: ProjectBudgetOut | None = Field(description="The approved version in force.")
    allowed_actions: list[str]


class CategoryCost(Out):
    category: ProcurementCodeRef
    budget: str | None
    committed: str
    received: str
    invoiced: str
    paid: str


class CostOut(Out):
    budget: str | None
    committed: str
    received: str
    invoiced: str
    paid: str
    currency: str = "CNY"
    by_category: list[CategoryCost]


class SettingsOut(Out):
    direct_purchase_limit: str
    public_tender_threshold: str
    retention_pct: str
    retention_warn_pct: str
    budget_warn_pct: str
    match_qty_pct: str
    match_amount_pct: str
    match_amount_abs: str
    over_receipt_pct: str
    weight_quality: int
    weight_on_time: int
    weight_price: int
    weight_service: int
    warnings: list[str] = Field(default_factory=list)


class SettingsPatch(In):
    direct_purchase_limit: str | None = Field(None, max_length=30)
    public_tender_threshold: str | None = Field(None, max_length=30)
    retention_pct: str | None = Field(None, max_length=10)
    retention_warn_pct: str | None = Field(None, max_length=10)
    budget_warn_pct: str | None = Field(None, max_length=10)
    match_qty_pct: str | None = Field(None, max_length=10)
    match_amount_pct: str | None = Field(None, max_length=10)
    match_amount_abs: str | None = Field(None, max_length=30)
    over_receipt_pct: str | None = Field(None, max_length=10)
    weight_quality: int | None = None
    weight_on_time: int | None = None
    weight_price: int | None = None
    weight_service: int | None = None
