"""The receivables figure (GET /api/v1/insights/receivables-ageing and the dashboard's panel): overdue receivables
of the contracts the viewer sees by ageing bucket, and what is still to come in per month of the period (the
collection forecast: each milestone's outstanding money in the month it falls due). Scoped like every figure
(scope.contracts is contracts.selectors.visible_contracts); the milestones' money is receivables.selectors'."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import Field

from opsmon.contracts.models import Milestone
from opsmon.core.errors import Invalid
from opsmon.core.schemas import Out
from opsmon.receivables.choices import Bucket, bucket_of
from opsmon.receivables.rules import BILLABLE
from opsmon.receivables.selectors import FEN, annotated, days_overdue

from . import scope
from .figures import next_twelve_months, plain
from .filters import Filters, parse
from .schemas import FilterEcho


class BucketOut(Out):
    bucket: str = Field(description="0-30 | 31-90 | 91-180 | 180+ days overdue")
    label: str
    count: int
    amount: str = Field(description="outstanding money of the overdue milestones in the bucket")


class MonthOut(Out):
    month: str = Field(description="YYYY-MM")
    count: int
    amount: str = Field(description="outstanding money of the milestones falling due that month")


class AgeingOut(FilterEcho):
    buckets: list[BucketOut]
    overdue_count: int
    overdue_amount: str
    forecast: list[MonthOut]
    outstanding_amount: str = Field(description="everything not yet collected on the signed contracts counted")


def _months(start: date, end: date) -> list[str]:
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def ageing(*, actor, filters: Filters, today: date | None = None) -> dict:
    """The figure's numbers (Decimals) for `actor` with `filters` (period: the forecast's months)."""
    today = today or timezone.localdate()
    contracts = scope.contracts(actor).filter(status__in=BILLABLE, currency=filters.currency)
    if filters.department is not None:
        contracts = contracts.filter(department__in=filters.department_ids)
    rows = annotated(Milestone.objects.filter(contract__in=contracts.values("pk"))).filter(
        outstanding__gt=FEN).select_related("contract")
    buckets = {b: {"bucket": b.value, "label": str(b.label), "count": 0, "amount": Decimal("0.00")} for b in Bucket}
    months = {m: {"month": m, "count": 0, "amount": Decimal("0.00")}
              for m in _months(filters.date_from, filters.date_to)}
    total = Decimal("0.00")
    for m in rows:
        outstanding = Decimal(m.outstanding).quantize(Decimal("0.01"))
        total += outstanding
        bucket = bucket_of(days_overdue(m, today))
        if bucket:
            buckets[Bucket(bucket)]["count"] += 1
            buckets[Bucket(bucket)]["amount"] += outstanding
        elif m.due is not None and f"{m.due:%Y-%m}" in months:
            months[f"{m.due:%Y-%m}"]["count"] += 1
            months[f"{m.due:%Y-%m}"]["amount"] += outstanding
    overdue = list(buckets.values())
    return {"buckets": overdue, "overdue_count": sum(b["count"] for b in overdue),
            "overdue_amount": sum((b["amount"] for b in overdue), Decimal("0.00")),
            "forecast": list(months.values()), "outstanding_amount": total}


def filters_for(*, date_from=None, date_to=None, department=None, currency=None) -> Filters:
    """Validated filters (422 naming each bad one); the period defaults to this month and the eleven after it."""
    return parse(date_from=date_from, date_to=date_to, department=department, currency=currency,
                 default=next_twelve_months(timezone.localdate()))


def compute(*, actor, filters: Filters) -> dict:
    department = filters.department
    return {**ageing(actor=actor, filters=filters), "currency": filters.currency,
            "period": {"from": filters.date_from, "to": filters.date_to},
            "department": {"id": department.pk, "name": department.name} if department is not None else None}


def api_answer(*, actor, params) -> dict:
    """The API's JSON (money as strings with two decimals)."""
    filters = filters_for(date_from=params.date_from, date_to=params.date_to, department=params.department,
                          currency=params.currency)
    return plain(compute(actor=actor, filters=filters))


def _bars(items: list[dict]) -> list[dict]:
    """Each item with `width`: its amount as a share of the largest, in per cent (the panel's bars)."""
    largest = max((i["amount"] for i in items), default=Decimal("0")) or Decimal("1")
    return [{**i, "width": int(i["amount"] * 100 / largest)} for i in items]


@login_required
def panel(request):
    """The dashboard's receivables panel (loaded into the page by htmx with the dashboard's filters)."""
    try:
        filters = filters_for(date_from=request.GET.get("from"), date_to=request.GET.get("to"),
                              department=request.GET.get("department"), currency=request.GET.get("currency"))
    except Invalid:  # the dashboard shows the filters' errors itself; the panel keeps the defaults
        filters = filters_for()
    data = compute(actor=request.user, filters=filters)
    return render(request, "insights/_receivables_ageing.html", {
        "data": data, "buckets": _bars(data["buckets"]), "forecast": _bars(data["forecast"]),
        "title": _("Receivables ageing and collection forecast")})
