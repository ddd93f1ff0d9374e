"""The pages of the everyday dashboards (issue 20): market development trend, rep activity, the management view,
and the drill-down list behind every number they show (and the cohort's), which lists exactly the records that
number counts, scoped to the viewer."""

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.bids.choices import BidStatus
from opsmon.bids.models import OpeningEntry
from opsmon.codes.selectors import label_map
from opsmon.core.errors import Invalid
from opsmon.core.paging import CappedPaginator

from . import daily, queries
from .filters import Filters, parse, this_year
from .forms import DashboardFilterForm

PAGE_SIZE = 50
# kind: (title, detail page prefix, amount field, date field shown, related rows)
KINDS = {
    "opportunities": (gettext_lazy("New opportunities"), "/opportunities/", "estimated_amount", "created_at",
                      ("department", "owner")),
    "projects": (gettext_lazy("Conversions"), "/projects/", "estimated_amount", "created_at",
                 ("department", "owner")),
    "bids": (gettext_lazy("Bids"), "/bids/", "estimated_price", "created_at", ("department", "owner")),
    "won": (gettext_lazy("Wins"), "/bids/", "our_price", "result_known_on", ("department", "owner")),
    "contracts": (gettext_lazy("Contract value"), "/contracts/", "amount", "signed_on", ("department", "owner")),
    "decided": (gettext_lazy("Bids decided in the period"), "/bids/", "our_price", "result_known_on",
                ("department", "owner")),
    "bonds": (gettext_lazy("Bonds"), "/bids/", "amount", "paid_on", ("bid", "bid__department", "bid__owner")),
    "bid_deadline": (queries.DEADLINE_KINDS["bid_deadline"], "/bids/", "estimated_price", "submission_deadline",
                     ("department", "owner")),
    "bid_opening": (queries.DEADLINE_KINDS["bid_opening"], "/bids/", "estimated_price", "opening_at",
                    ("department", "owner")),
    "contract_end": (queries.DEADLINE_KINDS["contract_end"], "/contracts/", "amount", "end_on",
                     ("department", "owner")),
    "stale": (gettext_lazy("Open opportunities without a follow-up in 30 days"), "/opportunities/",
              "estimated_amount", "created_at", ("department", "owner")),
    "followups": (gettext_lazy("Follow-ups"), "/opportunities/", None, "happened_on",
                  ("opportunity", "opportunity__department", "author")),
    **{f"cohort-{stage}": (label, "/opportunities/", "estimated_amount", "created_at", ("department", "owner"))
       for stage, label in daily.COHORT_STAGES.items()},
}


def _month_end(day: date) -> date:
    following = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    return following - timedelta(days=1)


def presets(today: date, request) -> list[dict]:
    """The period presets: this month, this quarter, this year, and year on year (this year up to today, which
    the figures set beside the same days a year earlier). Each keeps the other filters of the request."""
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    periods = [("month", _("This month"), today.replace(day=1), _month_end(today)),
               ("quarter", _("This quarter"), quarter, _month_end(date(quarter.year, quarter.month + 2, 1))),
               ("year", _("This year"), *this_year(today)),
               ("yoy", _("Year on year (this year to date)"), date(today.year, 1, 1), today)]
    keep = {k: v for k, v in request.GET.items() if k in ("department", "currency", "by")}
    current = (request.GET.get("from"), request.GET.get("to"))
    return [{"key": key, "label": label, "query": urlencode({**keep, "from": start.isoformat(),
                                                             "to": end.isoformat()}),
             "active": current == (start.isoformat(), end.isoformat())} for key, label, start, end in periods]


def page_filters(request, *, default) -> tuple[Filters, DashboardFilterForm]:
    """The filters of a dashboard page (invalid ones are shown on the form; the figures keep the defaults)."""
    form = DashboardFilterForm(request.GET, actor=request.user)
    try:
        filters = parse(date_from=request.GET.get("from"), date_to=request.GET.get("to"),
                        department=request.GET.get("department"), currency=request.GET.get("currency"),
                        default=default)
    except Invalid:
        filters = parse(default=default)
    return filters, form


def _nav(request, active: str) -> dict:
    return {"active": active, "presets": presets(timezone.localdate(), request)}


def drill(kind: str, filters: Filters, **extra) -> str:
    """The link to the list of exactly the records a number counts."""
    query = {**filters.query(), **{k: v for k, v in extra.items() if v not in (None, "")}}
    return reverse("insights:records", args=[kind]) + "?" + urlencode(query)


