"""What /contracts/{id}/margin and the procurement dashboards answer: money is a string with two decimals, rates
and percentages are per cent (numbers, null when there is nothing to divide by)."""

from datetime import date

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import Out


class PeriodParams(Schema):
    date_from: date | None = Field(None, alias="from", description="First day of the period (default: 1 January "
                                                                    "of this year)")
    date_to: date | None = Field(None, alias="to", description="Last day of the period (default: 31 December)")


class MarginOut(Out):
    contract_id: int
    currency: str
    basis: str = Field(description="contract: orders linked to the contract; project: also the project's orders "
                                   "linked to no contract (the project has this one signed contract)")
    revenue_excl: str = Field(description="amount ÷ (1 + tax rate/100)")
    cost_expected: str = Field(description="commitment: lines of orders approved or later + unordered approved "
                                           "request estimates, at line cost")
    cost_actual: str = Field(description="invoiced, and accepted not yet invoiced, at line cost")
    margin: str = Field(description="revenue_excl − cost_expected")
    margin_pct: float | None
    margin_actual: str = Field(description="revenue_excl − cost_actual")
    margin_actual_pct: float | None
    requests_estimate: str


class CostPeriodOut(Out):
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")


class SpendRow(Out):
    key: int | str | None
    label: str
    amount: str
    orders: int


class SpendOut(Out):
    period: CostPeriodOut
    total: str
    orders: int
    by_category: list[SpendRow]
    by_supplier: list[SpendRow]
    by_project: list[SpendRow]
    by_month: list[SpendRow]


class QuoteSavingRow(Out):
    key: int
    label: str
    highest: str
    awarded: str
    saving: str
    rate: float | None


class QuoteSavings(Out):
    highest: str = Field(description="the order lines at the highest valid quotation's unit price")
    awarded: str
    saving: str
    rate: float | None
    lines: int
    by_supplier: list[QuoteSavingRow]


class BudgetSavingRow(Out):
    key: int
    label: str
    budget: str
    ordered: str
    saving: str
    rate: float | None


class BudgetSavings(Out):
    budget: str
    ordered: str = Field(description="line cost of the projects' orders approved or later")
    saving: str
    rate: float | None
    by_project: list[BudgetSavingRow]


class SavingsOut(Out):
    period: CostPeriodOut
    vs_quotation: QuoteSavings
    vs_budget: BudgetSavings


class OnTimeRow(Out):
    key: int
    label: str
    due: int
    on_time: int
    late: int
    rate: float | None


class OnTimeOut(Out):
    period: CostPeriodOut
    due: int = Field(description="order lines promised in the period (up to today)")
    on_time: int = Field(description="of them, accepted in full by the promised date")
    late: int
    rate: float | None
    by_supplier: list[OnTimeRow]


class ScoreRow(Out):
    key: int
    label: str
    count: int
    average: str
    grade: str
    latest_grade: str
    quality: str
    on_time: str
    price: str
    service: str


class ScorecardOut(Out):
    period: CostPeriodOut
    evaluations: int
    suppliers: list[ScoreRow]


class CommitmentsOut(Out):
    period: CostPeriodOut
    open_orders: str = Field(description="ordered − accepted, orders approved or signed (tax incl.)")
    orders: int
    requests_estimate: str = Field(description="approved request lines not ordered yet")
    total: str
    by_supplier: list[SpendRow]
    by_project: list[SpendRow]


class AgeingBucket(Out):
    bucket: str = Field(description="not_due | 0-30 | 31-90 | 91-180 | 180+ days overdue")
    label: str
    count: int
    amount: str


class CountAmount(Out):
    count: int
    amount: str


class PayablesOut(Out):
    period: CostPeriodOut
    as_of: date
    buckets: list[AgeingBucket]
    total: str
    overdue_count: int
    overdue_amount: str
    due_soon: CountAmount = Field(description="due within 7 days")
    sme_overdue: CountAmount = Field(description="overdue to SME suppliers (中小企业)")


class ProjectCostRow(Out):
    key: int
    label: str
    budget: str | None
    committed: str
    received: str
    invoiced: str
    paid: str
    revenue_excl: str | None = Field(description="its signed contracts' amounts excl. tax")
    margin: str | None = Field(description="revenue_excl − committed")
    margin_pct: float | None
    over_budget: bool


class ProjectTotals(Out):
    committed: str
    received: str
    invoiced: str
    paid: str


class ProjectCostsOut(Out):
    period: CostPeriodOut
    projects: list[ProjectCostRow]
    totals: ProjectTotals
