"""The everyday dashboards of issue 20: the funnel as a cohort, the market development trend (发展动态), rep
activity and the one-page management view. Same shape as queries.py: each figure takes the viewer and the filters,
counts only what scope.py lets him see, and every number it shows has a queryset (`records`) that selects exactly
the records it counts, which the drill-down page lists.

Cohort vs period: queries.funnel counts what *happened* in the period (events, each stage by its own date, so a
later stage may exceed an earlier one). The cohort follows the opportunities *created* in the period and counts
how far each got (project, bid, won, signed contract): a stage counts those that reached it or any later stage,
so it never exceeds the one before it nor 100 %."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.bids.choices import BidStatus
from opsmon.bids.models import Bid, OpeningEntry
from opsmon.codes.selectors import items as code_items
from opsmon.codes.selectors import label_map
from opsmon.contracts.models import Contract
from opsmon.core.sums import cents, money, money_sum
from opsmon.opportunities.choices import EDITABLE, Outcome
from opsmon.opportunities.models import FollowUp
from opsmon.projects.models import Project
from opsmon.summaries import facts
from opsmon.summaries.facts import REACH

from . import queries, scope
from . import receivables as receivables_figure
from .figures import next_twelve_months
from .filters import Filters
from .queries import _in_department, _user_labels, months_between, rate, year_before

COHORT_STAGES = {
    "created": _("Created in the period"),
    "converted": _("Converted to a project"),
    "bid": _("Went to bid"),
    "won": _("Won"),
    "signed": _("Contract signed"),
}
# The trend's measures: (label, funnel stage whose records it counts, the date it goes by, the amount summed).
TREND = {
    "opportunities": (_("New opportunities"), "created_at", "estimated_amount"),
    "projects": (_("Conversions"), "created_at", "estimated_amount"),
    "bids": (_("Bids"), "created_at", "estimated_price"),
    "won": (_("Wins"), "result_known_on", None),
    "contracts": (_("Contract value"), "signed_on", "amount"),
}
# Where each measure's records keep the industry and region of their sale.
DIMENSION_FIELD = {
    "industry": {"opportunities": "industry", "projects": "opportunity__industry", "bids": "opportunity__industry",
                 "won": "opportunity__industry", "contracts": "opportunity__industry"},
    "region": {"opportunities": "region", "projects": "opportunity__region", "bids": "opportunity__region",
               "won": "opportunity__region", "contracts": "opportunity__region"},
}
DIMENSIONS = {"industry": _("Industry"), "region": _("Region")}
STALE_DAYS = 30
TOP_CUSTOMERS = 10
NONE_KEY = "-"  # the key of records without an industry / region in links


# --- cohort -----------------------------------------------------------------------------------------------

def cohort_querysets(*, actor, filters: Filters) -> dict:
    """{stage: the opportunities created in the period that got at least that far}."""
    created = queries.funnel_querysets(actor=actor, filters=filters)["opportunities"]
    signed = Exists(Contract.objects.filter(opportunity=OuterRef("pk"), signed_on__isnull=False))
    won = Q(Exists(Bid.objects.filter(opportunity=OuterRef("pk"), status=BidStatus.WON))) | Q(outcome=Outcome.WON)
    bid = Q(Exists(Bid.objects.filter(opportunity=OuterRef("pk"))))
    project = Q(Exists(Project.objects.filter(opportunity=OuterRef("pk"))))
    return {"created": created,
            "converted": created.filter(project | bid | won | Q(signed)),
            "bid": created.filter(bid | won | Q(signed)),
            "won": created.filter(won | Q(signed)),
            "signed": created.filter(signed)}


def cohort(*, actor, filters: Filters) -> dict:
    """How far the period's new opportunities got: count and estimated amount per stage, the share of the
    cohort (≤ 100 %) and of the stage before. Read from the summaries, where each opportunity is counted at the
    furthest stage it reached (the records of cohort_querysets)."""
    reached = {key[0]: m for key, m in queries.summed("opp", actor=actor, filters=filters, by=("k2",)).items()}
    stages, first, previous = [], None, None
    for i, stage in enumerate(COHORT_STAGES):
        further = [reached.get(s, facts.ZERO) for s in REACH[i:]]
        count, amount = sum(m[0] for m in further), sum(m[3] for m in further)
        first = count if first is None else first
        stages.append({"stage": stage, "label": str(COHORT_STAGES[stage]), "count": count,
                       "amount": Decimal(amount).scaleb(-2), "rate_from_start": rate(count, first),
                       "rate": rate(count, previous) if previous is not None else None,
                       "width": int(count * 100 / first) if first else 0})
        previous = count
    return {"currency": filters.currency, "stages": stages}


# --- market development trend --------------------------------------------------------------------------

def trend_querysets(*, actor, filters: Filters) -> dict:
    """{measure: its records in the period}: the funnel's period querysets (the same records as its stages)."""
    return queries.funnel_querysets(actor=actor, filters=filters)


