"""The figures of the decision-support dashboards (辅助决策), one function per figure.

Each takes the viewer and the filters, counts only what the module selectors let him see (scope.py), and
aggregates in the database: a handful of queries whatever the number of records. Amounts are exact Decimals
(sums.py); rates are percentages with one decimal, None when there is nothing to divide by.

Periods: the funnel counts what happened in the period — opportunities and projects created, bids registered,
bids won (result known) and contracts signed in it; win rates count bids whose result became known in the
period; the pipeline counts open opportunities expected to close in it; signed contracts compare the period's
months with the same months a year earlier. Bond exposure is as of today; deadlines look at the period as a
window (the API's default is the next 30 days).
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.accounts.models import Department, User
from opsmon.bids.choices import VOIDED, BidStatus, BondKind, BondStatus
from opsmon.bids.models import Bond
from opsmon.bids.selectors import REFUND_DAYS, refund_due_on
from opsmon.codes.selectors import items as code_items
from opsmon.codes.selectors import label_map
from opsmon.contracts.choices import ContractStatus
from opsmon.core.sums import cents
from opsmon.opportunities.choices import Outcome
from opsmon.summaries import read as summaries

from . import scope
from .filters import Filters

FUNNEL_STAGES = {
    "opportunities": gettext_lazy("Opportunities"),
    "projects": gettext_lazy("Converted projects"),
    "bids": gettext_lazy("Bids"),
    "won": gettext_lazy("Won"),
    "contracts": gettext_lazy("Signed contracts"),
}
WIN_DIMENSIONS = {
    "department": gettext_lazy("Department"),
    "owner": gettext_lazy("Sales rep"),
    "industry": gettext_lazy("Industry"),
    "tender_method": gettext_lazy("Tender method"),
}
AGE_BUCKETS = ((1, 30), (31, 90), (91, 180), (181, None))  # days overdue
DEADLINE_KINDS = {
    "bid_deadline": gettext_lazy("Bid submission deadline"),
    "bid_opening": gettext_lazy("Bid opening"),
    "contract_end": gettext_lazy("Contract ends"),
}
COMPETITORS_SHOWN = 20
OLDEST_SHOWN = 20
DEADLINE_ITEMS_SHOWN = 100


# Counts are COUNT(*) (no aggregate here joins a to-many relation): PostgreSQL can then answer from an index alone.


def rate(part: int, whole: int) -> float | None:
    """`part` of `whole` in per cent, one decimal (half up), None when `whole` is 0."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _in_department(queryset, filters: Filters, field: str = "department"):
    if filters.department is None:
        return queryset
    return queryset.filter(**{f"{field}__in": filters.department_ids})


def _user_labels(pks) -> dict:
    return {pk: display or username
            for pk, display, username in User.objects.filter(pk__in=pks).values_list("pk", "display_name",
                                                                                       "username")}


def _department_labels(pks) -> dict:
    return dict(Department.objects.filter(pk__in=pks).values_list("pk", "name"))


# --- funnel ---------------------------------------------------------------------------------------

def funnel_querysets(*, actor, filters: Filters) -> dict:
    """{stage: the records it counts}: what happened in the period, each stage by its own date, department and
    currency. The drill-down lists use exactly these, so a stage's list always has the stage's count."""
    created = {"created_at__gte": filters.start, "created_at__lt": filters.end, "currency": filters.currency}
    dated = {"gte": filters.date_from, "lte": filters.date_to}
    return {
        "opportunities": _in_department(scope.opportunities(actor).filter(**created), filters),
        "projects": _in_department(scope.projects(actor).filter(**created), filters),
        "bids": _in_department(scope.bids(actor).filter(**created), filters),
        "won": _in_department(scope.bids(actor).filter(
            status=BidStatus.WON, currency=filters.currency,
            **{f"result_known_on__{k}": v for k, v in dated.items()}), filters),
        "contracts": _in_department(scope.contracts(actor).filter(
            currency=filters.currency, **{f"signed_on__{k}": v for k, v in dated.items()}), filters),
    }


PERIOD = object()  # the filters' period


def summed(figure: str, *, actor, filters: Filters, first=PERIOD, last=PERIOD, by=("k1",), match=None):
    """The summary rows of `figure` (opsmon.summaries) over the viewer's scope and the filters' currency and
    department; the period [first, last] (None: open on that side) defaults to the filters'. The viewer's
    scopes are worked out once per Filters object (one figure, one request)."""
    return summaries.sums(figure, actor=actor, currency=filters.currency, departments=filters.department_ids,
                          first=filters.date_from if first is PERIOD else first,
                          last=filters.date_to if last is PERIOD else last, by=by, match=match,
                          scopes=filters.scopes(actor))


