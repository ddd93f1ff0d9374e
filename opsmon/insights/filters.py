"""The filters every figure takes: a period, a department (narrowing, never widening, the viewer's scope) and a
currency. One parser serves the API, the dashboard page and the Excel export, so they can never disagree."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import Department
from opsmon.codes.models import CodeItem
from opsmon.core.errors import Invalid

MAX_DAYS = 3660  # ten years: longer periods are a mistake, not a question
DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True)
class Filters:
    date_from: date
    date_to: date
    department: Department | None = None
    currency: str = DEFAULT_CURRENCY

    @property
    def start(self) -> datetime:
        """The first instant of the period, in the local time zone."""
        return timezone.make_aware(datetime.combine(self.date_from, time.min))

    @property
    def end(self) -> datetime:
        """The first instant after the period."""
        return timezone.make_aware(datetime.combine(self.date_to + timedelta(days=1), time.min))

    @property
    def department_path(self) -> str | None:
        return self.department.path if self.department is not None else None

    @cached_property
    def department_ids(self) -> list[int] | None:
        """The chosen department and those under it, as ids (None: no department chosen)."""
        if self.department is None:
            return None
        return list(Department.objects.filter(path__startswith=self.department.path).values_list("pk", flat=True))

    @cached_property
    def _scopes(self) -> dict:
        return {}

    def scopes(self, actor) -> dict:
        """Where the figures computed with these filters keep the viewer's scopes (summaries.read.Scope), so
        each module's scope is read once per Filters: one request, one figure; never across requests."""
        return self._scopes.setdefault(getattr(actor, "pk", None), {})

    def query(self) -> dict:
        """The filters as query-string parameters (links to the API, the export and the drill-down)."""
        out = {"from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "currency": self.currency}
        if self.department is not None:
            out["department"] = str(self.department.pk)
        return out


def this_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def _parse_date(value, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def parse(*, date_from=None, date_to=None, department=None, currency=None,
          default: tuple[date, date] | None = None) -> Filters:
    """Validated filters, or 422 naming each bad field. The period defaults to `default` (this year)."""
    errors: dict = {}
    start = _parse_date(date_from, "from", errors)
    end = _parse_date(date_to, "to", errors)
    default_from, default_to = default or this_year()
    start = start or (default_from if end is None or default_from <= end else end)
    end = end or (default_to if default_to >= start else start)
    if "from" not in errors and "to" not in errors:
        if end < start:
            errors["to"] = [_("The end of the period is before its start.")]
        elif (end - start).days > MAX_DAYS:
            errors["to"] = [_("The period is longer than ten years.")]
    dept = None
    if department not in (None, ""):
        try:
            dept = Department.objects.filter(pk=int(department)).first()
        except (TypeError, ValueError):
            dept = None
        if dept is None:
            errors["department"] = [_("No such department.")]
    code = (currency or DEFAULT_CURRENCY).strip().upper()
    if not CodeItem.objects.filter(table__name="currency", code=code).exists():
        errors["currency"] = [_("Unknown currency “%(code)s”.") % {"code": code}]
    if errors:
        raise Invalid(fields=errors)
    return Filters(date_from=start, date_to=end, department=dept, currency=code)