def narrowed(queryset, measure: str, *, dimension: str = "", key: str = ""):
    """The measure's records of one industry or region (key NONE_KEY: those without one)."""
    if dimension not in DIMENSION_FIELD:
        return queryset
    field = DIMENSION_FIELD[dimension][measure]
    return queryset.filter(**{field: "" if key == NONE_KEY else key})


def _measure_rows(queryset, measure: str, group):
    """[(group value, count, amount)] of one measure's records."""
    _label, _date, amount = TREND[measure]
    if measure == "won":  # our price at the opening, as the funnel counts it
        queryset = queryset.annotate(our_price=Subquery(OpeningEntry.objects.filter(
            opening__bid=OuterRef("pk"), is_us=True).values("price")[:1]))
        amount = "our_price"
    group = F(group) if isinstance(group, str) else group
    rows = queryset.order_by().values(g=group).annotate(n=Count("*"), total=money_sum(amount))
    return [(r["g"], r["n"], money(r["total"])) for r in rows]


def _shifted(filters: Filters) -> Filters:
    return Filters(date_from=year_before(filters.date_from), date_to=year_before(filters.date_to),
                   department=filters.department, currency=filters.currency)


def _by_month(*, actor, filters: Filters) -> dict:
    tz = timezone.get_current_timezone()
    out = {}
    for measure, queryset in trend_querysets(actor=actor, filters=filters).items():
        field = TREND[measure][1]
        group = TruncMonth(field, tzinfo=tz) if field == "created_at" else TruncMonth(field)
        months: dict = {}
        for month, n, amount in _measure_rows(queryset, measure, group):
            key = month.strftime("%Y-%m")
            count, total = months.get(key, (0, Decimal("0.00")))
            months[key] = (count + n, total + amount)
        out[measure] = months
    return out


def change(now, before) -> float | None:
    """Year-on-year change in per cent, one decimal; None when there was nothing a year earlier."""
    return queries._change(Decimal(now), Decimal(before))


def trend(*, actor, filters: Filters, dimension: str = "industry") -> dict:
    """Per month of the period and per industry (or region): new opportunities, conversions, bids, wins and
    contract value, each beside the same months a year earlier with the change in per cent; the top customers
    by contract value signed in the period; competitors' wins and price ratios from the opening records."""
    earlier = _shifted(filters)
    this, last = _by_month(actor=actor, filters=filters), _by_month(actor=actor, filters=earlier)
    months = []
    for month, previous in zip(months_between(filters.date_from, filters.date_to),
                               months_between(earlier.date_from, earlier.date_to), strict=False):
        row = {"month": month, "last_month": previous, "measures": {}}
        for measure in TREND:
            count, amount = this[measure].get(month, (0, Decimal("0.00")))
            last_count, last_amount = last[measure].get(previous, (0, Decimal("0.00")))
            row["measures"][measure] = {"count": count, "amount": amount, "last_count": last_count,
                                        "last_amount": last_amount, "change": change(count, last_count),
                                        "amount_change": change(amount, last_amount)}
        months.append(row)
    totals = {}
    for measure in TREND:
        count = sum(m["measures"][measure]["count"] for m in months)
        last_count = sum(m["measures"][measure]["last_count"] for m in months)
        amount = sum((m["measures"][measure]["amount"] for m in months), Decimal("0.00"))
        last_amount = sum((m["measures"][measure]["last_amount"] for m in months), Decimal("0.00"))
        totals[measure] = {"count": count, "amount": amount, "last_count": last_count, "last_amount": last_amount,
                           "change": change(count, last_count), "amount_change": change(amount, last_amount)}
    return {"currency": filters.currency, "months": months, "total": totals,
            "measures": {k: str(v[0]) for k, v in TREND.items()},
            "dimension": dimension, "by_dimension": by_dimension(actor=actor, filters=filters, dimension=dimension),
            "customers": top_customers(actor=actor, filters=filters),
            "competitors": competitors(actor=actor, filters=filters)}


