"""The figures by name, with their default periods: what the API, the Excel export and the page share."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from opsmon.core.errors import Invalid

from . import queries
from .filters import Filters, parse, this_year

DEADLINE_DAYS = 30
MAX_DEADLINE_DAYS = 366


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    compute: Callable
    default_period: Callable[[date], tuple[date, date]] = this_year


def next_days(today: date) -> tuple[date, date]:
    return today, today + timedelta(days=DEADLINE_DAYS)


def next_twelve_months(today: date) -> tuple[date, date]:
    """This month and the eleven after it: what a forecast looks at."""
    after = today.year * 12 + today.month - 1 + 12  # the month after the eleventh, counted from year 0
    return today.replace(day=1), date(after // 12, after % 12 + 1, 1) - timedelta(days=1)


FIGURES = {f.name: f for f in [
    Figure("funnel", _("Sales funnel"), queries.funnel),
    Figure("win-rate", _("Win rate"), queries.win_rate),
    Figure("pipeline", _("Pipeline forecast"), queries.pipeline, next_twelve_months),
    Figure("bonds", _("Bond exposure"), queries.bonds),
    Figure("deadlines", _("Deadlines"), queries.deadlines, next_days),
    Figure("signed-by-month", _("Signed contracts by month"), queries.signed_by_month),
]}


def filters_for(name: str, *, date_from=None, date_to=None, department=None, currency=None) -> Filters:
    """Validated filters of figure `name` (422 naming each bad field); deadlines look at most a year ahead."""
    figure = FIGURES[name]
    filters = parse(date_from=date_from, date_to=date_to, department=department, currency=currency,
                    default=figure.default_period(timezone.localdate()))
    if name == "deadlines" and (filters.date_to - filters.date_from).days > MAX_DEADLINE_DAYS:
        raise Invalid(fields={"to": [gettext("Deadlines are shown for at most a year.")]})
    return filters


def plain(value):
    """Money as strings with two decimals, dates and times as ISO 8601, recursively (the API's JSON)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def compute(name: str, *, actor, filters: Filters) -> dict:
    """The figure's numbers (Decimals, dates) plus the filters it was computed with."""
    data = FIGURES[name].compute(actor=actor, filters=filters)
    department = filters.department
    return {**data, "currency": filters.currency,
            "period": {"from": filters.date_from, "to": filters.date_to},
            "department": {"id": department.pk, "name": department.name} if department is not None else None}