def _amount(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def funnel(*, actor, filters: Filters) -> dict:
    """Counts and amounts of each stage in the period, with the stage-to-stage and overall rates.
    Opportunities and projects count by creation, bids by registration, won bids by the day the result became
    known, contracts by signing; amounts are the estimate, the tender's estimated price, our price at the
    opening and the contract amount. A rate compares the period's counts (not one cohort followed through).
    Read from the summaries (opsmon.summaries), which count exactly the records of funnel_querysets."""
    figures = {}
    for stage, figure in (("opportunities", "opp"), ("projects", "project"), ("bids", "bid"), ("won", "won"),
                          ("contracts", "contract")):
        rows = summed(figure, actor=actor, filters=filters)  # by outcome; "won" counts our opening rows (n2)
        count = sum(m[1 if stage == "won" else 0] for m in rows.values())
        by_outcome = {k[0]: m[0] for k, m in rows.items()}
        figures[stage] = (count, _amount(sum(m[3] for m in rows.values())), by_outcome.get("", 0),
                          by_outcome.get(Outcome.LOST, 0))
    stages, previous, first = [], None, figures["opportunities"][0]
    for stage, (count, amount, still_open, lost) in figures.items():
        stages.append({"stage": stage, "label": str(FUNNEL_STAGES[stage]), "count": count, "amount": amount,
                       "rate": rate(count, previous) if previous is not None else None,
                       "rate_from_start": rate(count, first), "open": still_open, "lost": lost})
        previous = count
    return {"currency": filters.currency, "stages": stages}


def sale_outcomes(*, actor, filters: Filters) -> dict:
    """The opportunities created in the period (the funnel's first stage) by how their sale ended: won, lost (a
    lost bid, a project closed, rejected or cancelled), still open; win rate = won / (won + lost)."""
    rows = {k[0]: m[0] for k, m in summed("opp", actor=actor, filters=filters).items()}
    row = {"won": rows.get(Outcome.WON, 0), "lost": rows.get(Outcome.LOST, 0), "open": rows.get("", 0)}
    return {**row, "win_rate": rate(row["won"], row["won"] + row["lost"])}


# --- win rates ------------------------------------------------------------------------------------

def decided_bids(*, actor, filters: Filters):
    """Finished bids (won, lost, abandoned) whose result became known in the period."""
    return _in_department(scope.bids(actor).filter(
        status__in=[BidStatus.WON, BidStatus.LOST, BidStatus.ABANDONED], currency=filters.currency,
        result_known_on__gte=filters.date_from, result_known_on__lte=filters.date_to), filters)


def _outcome(row: dict) -> dict:
    won, lost, abandoned = row["won"], row["lost"], row["abandoned"]
    return {"won": won, "lost": lost, "abandoned": abandoned, "finished": won + lost + abandoned,
            "win_rate": rate(won, won + lost)}


def win_rate(*, actor, filters: Filters) -> dict:
    """Win rate = won / (won + lost) of the bids decided in the period (abandoned ones are shown, not rated),
    by department, sales rep, industry and tender method; against each competitor named in the openings; and of
    the sales themselves: the period's opportunities by their outcome (sale_outcomes). Read from the summaries:
    the records of decided_bids."""
    totals = _outcomes_by_dimension(actor=actor, filters=filters)
    codes = label_map("industry", "tender_method")
    dimensions = {}
    for name, found in totals.items():
        if name == "department":
            labels = _department_labels(found)
        elif name == "owner":
            labels = _user_labels(found)
        else:
            labels = {k: codes.get((name, k), k) for k in found}
        ordered = sorted(found.items(), key=lambda kv: (-sum(kv[1].values()), kv[0] or ""))  # ties: by code
        dimensions[name] = [{"key": str(key or ""), "label": labels.get(key) or str(_("(none)")), **_outcome(counts)}
                            for key, counts in ordered]
    total = _outcome({k: sum(c[k] for c in totals["department"].values()) for k in ("won", "lost", "abandoned")})
    return {"currency": filters.currency, "total": total, "dimensions": dimensions,
            "opportunities": sale_outcomes(actor=actor, filters=filters),
            "dimension_labels": {k: str(v) for k, v in WIN_DIMENSIONS.items()},
            "competitors": competitors(actor=actor, filters=filters)}


_STATUS_KEY = {BidStatus.WON: "won", BidStatus.LOST: "lost", BidStatus.ABANDONED: "abandoned"}


def _outcomes_by_dimension(*, actor, filters: Filters) -> dict[str, dict]:
    """{dimension: {key: {won, lost, abandoned}}} of the bids decided in the period."""
    totals: dict = {name: {} for name in WIN_DIMENSIONS}

    def count(name, key, status, n):
        counts = totals[name].setdefault(key, {"won": 0, "lost": 0, "abandoned": 0})
        counts[_STATUS_KEY[status]] += n

    for name, column in (("department", "department"), ("industry", "k2"), ("tender_method", "k3")):
        # one grouping per dimension in the database: a few hundred rows back, not every combination
        for (key, status), m in summed("decided", actor=actor, filters=filters, by=(column, "k1")).items():
            count(name, key, status, m[0])
    for (status, owner), m in summed("decided_owner", actor=actor, filters=filters, by=("k1", "k2")).items():
        count("owner", int(owner), status, m[0])
    return totals


def competitors(*, actor, filters: Filters) -> list[dict]:
    """For each other bidder in the openings of the bids won or lost in the period: how often we met, ranked
    above them, they won; and the price gap (our price − theirs), on average and relative to their average
    price. The most met first (COMPETITORS_SHOWN of them)."""
    found = summed("competitor", actor=actor, filters=filters)
    top = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0][0]))[:COMPETITORS_SHOWN]
    out = []
    for (bidder,), (met, beaten, they_won, ours, theirs) in top:
        ours, theirs = _amount(ours), _amount(theirs)
        gap = ((ours - theirs) / met).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        gap_pct = float(((ours - theirs) * 100 / theirs).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)) \
            if theirs else None
        out.append({"bidder": bidder, "met": met, "beaten": beaten, "beat_rate": rate(beaten, met),
                    "they_won": they_won, "average_gap": gap, "gap_pct": gap_pct})
    return out


