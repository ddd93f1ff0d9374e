"""What the /insights endpoints take and answer; money is a string with two decimals, rates are per cent."""

from datetime import date

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import Out


class InsightParams(Schema):
    date_from: date | None = Field(None, alias="from", description="First day of the period (default: 1 January "
                                                                    "of this year; deadlines: today)")
    date_to: date | None = Field(None, alias="to", description="Last day of the period (default: 31 December of "
                                                                "this year; deadlines: today + 30 days)")
    department: int | None = Field(None, description="This department and those under it, within what you see")
    currency: str = Field("CNY", max_length=3, description="Only records in this currency are counted")


class FigurePeriodOut(Out):
    """The period a figure covers (named apart from guarantees' validity PeriodOut: one OpenAPI component each)."""

    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")


class DepartmentRef(Out):
    id: int
    name: str


class FilterEcho(Out):
    currency: str
    period: FigurePeriodOut
    department: DepartmentRef | None


class FunnelStageOut(Out):
    stage: str
    label: str
    count: int
    amount: str
    rate: float | None = Field(description="Per cent of the previous stage's count")
    rate_from_start: float | None = Field(description="Per cent of the opportunities")
    open: int = Field(description="Of `count`, those whose sale is still open (the opportunity has no outcome)")
    lost: int = Field(description="Of `count`, those whose sale was lost (opportunity outcome lost)")


class FunnelOut(FilterEcho):
    stages: list[FunnelStageOut]


class OutcomeOut(Out):
    won: int
    lost: int
    abandoned: int
    finished: int
    win_rate: float | None = Field(description="won / (won + lost), per cent")


class WinRowOut(OutcomeOut):
    key: str
    label: str


class CompetitorOut(Out):
    bidder: str
    met: int = Field(description="Openings (won or lost) where they bid too")
    beaten: int = Field(description="How often we ranked above them")
    beat_rate: float | None
    they_won: int
    average_gap: str = Field(description="Average of our price minus theirs")
    gap_pct: float | None = Field(description="Our total price against theirs, per cent above (+) or below (−)")


class SaleOutcomeOut(Out):
    won: int
    lost: int
    open: int
    win_rate: float | None = Field(description="won / (won + lost), per cent")


class WinRateOut(FilterEcho):
    total: OutcomeOut
    opportunities: SaleOutcomeOut = Field(description="The period's new opportunities by their outcome")
    dimensions: dict[str, list[WinRowOut]] = Field(description="department, owner, industry, tender_method")
    dimension_labels: dict[str, str]
    competitors: list[CompetitorOut]


class CodeLabel(Out):
    code: str
    label: str


class PipelineMonthOut(Out):
    month: str = Field(description="YYYY-MM of the expected close date")
    count: int
    amount: str
    weighted: str = Field(description="Σ amount × win probability")
    stages: dict[str, str] = Field(description="Weighted amount by stage code")


class PipelineTotalOut(Out):
    count: int
    amount: str
    weighted: str


class PipelineOut(FilterEcho):
    stages: list[CodeLabel]
    months: list[PipelineMonthOut]
    total: PipelineTotalOut


class BondStatusOut(Out):
    kind: str
    kind_label: str
    status: str
    status_label: str
    count: int
    amount: str


class MoneyOutRow(Out):
    kind: str
    kind_label: str
    count: int
    amount: str


class AgeBucketOut(Out):
    from_days: int
    to_days: int | None
    count: int
    amount: str


class OverdueBondOut(Out):
    id: int
    bid_id: int
    bid_number: str
    bid_title: str
    department: str
    kind: str
    kind_label: str
    amount: str
    due_on: date
    age_days: int


class OverdueOut(Out):
    count: int
    amount: str
    buckets: list[AgeBucketOut]
    oldest: list[OverdueBondOut]


class BondsOut(FilterEcho):
    as_of: date
    by_status: list[BondStatusOut]
    money_out: list[MoneyOutRow]
    money_out_total: str
    overdue: OverdueOut


class DeadlineDayOut(Out):
    date: date
    bid_deadline: int
    bid_opening: int
    contract_end: int


class DeadlineItemOut(Out):
    kind: str = Field(description="bid_deadline, bid_opening or contract_end")
    kind_label: str
    at: str = Field(description="ISO date-time (bids) or date (contracts)")
    id: int
    number: str
    title: str
    department: str
    owner: str
    url: str


class DeadlinesOut(FilterEcho):
    counts: dict[str, int]
    kind_labels: dict[str, str]
    days: list[DeadlineDayOut]
    items: list[DeadlineItemOut]


class SignedMonthOut(Out):
    month: str
    count: int
    amount: str
    last_month: str
    last_count: int
    last_amount: str


class SignedTotalOut(Out):
    count: int
    amount: str
    last_count: int
    last_amount: str
    change_pct: float | None


class SignedByMonthOut(FilterEcho):
    months: list[SignedMonthOut]
    total: SignedTotalOut