def month_filters(filters: Filters, month: str) -> Filters:
    """`filters` narrowed to one month (YYYY-MM) of the period."""
    first = date.fromisoformat(f"{month}-01")
    return Filters(date_from=max(first, filters.date_from), date_to=min(_month_end(first), filters.date_to),
                   department=filters.department, currency=filters.currency)


def year_earlier(filters: Filters) -> Filters:
    return daily._shifted(filters)


@login_required
def trend(request):
    """发展动态: per month and per industry or region, with the year-earlier figures and top customers and
    competitors."""
    filters, form = page_filters(request, default=this_year(timezone.localdate()))
    dimension = request.GET.get("by") if request.GET.get("by") in daily.DIMENSIONS else "industry"
    data = daily.trend(actor=request.user, filters=filters, dimension=dimension)
    earlier = year_earlier(filters)
    for m in data["months"]:
        now, before = month_filters(filters, m["month"]), month_filters(earlier, m["last_month"])
        for measure, cell in m["measures"].items():
            cell["url"] = drill(measure, now)
            cell["last_url"] = drill(measure, before)
    for measure, cell in data["total"].items():
        cell["url"] = drill(measure, filters)
        cell["last_url"] = drill(measure, earlier)
    for row in data["by_dimension"]:
        for measure, cell in row["measures"].items():
            cell["url"] = drill(measure, filters, dimension=dimension, key=row["key"])
            cell["last_url"] = drill(measure, earlier, dimension=dimension, key=row["key"])
    for c in data["customers"]:
        c["url"] = drill("contracts", filters, customer=c["id"])
    for c in data["competitors"]:
        c["url"] = drill("decided", filters, bidder=c["bidder"])
    return render(request, "insights/trend.html", {
        **_nav(request, "trend"), "form": form, "filters": filters, "data": data,
        "dimensions": daily.DIMENSIONS, "dimension": dimension, "dimension_label": daily.DIMENSIONS[dimension],
        "measures": list(daily.TREND), "earlier": earlier})


@login_required
def activity(request):
    """Rep activity: follow-ups per rep per week, and open opportunities without a follow-up in 30 days."""
    today = timezone.localdate()
    filters, form = page_filters(request, default=(daily.week_start(today) - timedelta(weeks=7), today))
    data = daily.rep_activity(actor=request.user, filters=filters, today=today)
    for rep in data["reps"]:
        rep["cells"] = []
        for week, n in zip(data["weeks"], rep["weeks"], strict=True):
            within = Filters(date_from=max(week, filters.date_from),
                             date_to=min(week + timedelta(days=6), filters.date_to),
                             department=filters.department, currency=filters.currency)
            rep["cells"].append({"count": n, "url": drill("followups", within, author=rep["id"])})
        rep["total_url"] = drill("followups", filters, author=rep["id"])
        rep["stale_url"] = drill("stale", filters, owner=rep["id"])
    return render(request, "insights/activity.html", {
        **_nav(request, "activity"), "form": form, "filters": filters, "data": data,
        "stale_url": drill("stale", filters)})


@login_required
def management(request):
    """The one-page management view (for the executive above all; everyone sees it over his own records)."""
    filters, form = page_filters(request, default=this_year(timezone.localdate()))
    data = daily.management(actor=request.user, filters=filters)
    for stage in data["pipeline"]["stages"]:
        stage["url"] = drill("pipeline", filters, stage=stage["stage"])
    largest = max([s["amount"] for s in data["pipeline"]["stages"]] or [0]) or 1
    for stage in data["pipeline"]["stages"]:
        stage["width"] = int(stage["amount"] * 100 / largest)
    largest = max([m["weighted"] for m in data["forecast"]] or [0]) or 1
    for m in data["forecast"]:
        m["width"] = int(m["weighted"] * 100 / largest)
        first = date.fromisoformat(f"{m['month']}-01")
        m["url"] = drill("pipeline", Filters(date_from=first, date_to=_month_end(first), department=filters.department,
                                             currency=filters.currency), month=m["month"])
    return render(request, "insights/management.html", {
        **_nav(request, "management"), "form": form, "filters": filters, "data": data})