def by_dimension(*, actor, filters: Filters, dimension: str) -> list[dict]:
    """Each measure per industry (or region) in the period, beside the same period a year earlier."""
    fields = DIMENSION_FIELD[dimension]
    found: dict = {}
    for when, f in (("now", filters), ("before", _shifted(filters))):
        for measure, queryset in trend_querysets(actor=actor, filters=f).items():
            for key, n, amount in _measure_rows(queryset, measure, fields[measure]):
                cell = found.setdefault(key or "", {}).setdefault(measure, {"count": 0, "amount": Decimal("0.00"),
                                                                            "last_count": 0,
                                                                            "last_amount": Decimal("0.00")})
                if when == "now":
                    cell["count"] += n
                    cell["amount"] += amount
                else:
                    cell["last_count"] += n
                    cell["last_amount"] += amount
    labels = label_map(dimension)
    empty = {"count": 0, "amount": Decimal("0.00"), "last_count": 0, "last_amount": Decimal("0.00")}
    rows = []
    for key, measures in found.items():
        cells = {m: {**empty, **measures.get(m, {})} for m in TREND}
        for cell in cells.values():
            cell["change"] = change(cell["count"], cell["last_count"])
            cell["amount_change"] = change(cell["amount"], cell["last_amount"])
        rows.append({"key": key or NONE_KEY, "label": labels.get((dimension, key), key) or str(_("(none)")),
                     "measures": cells})
    rows.sort(key=lambda r: (-r["measures"]["contracts"]["amount"], -r["measures"]["opportunities"]["count"],
                             r["key"]))
    return rows


def top_customers(*, actor, filters: Filters) -> list[dict]:
    """The customers with the most contract value signed in the period (of the contracts the viewer sees)."""
    signed = trend_querysets(actor=actor, filters=filters)["contracts"]
    rows = (signed.order_by().values("customer", "customer__name")
            .annotate(n=Count("*"), total=money_sum("amount")))
    out = [{"id": r["customer"], "name": r["customer__name"], "count": r["n"], "amount": money(r["total"])}
           for r in rows]
    out.sort(key=lambda r: (-r["amount"], r["name"]))
    return out[:TOP_CUSTOMERS]


def competitors(*, actor, filters: Filters) -> list[dict]:
    """Each other bidder in the openings of the bids decided in the period: how often they won, and our total
    price against theirs (price ratio, per cent: 95.0 = we were 5 % cheaper)."""
    out = []
    for c in queries.competitors(actor=actor, filters=filters):
        ratio = None if c["gap_pct"] is None else round(100 + c["gap_pct"], 1)
        out.append({**c, "price_ratio": ratio})
    out.sort(key=lambda c: (-c["they_won"], -c["met"], c["bidder"]))
    return out


# --- rep activity -------------------------------------------------------------------------------------------

def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def follow_ups(*, actor, filters: Filters):
    """Follow-ups logged in the period on the opportunities the viewer sees (department filter: the
    opportunity's)."""
    visible = _in_department(scope.opportunities(actor), filters)
    return FollowUp.objects.filter(opportunity__in=visible.values("pk"), happened_on__gte=filters.date_from,
                                   happened_on__lte=filters.date_to)


def stale(*, actor, filters: Filters, today: date | None = None):
    """Open opportunities (tracking, conversion requested) with no follow-up in the last 30 days and created
    more than 30 days ago, that the viewer sees."""
    since = (today or timezone.localdate()) - timedelta(days=STALE_DAYS)
    recent = FollowUp.objects.filter(opportunity=OuterRef("pk"), happened_on__gt=since)
    return _in_department(scope.opportunities(actor), filters).filter(
        status__in=list(EDITABLE), created_at__lt=Filters(date_from=since, date_to=since).end).exclude(
        Exists(recent))


def rep_activity(*, actor, filters: Filters, today: date | None = None) -> dict:
    """Follow-ups per rep (their author) per week of the period, and per rep the open opportunities left
    without a follow-up for 30 days (with the date of the last one)."""
    weeks, day = [], week_start(filters.date_from)
    while day <= filters.date_to:
        weeks.append(day)
        day += timedelta(days=7)
    counts: dict = {}
    for author, happened_on, n in (follow_ups(actor=actor, filters=filters).order_by()
                                   .values_list("author", "happened_on").annotate(n=Count("*"))):
        per_week = counts.setdefault(author, {})
        per_week[week_start(happened_on)] = per_week.get(week_start(happened_on), 0) + n
    idle = stale(actor=actor, filters=filters, today=today)
    stale_by_owner = dict(idle.order_by().values_list("owner").annotate(n=Count("*")))
    names = _user_labels(set(counts) | set(stale_by_owner))
    reps = []
    for pk in set(counts) | set(stale_by_owner):
        per_week = counts.get(pk, {})
        reps.append({"id": pk, "name": names.get(pk, str(pk)), "weeks": [per_week.get(w, 0) for w in weeks],
                     "total": sum(per_week.values()), "stale": stale_by_owner.get(pk, 0)})
    reps.sort(key=lambda r: (-r["total"], -r["stale"], r["name"]))
    oldest = list(idle.annotate(last=Max("follow_ups__happened_on")).select_related("owner", "customer")
                  .order_by(F("last").asc(nulls_first=True), "created_at", "id")[:20])
    return {"weeks": weeks, "reps": reps, "stale_count": sum(stale_by_owner.values()), "stale": oldest,
            "stale_days": STALE_DAYS}