# --- pipeline -------------------------------------------------------------------------------------

def months_between(first: date, last: date) -> list[str]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def pipeline(*, actor, filters: Filters) -> dict:
    """Open amount and amount weighted by win probability, by expected close month and stage: the open
    opportunities (tracking, conversion requested) expected to close in the period (summaries fact "pipeline")."""
    rows = summed("pipeline", actor=actor, filters=filters, by=("month", "k1"))
    stage_labels = {s.code: s.label for s in code_items(table="opportunity_stage", include_inactive=True)}
    months = {m: {"month": m, "count": 0, "amount": Decimal("0.00"), "weighted": Decimal("0"), "stages": {}}
              for m in months_between(filters.date_from, filters.date_to)}
    seen = set()
    for (month_start, stage), (count, _n2, _n3, amount, weighted) in rows.items():
        month = months[month_start.strftime("%Y-%m")]
        month["count"] += count
        month["amount"] += _amount(amount)
        # cents × per cent, exact until each month's stage is rounded once
        month["stages"][stage] = month["stages"].get(stage, Decimal("0")) + Decimal(weighted).scaleb(-4)
        seen.add(stage)
    for month in months.values():
        month["stages"] = {stage: cents(value) for stage, value in month["stages"].items()}
        month["weighted"] = sum(month["stages"].values(), Decimal("0.00"))
    order = [code for code in stage_labels if code in seen] + sorted(seen - set(stage_labels))
    values = list(months.values())
    return {"currency": filters.currency,
            "stages": [{"code": c, "label": stage_labels.get(c, c)} for c in order],
            "months": values,
            "total": {"count": sum(m["count"] for m in values), "amount": sum((m["amount"] for m in values),
                                                                               Decimal("0.00")),
                      "weighted": sum((m["weighted"] for m in values), Decimal("0.00"))}}


# --- bonds ----------------------------------------------------------------------------------------

def scoped_bonds(*, actor, filters: Filters):
    bonds = Bond.objects.filter(currency=filters.currency)
    if not scope.sees_every_bid(actor):
        bonds = bonds.filter(bid__in=scope.bids(actor).values("pk"))
    return _in_department(bonds, filters, field="bid__department")


OFFSETS = {"due": 0, "signed": REFUND_DAYS, "voided": REFUND_DAYS}


def _overdue(*, actor, filters: Filters, today: date) -> dict:
    """{(basis, day): (count, cents)} of the paid bonds whose refund is overdue, from the summaries: bond rows
    are dated by the day the refund clock starts, and fall due that day (performance bonds) or REFUND_DAYS
    after it (bid bonds, from the signing or the result: bids.selectors.refund_due_on, which facts.py writes
    as SQL)."""
    rows = summed("bond", actor=actor, filters=filters, first=None, last=today - timedelta(days=1),
                  by=("k3", "day"), match={"k2": BondStatus.PAID, "k3__in": list(OFFSETS)})
    return {key: (m[0], m[3]) for key, m in rows.items()
            if key[1] + timedelta(days=OFFSETS[key[0]]) < today}