def records_of(kind: str, *, actor, filters: Filters, params) -> tuple:
    """The queryset a drill-down `kind` lists, with the narrowing of `params` (the same as the figure's)."""
    if kind.startswith("cohort-"):
        stage = kind.removeprefix("cohort-")
        if stage not in daily.COHORT_STAGES:
            raise Http404
        return daily.cohort_querysets(actor=actor, filters=filters)[stage]
    if kind in daily.TREND:
        records = daily.trend_querysets(actor=actor, filters=filters)[kind]
        if params.get("dimension") in daily.DIMENSIONS:
            records = daily.narrowed(records, kind, dimension=params["dimension"], key=params.get("key", ""))
        if kind == "contracts" and params.get("customer", "").isdigit():
            records = records.filter(customer=int(params["customer"]))
        return records
    if kind == "decided":
        records = queries.decided_bids(actor=actor, filters=filters)
        if params.get("bidder"):  # a competitor: the won and lost bids where he bid too
            return records.filter(status__in=[BidStatus.WON, BidStatus.LOST],
                                  opening__entries__bidder=params["bidder"], opening__entries__is_us=False)
        field = queries.WIN_FIELDS.get(params.get("field", ""))
        if field:  # one row of the win-rate chart ("" is the row of those without a value)
            key = params.get("key", "")
            records = records.filter(Q(**{field: key}) if key else Q(**{field: ""}) | Q(**{f"{field}__isnull": True}))
        return records.filter(status=params["status"]) if params.get("status") in BidStatus.values else records
    if kind == "bonds":
        records = queries.scoped_bonds(actor=actor, filters=filters)
        for name in ("kind", "status"):
            if params.get(name):
                records = records.filter(**{name: params[name]})
        return records
    if kind in queries.DEADLINE_KINDS:
        return queries.deadline_querysets(actor=actor, filters=filters)[kind]
    if kind == "stale":
        records = daily.stale(actor=actor, filters=filters)
        return records.filter(owner=int(params["owner"])) if params.get("owner", "").isdigit() else records
    if kind == "followups":
        records = daily.follow_ups(actor=actor, filters=filters)
        return records.filter(author=int(params["author"])) if params.get("author", "").isdigit() else records
    if kind == "pipeline":
        records = daily.open_opportunities(actor=actor, filters=filters)
        if params.get("month"):  # forecast: expected to close in the period
            records = records.filter(expected_close_date__gte=filters.date_from,
                                     expected_close_date__lte=filters.date_to)
        return records.filter(stage=params["stage"]) if params.get("stage") else records
    raise Http404


@login_required
def records(request, kind):
    """The records one number of a dashboard counts: exactly the figure's queryset, so the list's count is the
    number shown."""
    if kind not in KINDS and kind != "pipeline":
        raise Http404
    default = this_year(timezone.localdate())
    filters = parse(date_from=request.GET.get("from"), date_to=request.GET.get("to"),
                    department=request.GET.get("department"), currency=request.GET.get("currency"), default=default)
    title, prefix, amount_field, date_field, related = KINDS.get(
        kind, (gettext_lazy("Open pipeline"), "/opportunities/", "estimated_amount", "expected_close_date",
               ("department", "owner")))
    queryset = records_of(kind, actor=request.user, filters=filters, params=request.GET)
    if amount_field == "our_price":
        queryset = queryset.annotate(our_price=Subquery(OpeningEntry.objects.filter(
            opening__bid=OuterRef("pk"), is_us=True).values("price")[:1]))
    queryset = queryset.select_related(*related).order_by(f"-{date_field}", "-id")
    page = CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows, kinds = [], label_map("followup_kind") if kind == "followups" else {}
    for r in page.object_list:
        if kind == "bonds":
            rows.append({"url": f"{prefix}{r.bid_id}/", "number": r.bid.number, "title": r.bid.title,
                         "status": f"{r.get_kind_display()} · {r.get_status_display()}", "owner": str(r.bid.owner),
                         "department": r.bid.department.name, "amount": r.amount, "currency": r.currency,
                         "date": r.paid_on})
            continue
        if kind == "followups":
            o = r.opportunity
            rows.append({"url": f"{prefix}{o.pk}/", "number": o.number, "title": o.title,
                         "status": kinds.get(("followup_kind", r.kind), r.kind), "owner": str(r.author),
                         "department": o.department.name if o.department_id else "", "amount": None,
                         "currency": o.currency, "date": r.happened_on})
            continue
        rows.append({"url": f"{prefix}{r.pk}/", "number": r.number, "title": r.title,
                     "status": r.get_status_display(), "owner": str(r.owner), "department": r.department.name,
                     "amount": getattr(r, amount_field) if amount_field else None, "currency": r.currency,
                     "date": getattr(r, date_field)})
    return render(request, "insights/records.html", {
        "title": title, "kind": kind, "filters": filters, "page": page, "rows": rows,
        "back": reverse("insights:dashboard") + "?" + urlencode(filters.query())})
