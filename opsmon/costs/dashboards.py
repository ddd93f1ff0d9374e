"""The procurement dashboards (PROCUREMENT.md "dashboards"; API.md /insights/...), over the orders the viewer's
dashboards count (selectors.visible_orders). Amounts are tax incl. unless said otherwise; Decimals here, strings in
the API.

- spend: lines of orders signed in the period (dropped qty excluded) by category, supplier, project and month;
- savings: vs the highest valid quotation (lines of those orders that came of a sourcing: (highest valid unit price
  − order price) × qty; valid = valid_until on or after the award) and vs budget (projects of those orders with an
  approved budget: budget − cost of the project's orders `approved` or later, at line cost);
- on-time: order lines promised in the period (up to today): accepted in full by the promised date;
- scorecard: supplier evaluations made in the period: count, average score and its grade (A ≥ 85, B ≥ 70, C ≥ 50,
  else D), the latest grade;
- commitments (now): what orders `approved` or `signed` still expect (ordered − accepted), and the estimates of
  approved request lines not ordered yet;
- payables ageing (now): approved, unpaid payment requests by days past their due date;
- project costs (now): per project budget, committed (line cost), received, invoiced, paid, revenue excl. tax of
  its signed contracts and the margin revenue − committed.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.codes.selectors import label_map
from opsmon.core.errors import Invalid
from opsmon.evaluations.models import SupplierEvaluation
from opsmon.payments.choices import PaymentStatus
from opsmon.payments.models import PaymentRequest
from opsmon.procurement.choices import BudgetStatus
from opsmon.procurement.models import ProjectBudget, RequestLine
from opsmon.purchasing.models import OrderLine
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import ReceiptLine
from opsmon.sourcing.models import QuotationLine

from . import selectors
from .figures import (
    COMMITTED,
    OPEN,
    SIGNED,
    ZERO,
    accepted_qty,
    committed_value,
    cost,
    deductible_types,
    invoiced_lines,
    paid_per_order,
    q2,
    value_of,
)
from .margin import pct, project_revenue, unordered_estimates

MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    def query(self) -> dict:
        return {"from": self.date_from.isoformat(), "to": self.date_to.isoformat()}

    def echo(self) -> dict:
        return {"from": self.date_from, "to": self.date_to}


def this_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def _date(value, field: str, errors: dict) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def parse_period(date_from=None, date_to=None, *, today: date | None = None) -> Period:
    """The period (default: this year), or 422 naming the bad field."""
    errors: dict = {}
    start, end = _date(date_from, "from", errors), _date(date_to, "to", errors)
    if errors:
        raise Invalid(fields=errors)
    default_from, default_to = this_year(today)
    start = start or (default_from if end is None or default_from <= end else end)
    end = end or (default_to if default_to >= start else start)
    if end < start:
        raise Invalid(fields={"to": [_("The end of the period is before its start.")]})
    if (end - start).days > MAX_DAYS:
        raise Invalid(fields={"to": [_("The period is longer than ten years.")]})
    return Period(start, end)


def months(period: Period) -> list[str]:
    out, year, month = [], period.date_from.year, period.date_from.month
    while (year, month) <= (period.date_to.year, period.date_to.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def grade_of(score: Decimal | None) -> str:
    if score is None:
        return ""
    return "A" if score >= 85 else "B" if score >= 70 else "C" if score >= 50 else "D"


def _sorted(rows: dict, key="amount") -> list[dict]:
    return sorted(rows.values(), key=lambda r: (-r[key], str(r["label"])))


def _project_label(project) -> str:
    return f"{project.number} {project.title}" if project is not None else _("No project")


def _scoped_lines(actor, **order_filter):
    orders = selectors.visible_orders(actor).filter(**order_filter)
    return (OrderLine.objects.filter(order__in=orders.values("pk"))
            .select_related("order", "order__supplier", "order__project").order_by("order", "position", "id"))


# --- spend ------------------------------------------------------------------------------------------------------

def spend(*, actor, period: Period, today: date | None = None) -> dict:
    lines = _scoped_lines(actor, status__in=SIGNED, signed_on__gte=period.date_from, signed_on__lte=period.date_to)
    labels = label_map("supplier_category")
    groups = {name: {} for name in ("by_category", "by_supplier", "by_project")}
    by_month = {m: {"key": m, "label": m, "amount": ZERO, "orders": set()} for m in months(period)}
    total, orders = ZERO, set()
    for line in lines:
        order = line.order
        amount = committed_value(line)[0]
        total += amount
        orders.add(order.pk)
        keys = {"by_category": (line.category, labels.get(("supplier_category", line.category), line.category)),
                "by_supplier": (order.supplier_id, order.supplier.name),
                "by_project": (order.project_id, _project_label(order.project))}
        for name, (key, label) in keys.items():
            row = groups[name].setdefault(key, {"key": key, "label": label, "amount": ZERO, "orders": set()})
            row["amount"] += amount
            row["orders"].add(order.pk)
        month = by_month[f"{order.signed_on:%Y-%m}"]
        month["amount"] += amount
        month["orders"].add(order.pk)

    def counted(rows):
        return [{**r, "orders": len(r["orders"])} for r in rows]

    return {"total": total, "orders": len(orders),
            **{name: counted(_sorted(rows)) for name, rows in groups.items()},
            "by_month": counted(by_month.values())}


# --- savings ----------------------------------------------------------------------------------------------------

def approved_budgets(project_ids) -> dict[int, Decimal]:
    """Per project, the total of its approved budget version in force (the latest approved)."""
    out: dict[int, tuple[int, Decimal]] = {}
    for project_id, revision, total in ProjectBudget.objects.filter(
            project__in=list(project_ids), status=BudgetStatus.APPROVED).values_list("project", "revision", "total"):
        if project_id not in out or revision > out[project_id][0]:
            out[project_id] = (revision, total)
    return {k: v[1] for k, v in out.items()}


def _highest_valid_prices(sourcing_line_ids) -> dict[int, Decimal]:
    rows = (QuotationLine.objects.filter(sourcing_line__in=list(sourcing_line_ids))
            .values_list("sourcing_line", "unit_price", "quotation__valid_until",
                         "sourcing_line__sourcing__awarded_at"))
    out: dict[int, Decimal] = {}
    for sourcing_line, price, valid_until, awarded_at in rows:
        if awarded_at is not None and valid_until < timezone.localdate(awarded_at):
            continue
        if sourcing_line not in out or price > out[sourcing_line]:
            out[sourcing_line] = price
    return out


def savings(*, actor, period: Period, today: date | None = None) -> dict:
    lines = list(_scoped_lines(actor, status__in=SIGNED, signed_on__gte=period.date_from,
                               signed_on__lte=period.date_to))
    highest = _highest_valid_prices(line.sourcing_line_id for line in lines if line.sourcing_line_id)
    quoted = {"highest": ZERO, "awarded": ZERO, "lines": 0}
    by_supplier: dict = {}
    for line in lines:
        top = highest.get(line.sourcing_line_id)
        if top is None:
            continue
        qty = line.qty - line.dropped_qty
        high, awarded = q2(qty * top), committed_value(line)[0]
        quoted["highest"] += high
        quoted["awarded"] += awarded
        quoted["lines"] += 1
        row = by_supplier.setdefault(line.order.supplier_id, {"key": line.order.supplier_id,
                                                             "label": line.order.supplier.name,
                                                             "highest": ZERO, "awarded": ZERO})
        row["highest"] += high
        row["awarded"] += awarded
    for row in by_supplier.values():
        row["saving"] = row["highest"] - row["awarded"]
        row["rate"] = pct(row["saving"], row["highest"])
    saving = quoted["highest"] - quoted["awarded"]
    # vs budget: the projects of the period's orders that have an approved budget
    project_ids = {line.order.project_id for line in lines if line.order.project_id}
    budgets = approved_budgets(project_ids)
    ordered = _committed_cost(actor, set(budgets))
    projects = {p.pk: p for p in selectors.projects(budgets)}
    rows = [{"key": pk, "label": _project_label(projects[pk]), "budget": b, "ordered": ordered.get(pk, ZERO),
             "saving": b - ordered.get(pk, ZERO), "rate": pct(b - ordered.get(pk, ZERO), b)}
            for pk, b in budgets.items()]
    rows.sort(key=lambda r: str(r["label"]))
    budget_total = sum((r["budget"] for r in rows), ZERO)
    ordered_total = sum((r["ordered"] for r in rows), ZERO)
    return {
        "vs_quotation": {**quoted, "saving": saving, "rate": pct(saving, quoted["highest"]),
                         "by_supplier": sorted(by_supplier.values(), key=lambda r: (-r["saving"], r["label"]))},
        "vs_budget": {"budget": budget_total, "ordered": ordered_total, "saving": budget_total - ordered_total,
                      "rate": pct(budget_total - ordered_total, budget_total), "by_project": rows},
    }


def _committed_cost(actor, project_ids) -> dict[int, Decimal]:
    """Per project, the line cost of the viewer's orders `approved` or later (dropped qty excluded)."""
    deductible = deductible_types()
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for line in _scoped_lines(actor, status__in=COMMITTED, project__in=list(project_ids)):
        out[line.order.project_id] += cost(*committed_value(line), line.order.invoice_type in deductible)
    return dict(out)