def _buckets(overdue: dict, today: date) -> list[dict]:
    counts = {low: [0, 0] for low, _high in AGE_BUCKETS}
    for (basis, day), (count, amount) in overdue.items():
        age = (today - (day + timedelta(days=OFFSETS[basis]))).days
        for low, high in AGE_BUCKETS:
            if age >= low and (high is None or age <= high):
                counts[low][0] += count
                counts[low][1] += amount
    return [{"from_days": low, "to_days": high, "count": counts[low][0], "amount": _amount(counts[low][1])}
            for low, high in AGE_BUCKETS]


def _oldest_days(overdue: dict, bases: tuple) -> dict:
    """{basis: [days]}: the earliest days of these bases that hold the OLDEST_SHOWN oldest bonds."""
    out, seen = {b: [] for b in bases}, 0
    for (basis, day), (count, _amount) in sorted(((k, v) for k, v in overdue.items() if k[0] in bases),
                                                 key=lambda kv: kv[0][1] + timedelta(days=OFFSETS[kv[0][0]])):
        if seen >= OLDEST_SHOWN:
            break
        out[basis].append(day)
        seen += count
    return out


def _oldest(*, actor, filters: Filters, overdue: dict):
    """The oldest overdue bonds of each kind: looked up by the days the summaries name, in the viewer's scope."""
    in_scope = summaries.scope_of(actor, "bids", filters.scopes(actor)).q("bid__")
    paid = _in_department(Bond.objects.filter(in_scope, status=BondStatus.PAID, currency=filters.currency),
                          filters, field="bid__department").select_related("bid", "bid__department")
    performance = _oldest_days(overdue, ("due",))
    bid = _oldest_days(overdue, ("signed", "voided"))
    return [*paid.filter(kind=BondKind.PERFORMANCE, due_on__in=performance["due"]).order_by("due_on", "id")
            [:OLDEST_SHOWN],
            *paid.filter(Q(bid__contract_signed_on__in=bid["signed"])
                         | Q(bid__contract_signed_on__isnull=True, bid__status__in=list(VOIDED),
                             bid__result_known_on__in=bid["voided"]), kind=BondKind.BID)
            .order_by(Coalesce("bid__contract_signed_on", "bid__result_known_on"), "id")[:OLDEST_SHOWN]]


def bonds(*, actor, filters: Filters, today: date | None = None) -> dict:
    """Bonds by kind and status now; the money out (paid, not back) by kind; overdue refunds by age."""
    today = today or timezone.localdate()
    kinds, statuses = dict(BondKind.choices), dict(BondStatus.choices)
    by_status = [{"kind": kind, "kind_label": str(kinds.get(kind, kind)), "status": status,
                  "status_label": str(statuses.get(status, status)), "count": m[0], "amount": _amount(m[3])}
                 for (kind, status), m in summed("bond", actor=actor, filters=filters, first=None, last=None,
                                                 by=("k1", "k2")).items() if m[0]]
    order = {k: i for i, k in enumerate(kinds)} | {s: i for i, s in enumerate(statuses)}
    by_status.sort(key=lambda r: (order.get(r["kind"], 99), order.get(r["status"], 99)))
    money_out = [{"kind": r["kind"], "kind_label": r["kind_label"], "count": r["count"], "amount": r["amount"]}
                 for r in by_status if r["status"] == BondStatus.PAID]
    overdue = _overdue(actor=actor, filters=filters, today=today)  # only paid bonds can be overdue
    buckets = _buckets(overdue, today)
    # The refund clock starts on the due date (performance) or 5 days after signing / the result (bid bonds):
    # the oldest of each kind, merged.
    oldest = []
    for bond in _oldest(actor=actor, filters=filters, overdue=overdue):
        due = refund_due_on(bond)
        oldest.append({"id": bond.pk, "bid_id": bond.bid_id, "bid_number": bond.bid.number,
                       "bid_title": bond.bid.title, "department": bond.bid.department.name, "kind": bond.kind,
                       "kind_label": str(kinds.get(bond.kind, bond.kind)), "amount": bond.amount, "due_on": due,
                       "age_days": (today - due).days})
    oldest.sort(key=lambda r: (-r["age_days"], r["id"]))
    return {"currency": filters.currency, "as_of": today, "by_status": by_status, "money_out": money_out,
            "money_out_total": sum((r["amount"] for r in money_out), Decimal("0.00")),
            "overdue": {"count": sum(b["count"] for b in buckets),
                        "amount": sum((b["amount"] for b in buckets), Decimal("0.00")),
                        "buckets": buckets, "oldest": oldest[:OLDEST_SHOWN]}}