# --- the management view ------------------------------------------------------------------------------------

RISK_DAYS = 14  # deadlines this close are a risk


def open_opportunities(*, actor, filters: Filters):
    """The open opportunities (tracking, conversion requested) the viewer sees, in the currency and
    department of the filters (the period does not apply: the pipeline is as of today)."""
    return _in_department(scope.opportunities(actor), filters).filter(status__in=list(EDITABLE),
                                                                     currency=filters.currency)


def pipeline_by_stage(actor, *, filters: Filters | None = None) -> dict:
    """Open pipeline by stage now: count, amount, amount weighted by win probability (also for the home page:
    `pipeline_by_stage(viewer)`)."""
    filters = filters or Filters(date_from=timezone.localdate(), date_to=timezone.localdate())
    # the records of open_opportunities, from the summaries: every expected close date
    rows = {key[0]: m for key, m in queries.summed("pipeline", actor=actor, filters=filters, first=None, last=None,
                                                    by=("k1",)).items() if m[0]}
    labels = {s.code: s.label for s in code_items(table="opportunity_stage", include_inactive=True)}
    order = [c for c in labels if c in rows] + sorted(set(rows) - set(labels))
    stages = [{"stage": c, "label": labels.get(c, c), "count": rows[c][0], "amount": Decimal(rows[c][3]).scaleb(-2),
               "weighted": cents(Decimal(rows[c][4]).scaleb(-4))} for c in order]
    return {"currency": filters.currency, "stages": stages, "count": sum(s["count"] for s in stages),
            "amount": sum((s["amount"] for s in stages), Decimal("0.00")),
            "weighted": sum((s["weighted"] for s in stages), Decimal("0.00"))}


def last_twelve_months(today: date) -> tuple[date, date]:
    """This month and the eleven before it."""
    back = today.year * 12 + today.month - 1 - 11
    return date(back // 12, back % 12 + 1, 1), today


def win_rate_trend(*, actor, filters: Filters) -> list[dict]:
    """Per month of the period: bids won and lost (by the day the result became known) and the win rate."""
    found: dict = {}
    for (month, status), m in queries.summed("decided", actor=actor, filters=filters, by=("month", "k1")).items():
        key = month.strftime("%Y-%m")
        w, l_ = found.get(key, (0, 0))
        found[key] = (w + (m[0] if status == BidStatus.WON else 0), l_ + (m[0] if status == BidStatus.LOST else 0))
    out = []
    for month in months_between(filters.date_from, filters.date_to):
        won, lost = found.get(month, (0, 0))
        out.append({"month": month, "won": won, "lost": lost, "win_rate": rate(won, won + lost)})
    return out


def management(*, actor, filters: Filters, today: date | None = None) -> dict:
    """The one-page management view: pipeline by stage, the weighted forecast by month (this month and the
    eleven after it), the win rate over the last twelve months, receivables when there are any, and the top
    risks: overdue bond refunds and deadlines in the next 14 days. The department and currency of `filters`
    apply; each part has its own period."""
    today = today or timezone.localdate()

    def within(first: date, last: date) -> Filters:
        return Filters(date_from=first, date_to=last, department=filters.department, currency=filters.currency)

    forecast = queries.pipeline(actor=actor, filters=within(*next_twelve_months(today)))
    receivables = receivables_figure.ageing(actor=actor, filters=within(*next_twelve_months(today)), today=today)
    bonds = queries.bonds(actor=actor, filters=filters, today=today)["overdue"]
    soon = queries.deadlines(actor=actor, filters=within(today, today + timedelta(days=RISK_DAYS)))
    return {"currency": filters.currency, "today": today,
            "pipeline": pipeline_by_stage(actor, filters=filters),
            "forecast": forecast["months"], "forecast_total": forecast["total"],
            "win_rates": win_rate_trend(actor=actor, filters=within(*last_twelve_months(today))),
            "receivables": receivables if receivables["outstanding_amount"] or receivables["overdue_count"]
            else None,
            "overdue_bonds": bonds, "deadlines": soon["items"][:10], "deadline_count": sum(soon["counts"].values()),
            "risk_days": RISK_DAYS}