# --- on time ----------------------------------------------------------------------------------------------------

def on_time(*, actor, period: Period, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    last = min(period.date_to, today)
    lines = [line for line in _scoped_lines(actor, status__in=COMMITTED).filter(
        promised_on__gte=period.date_from, promised_on__lte=last) if line.qty > line.dropped_qty]
    in_time = dict(ReceiptLine.objects.filter(
        order_line__in=[line.pk for line in lines], receipt__status=ReceiptStatus.ACCEPTED,
        receipt__accepted_on__lte=F("order_line__promised_on")).order_by().values("order_line")
        .annotate(s=Sum("accepted")).values_list("order_line", "s"))
    by_supplier: dict = {}
    due = met = 0
    for line in lines:
        ok = in_time.get(line.pk, Decimal(0)) >= line.qty - line.dropped_qty
        due += 1
        met += ok
        row = by_supplier.setdefault(line.order.supplier_id, {"key": line.order.supplier_id,
                                                             "label": line.order.supplier.name,
                                                             "due": 0, "on_time": 0})
        row["due"] += 1
        row["on_time"] += ok
    rows = []
    for row in by_supplier.values():
        rows.append({**row, "late": row["due"] - row["on_time"], "rate": pct(Decimal(row["on_time"]),
                                                                            Decimal(row["due"]))})
    rows.sort(key=lambda r: (r["rate"] if r["rate"] is not None else 101, r["label"]))
    return {"due": due, "on_time": met, "late": due - met, "rate": pct(Decimal(met), Decimal(due)),
            "by_supplier": rows}


# --- scorecards -------------------------------------------------------------------------------------------------

def _day_range(period: Period) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(period.date_from, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(period.date_to + timedelta(days=1), datetime.min.time()))
    return start, end


def scorecard(*, actor, period: Period, today: date | None = None) -> dict:
    start, end = _day_range(period)
    rows = (SupplierEvaluation.objects.filter(order__in=selectors.visible_orders(actor).values("pk"),
                                              created_at__gte=start, created_at__lt=end)
            .select_related("supplier").order_by("created_at", "id"))
    suppliers: dict = {}
    for e in rows:
        row = suppliers.setdefault(e.supplier_id, {"key": e.supplier_id, "label": e.supplier.name, "count": 0,
                                                   "sums": defaultdict(Decimal), "latest_grade": ""})
        row["count"] += 1
        for field in ("score", "quality", "on_time", "price", "service"):
            row["sums"][field] += getattr(e, field)
        row["latest_grade"] = e.grade
    out = []
    for row in suppliers.values():
        averages = {field: q2(total / row["count"]) for field, total in row.pop("sums").items()}
        out.append({**row, "average": averages["score"], "grade": grade_of(averages["score"]),
                    "quality": averages["quality"], "on_time": averages["on_time"], "price": averages["price"],
                    "service": averages["service"]})
    out.sort(key=lambda r: (-r["average"], r["label"]))
    return {"evaluations": sum(r["count"] for r in out), "suppliers": out}


# --- open commitments -------------------------------------------------------------------------------------------

def commitments(*, actor, period: Period | None = None, today: date | None = None) -> dict:
    lines = list(_scoped_lines(actor, status__in=OPEN))
    accepted = accepted_qty(line.pk for line in lines)
    by_supplier: dict = {}
    by_project: dict = {}
    total, orders = ZERO, set()
    for line in lines:
        open_qty = line.qty - line.dropped_qty - accepted.get(line.pk, Decimal(0))
        if open_qty <= 0:
            continue
        amount = value_of(open_qty, line.unit_price, line.tax_rate)[0]
        order = line.order
        total += amount
        orders.add(order.pk)
        for rows, key, label in ((by_supplier, order.supplier_id, order.supplier.name),
                                 (by_project, order.project_id, _project_label(order.project))):
            row = rows.setdefault(key, {"key": key, "label": label, "amount": ZERO, "orders": set()})
            row["amount"] += amount
            row["orders"].add(order.pk)
    estimates = unordered_estimates(RequestLine.objects.filter(
        request__in=selectors.visible_requests(actor).values("pk")))

    def counted(rows):
        return [{**r, "orders": len(r["orders"])} for r in _sorted(rows)]

    return {"open_orders": total, "orders": len(orders), "requests_estimate": estimates,
            "total": total + estimates, "by_supplier": counted(by_supplier), "by_project": counted(by_project)}


# --- payables ageing --------------------------------------------------------------------------------------------

BUCKETS = [("not_due", None), ("0-30", 30), ("31-90", 90), ("91-180", 180), ("180+", None)]


def bucket_labels() -> dict[str, str]:
    return {"not_due": _("Not due yet"), "0-30": _("1–30 days overdue"), "31-90": _("31–90 days overdue"),
            "91-180": _("91–180 days overdue"), "180+": _("More than 180 days overdue")}


def bucket_of(days_overdue: int) -> str:
    if days_overdue <= 0:
        return "not_due"
    if days_overdue <= 30:
        return "0-30"
    if days_overdue <= 90:
        return "31-90"
    if days_overdue <= 180:
        return "91-180"
    return "180+"


def payables_ageing(*, actor, period: Period | None = None, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    labels = bucket_labels()
    buckets = {key: {"bucket": key, "label": labels[key], "count": 0, "amount": ZERO} for key, _limit in BUCKETS}
    requests = (PaymentRequest.objects.filter(order__in=selectors.visible_orders(actor).values("pk"),
                                              status=PaymentStatus.APPROVED)
                .select_related("order__supplier"))
    due_soon = {"count": 0, "amount": ZERO}
    sme_overdue = {"count": 0, "amount": ZERO}
    for r in requests:
        days = (today - r.due_on).days if r.due_on else 0
        bucket = buckets[bucket_of(days)]
        bucket["count"] += 1
        bucket["amount"] += r.amount
        if r.due_on and 0 <= (r.due_on - today).days <= 7:
            due_soon["count"] += 1
            due_soon["amount"] += r.amount
        if days > 0 and r.order.supplier.is_sme:
            sme_overdue["count"] += 1
            sme_overdue["amount"] += r.amount
    rows = list(buckets.values())
    overdue = [b for b in rows if b["bucket"] != "not_due"]
    return {"buckets": rows, "total": sum((b["amount"] for b in rows), ZERO),
            "overdue_count": sum(b["count"] for b in overdue),
            "overdue_amount": sum((b["amount"] for b in overdue), ZERO),
            "due_soon": due_soon, "sme_overdue": sme_overdue, "as_of": today}


# --- project costs and margin -----------------------------------------------------------------------------------

def project_costs(*, actor, period: Period | None = None, today: date | None = None) -> dict:
    ids = selectors.visible_project_ids(actor)
    deductible = deductible_types()
    zero = {"committed": ZERO, "received": ZERO, "invoiced": ZERO, "paid": ZERO}
    figures: dict[int, dict] = {pk: dict(zero) for pk in ids}
    scope = selectors.visible_orders(actor).filter(project__in=list(ids)).exclude(status="cancelled")
    lines = list(OrderLine.objects.filter(order__in=scope.values("pk")).select_related("order"))
    accepted = accepted_qty(line.pk for line in lines)
    invoiced = invoiced_lines(line.pk for line in lines)
    for line in lines:
        row = figures[line.order.project_id]
        if line.order.status in COMMITTED:
            row["committed"] += cost(*committed_value(line), line.order.invoice_type in deductible)
        if line.pk in accepted:
            row["received"] += value_of(accepted[line.pk], line.unit_price, line.tax_rate)[0]
        if line.pk in invoiced:
            row["invoiced"] += invoiced[line.pk]["incl"]
    project_of = dict(scope.values_list("pk", "project"))
    for order_id, paid in paid_per_order(PaymentRequest.objects.filter(order__in=scope.values("pk"))).items():
        figures[project_of[order_id]]["paid"] += paid
    requests = selectors.visible_requests(actor)
    for pk in ids:
        figures[pk]["committed"] += unordered_estimates(RequestLine.objects.filter(
            request__in=requests.filter(project=pk).values("pk")))
    budgets = approved_budgets(ids)
    revenue = project_revenue(ids)
    rows = []
    for project in selectors.projects(ids).order_by("number"):
        f = figures[project.pk]
        income = revenue.get(project.pk)
        margin = income - f["committed"] if income is not None else None
        rows.append({"key": project.pk, "label": _project_label(project), "budget": budgets.get(project.pk),
                     **f, "revenue_excl": income, "margin": margin,
                     "margin_pct": pct(margin, income) if income else None,
                     "over_budget": budgets.get(project.pk) is not None and f["committed"] > budgets[project.pk]})
    totals = {k: sum((r[k] for r in rows), ZERO) for k in ("committed", "received", "invoiced", "paid")}
    return {"projects": rows, "totals": totals}


FIGURES = {
    "spend": spend, "savings": savings, "on-time": on_time, "scorecard": scorecard,
    "commitments": commitments, "payables-ageing": payables_ageing, "project-costs": project_costs,
}


def compute(name: str, *, actor, period: Period, today: date | None = None) -> dict:
    """One figure for the viewer (403 for who sees no dashboard), with the period it was asked for."""
    selectors.require_dashboards(actor)
    return {**FIGURES[name](actor=actor, period=period, today=today), "period": period.echo()}


def plain(value):
    """Money as strings with two decimals, dates ISO 8601, recursively (the API's JSON)."""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
