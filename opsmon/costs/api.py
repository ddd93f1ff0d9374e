"""/contracts/{id}/margin and the procurement dashboards under /insights/ (API.md, PROCUREMENT.md)."""

from ninja import Query, Router

from opsmon.core.schemas import ERRORS

from . import dashboards, selectors
from .margin import margin_of
from .schemas import (
    CommitmentsOut,
    MarginOut,
    OnTimeOut,
    PayablesOut,
    PeriodParams,
    ProjectCostsOut,
    SavingsOut,
    ScorecardOut,
    SpendOut,
)

router = Router(tags=["costs"])


@router.get("/contracts/{contract_id}/margin", response={200: MarginOut, **ERRORS})
def contract_margin(request, contract_id: int):
    """Revenue excl. tax, expected and actual purchase cost, margin (毛利) of a contract the caller sees (404
    otherwise): the cost of the purchase-order lines linked to it, or to its project if that has exactly this one
    signed contract; a line costs excl. tax when its order's invoice type is deductible, else incl."""
    contract = selectors.contract_get(actor=request.auth, pk=contract_id)
    data = margin_of(contract)
    data.pop("orders")
    return dashboards.plain(data)


def _figure(request, name: str, params: PeriodParams) -> dict:
    period = dashboards.parse_period(params.date_from, params.date_to)
    return dashboards.plain(dashboards.compute(name, actor=request.auth, period=period))


@router.get("/insights/spend", response={200: SpendOut, **ERRORS}, by_alias=True)
def spend(request, params: Query[PeriodParams]):
    """Spend (tax incl.) of the orders signed in the period, by category, supplier, project and month. The
    procurement head, executive, admin, finance and market head count every order; a purchaser his own; a
    department head those of his department subtree's projects; anyone else 403."""
    return _figure(request, "spend", params)


@router.get("/insights/savings", response={200: SavingsOut, **ERRORS}, by_alias=True)
def savings(request, params: Query[PeriodParams]):
    """Savings of the orders signed in the period against the highest valid quotation, and of their projects
    against the approved budget."""
    return _figure(request, "savings", params)


@router.get("/insights/on-time", response={200: OnTimeOut, **ERRORS}, by_alias=True)
def on_time(request, params: Query[PeriodParams]):
    """Order lines promised in the period (up to today) accepted in full by the promised date, by supplier."""
    return _figure(request, "on-time", params)


@router.get("/insights/scorecard", response={200: ScorecardOut, **ERRORS}, by_alias=True)
def scorecard(request, params: Query[PeriodParams]):
    """Supplier evaluations of the period: count, average score and grade, latest grade, per supplier."""
    return _figure(request, "scorecard", params)


@router.get("/insights/commitments", response={200: CommitmentsOut, **ERRORS}, by_alias=True)
def commitments(request, params: Query[PeriodParams]):
    """Open commitments now (the period does not apply): what approved and signed orders still expect, and the
    estimates of approved requests not ordered yet."""
    return _figure(request, "commitments", params)


@router.get("/insights/payables-ageing", response={200: PayablesOut, **ERRORS}, by_alias=True)
def payables_ageing(request, params: Query[PeriodParams]):
    """Approved, unpaid payment requests now by days past due (the period does not apply)."""
    return _figure(request, "payables-ageing", params)


@router.get("/insights/project-costs", response={200: ProjectCostsOut, **ERRORS}, by_alias=True)
def project_costs(request, params: Query[PeriodParams]):
    """Per project now: budget, committed, received, invoiced, paid, revenue of its signed contracts and margin
    (the period does not apply)."""
    return _figure(request, "project-costs", params)