# --- deadlines ------------------------------------------------------------------------------------

def deadline_querysets(*, actor, filters: Filters) -> dict:
    bids = _in_department(scope.bids(actor), filters)
    return {
        "bid_deadline": bids.filter(status__in=[BidStatus.REGISTERED, BidStatus.PREPARING],
                                    submission_deadline__gte=filters.start, submission_deadline__lt=filters.end),
        "bid_opening": bids.filter(status__in=[BidStatus.REGISTERED, BidStatus.PREPARING, BidStatus.SUBMITTED],
                                   opening_at__gte=filters.start, opening_at__lt=filters.end),
        "contract_end": _in_department(scope.contracts(actor), filters).filter(
            status=ContractStatus.SIGNED, end_on__gte=filters.date_from, end_on__lte=filters.date_to),
    }


def deadlines(*, actor, filters: Filters) -> dict:
    """Bid submission deadlines (bids not yet handed in), openings (bids not yet opened) and the ends of signed
    contracts in the window: per day and the first ones of each kind."""
    sets = deadline_querysets(actor=actor, filters=filters)
    tz = timezone.get_current_timezone()
    fields = {"bid_deadline": "submission_deadline", "bid_opening": "opening_at", "contract_end": "end_on"}
    days = {d.isoformat(): {"date": d.isoformat(), **{k: 0 for k in DEADLINE_KINDS}}
            for d in (filters.date_from + timedelta(n) for n in range((filters.date_to - filters.date_from).days + 1))}
    counts, items = {}, []
    for kind, queryset in sets.items():
        field = fields[kind]
        day = F(field) if kind == "contract_end" else TruncDate(field, tzinfo=tz)
        rows = queryset.order_by().values(day=day).annotate(n=Count("*"))
        counts[kind] = 0
        for r in rows:
            days[r["day"].isoformat()][kind] += r["n"]
            counts[kind] += r["n"]
        related = ("department", "owner")
        for record in queryset.select_related(*related).order_by(field, "id")[:DEADLINE_ITEMS_SHOWN]:
            when = getattr(record, field)
            items.append({"kind": kind, "kind_label": str(DEADLINE_KINDS[kind]), "at": when,
                          "id": record.pk, "number": record.number, "title": record.title,
                          "department": record.department.name, "owner": str(record.owner),
                          "url": f"/{'contracts' if kind == 'contract_end' else 'bids'}/{record.pk}/"})
    items.sort(key=lambda i: (_as_datetime(i["at"], tz), i["kind"], i["id"]))
    return {"counts": counts,
            "kind_labels": {k: str(v) for k, v in DEADLINE_KINDS.items()}, "days": list(days.values()),
            "items": items}


def _as_datetime(value, tz):
    if isinstance(value, datetime):
        return value.astimezone(tz)
    return timezone.make_aware(datetime.combine(value, time.max), tz)


# --- signed contracts by month ----------------------------------------------------------------------

def year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def signed_by_month(*, actor, filters: Filters) -> dict:
    """Signed contract count and amount by month of the period, beside the same months a year earlier (summaries
    fact "contract": every contract by its signing day)."""

    def by_month(first: date, last: date) -> dict:
        return {month.strftime("%Y-%m"): (m[0], _amount(m[3]))
                for (month,), m in summed("contract", actor=actor, filters=filters, first=first, last=last,
                                          by=("month",)).items()}

    this = by_month(filters.date_from, filters.date_to)
    last_from, last_to = year_before(filters.date_from), year_before(filters.date_to)
    last = by_month(last_from, last_to)
    months = []
    for month, previous in zip(months_between(filters.date_from, filters.date_to),
                               months_between(last_from, last_to), strict=False):
        count, amount = this.get(month, (0, Decimal("0.00")))
        last_count, last_amount = last.get(previous, (0, Decimal("0.00")))
        months.append({"month": month, "count": count, "amount": amount, "last_month": previous,
                       "last_count": last_count, "last_amount": last_amount})
    totals = defaultdict(lambda: Decimal("0.00"))
    for m in months:
        totals["amount"] += m["amount"]
        totals["last_amount"] += m["last_amount"]
    return {"currency": filters.currency, "months": months,
            "total": {"count": sum(m["count"] for m in months), "amount": totals["amount"],
                      "last_count": sum(m["last_count"] for m in months), "last_amount": totals["last_amount"],
                      "change_pct": _change(totals["amount"], totals["last_amount"])}}


def _change(now: Decimal, before: Decimal) -> float | None:
    if not before:
        return None
    return float(((now - before) * 100 / before).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
