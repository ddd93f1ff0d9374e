"""/insights: the dashboard figures as JSON and as Excel, scoped to the viewer exactly like the lists."""

from typing import Literal

from django.http import HttpResponse
from ninja import Query, Router

from opsmon.core.schemas import ERRORS

from . import export
from . import receivables as receivables_figure
from . import resources as resources_figure
from .figures import compute, filters_for, plain
from .schemas import (
    BondsOut,
    DeadlinesOut,
    FunnelOut,
    InsightParams,
    PipelineOut,
    SignedByMonthOut,
    WinRateOut,
)

router = Router(tags=["insights"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FigureName = Literal["funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"]


def _figure(request, name: str, params: InsightParams) -> dict:
    filters = filters_for(name, date_from=params.date_from, date_to=params.date_to, department=params.department,
                          currency=params.currency)
    return plain(compute(name, actor=request.auth, filters=filters))


@router.get("/insights/funnel", response={200: FunnelOut, **ERRORS}, by_alias=True)
def funnel(request, params: Query[InsightParams]):
    """Opportunities created in the period → converted projects → bids → won → signed contracts that came of
    them: counts, amounts, and the stage-to-stage conversion rates."""
    return _figure(request, "funnel", params)


@router.get("/insights/win-rate", response={200: WinRateOut, **ERRORS}, by_alias=True)
def win_rate(request, params: Query[InsightParams]):
    """Bids whose result became known in the period: win rate (won / (won + lost)) by department, sales rep,
    industry and tender method, and against each competitor named in the opening records."""
    return _figure(request, "win-rate", params)


@router.get("/insights/pipeline", response={200: PipelineOut, **ERRORS}, by_alias=True)
def pipeline(request, params: Query[InsightParams]):
    """Open opportunities expected to close in the period: amount and amount weighted by win probability, by
    month and stage."""
    return _figure(request, "pipeline", params)


@router.get("/insights/bonds", response={200: BondsOut, **ERRORS}, by_alias=True)
def bonds(request, params: Query[InsightParams]):
    """Bonds now (the period does not apply): by kind and status, the money out, overdue refunds by age."""
    return _figure(request, "bonds", params)


@router.get("/insights/deadlines", response={200: DeadlinesOut, **ERRORS}, by_alias=True)
def deadlines(request, params: Query[InsightParams]):
    """Bid submission deadlines, openings and contract ends in the period (default: the next 30 days; at most a
    year). The currency does not apply."""
    return _figure(request, "deadlines", params)


@router.get("/insights/signed-by-month", response={200: SignedByMonthOut, **ERRORS}, by_alias=True)
def signed_by_month(request, params: Query[InsightParams]):
    """Signed contract count and amount by month of the period, beside the same months a year earlier."""
    return _figure(request, "signed-by-month", params)


@router.get("/insights/receivables-ageing", response={200: receivables_figure.AgeingOut, **ERRORS}, by_alias=True)
def receivables_ageing(request, params: Query[InsightParams]):
    """Overdue receivables now by ageing bucket (0–30 / 31–90 / 91–180 / >180 days) and the collection forecast:
    outstanding money per month of the period (default: this month and the eleven after it) it falls due."""
    return receivables_figure.api_answer(actor=request.auth, params=params)


@router.get("/insights/resources", response={200: resources_figure.ProjectResourcesOut, **ERRORS})
def resources(request, department: int | None = None):
    """Project resources: person-days and money granted (granted resource requests) against what was logged,
    per project (the 200 most granted) and per department, over the projects the caller sees (`department`: it
    and those under it)."""
    return resources_figure.api_answer(actor=request.auth, department=department)


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@router.get("/insights/export.xlsx", response={200: None, **ERRORS})
def export_all(request, params: Query[InsightParams]):
    """Every figure with the same filters, one sheet each (deadlines: the next 30 days unless a period is given)."""
    filters = {name: filters_for(name, date_from=params.date_from, date_to=params.date_to,
                                 department=params.department, currency=params.currency) for name in export.SHEETS}
    return _xlsx(export.workbook(actor=request.auth, filters=filters), "insights")


@router.get("/insights/{figure}/export.xlsx", response={200: None, **ERRORS})
def export_one(request, figure: FigureName, params: Query[InsightParams]):
    """One figure as an Excel workbook, with the filters it was computed with."""
    filters = filters_for(figure, date_from=params.date_from, date_to=params.date_to, department=params.department,
                          currency=params.currency)
    return _xlsx(export.workbook(actor=request.auth, filters={figure: filters}), figure)
