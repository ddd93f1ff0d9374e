"""The procurement analysis page (采购分析, /procurement/costs/) and the contract page's margin section.

Every figure of the page is the API's (dashboards.compute, the same scope); each number opens the list of the
records it counts (the order, payment, evaluation lists of the other modules, filtered by query parameters) — not
for the market head, who sees aggregates only."""

import json
from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.core import links
from opsmon.core.errors import Invalid
from opsmon.core.forms import DateInput
from opsmon.core.web import StyledForm

from . import dashboards, selectors
from .margin import SIGNED_CONTRACTS, margin_of

ORDERS = "/procurement/orders/"
PAYMENTS = "/procurement/payments/"
CHART_LABELS = {"wan_yuan": _("10k yuan"), "amount": _("Amount"), "click": _("Click a bar to list its records.")}


class PeriodForm(StyledForm, forms.Form):
    """The period bar (insights/_period.html): from / to; the figures validate again (dashboards.parse_period)."""

    def __init__(self, data):
        super().__init__(data)
        self.fields = {"from": forms.DateField(label=_("From"), required=False, widget=DateInput),
                       "to": forms.DateField(label=_("To"), required=False, widget=DateInput)}
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = field.label
            field.widget.attrs.setdefault("class", "form-control")


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def presets(today: date, request) -> list[dict]:
    quarter = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    periods = [("month", _("This month"), today.replace(day=1), _month_end(today)),
               ("quarter", _("This quarter"), quarter, _month_end(date(quarter.year, quarter.month + 2, 1))),
               ("year", _("This year"), *dashboards.this_year(today))]
    current = (request.GET.get("from"), request.GET.get("to"))
    return [{"key": key, "label": label, "query": urlencode({"from": start.isoformat(), "to": end.isoformat()}),
             "active": current == (start.isoformat(), end.isoformat())} for key, label, start, end in periods]


class Shown:
    """What the period bar prints under the form (insights/_period.html reads these)."""

    currency = "CNY"
    department = None

    def __init__(self, period: dashboards.Period):
        self.date_from, self.date_to = period.date_from, period.date_to


def _url(base: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{base}?{urlencode(params)}" if params else base


def _month_bounds(month: str, period: dashboards.Period) -> tuple[str, str]:
    first = date(int(month[:4]), int(month[5:7]), 1)
    return max(first, period.date_from).isoformat(), min(_month_end(first), period.date_to).isoformat()


def _bars(rows: list[dict], key="amount") -> list[dict]:
    largest = max((r[key] for r in rows if r[key] is not None), default=Decimal(0)) or Decimal(1)
    return [{**r, "width": int(max(r[key] or 0, 0) * 100 / largest)} for r in rows]


def _link(rows: list[dict], opens: bool, make) -> list[dict]:
    return [{**r, "url": make(r) if opens and r.get("key", r.get("bucket")) is not None else ""} for r in rows]


def _due_range(bucket: str, today: date | None) -> dict:
    """The payment list's due_from / due_to of an ageing bucket (dashboards.BUCKETS), as of `today`."""
    today = today or timezone.localdate()
    days = {"not_due": (None, 0), "0-30": (1, 30), "31-90": (31, 90), "91-180": (91, 180), "180+": (181, None)}
    low, high = days[bucket]  # days overdue: due_on = today − days
    return {"due_from": (today - timedelta(days=high)).isoformat() if high is not None else "",
            "due_to": (today - timedelta(days=low)).isoformat() if low else ""} if bucket != "not_due" else {
        "due_from": today.isoformat()}


def page_data(actor, period: dashboards.Period, today: date | None = None) -> dict:
    """Every figure with its click-through links."""
    opens = selectors.opens_records(actor)
    signed = {"signed_from": period.date_from.isoformat(), "signed_to": period.date_to.isoformat()}
    data = {name: dashboards.compute(name, actor=actor, period=period, today=today) for name in dashboards.FIGURES}
    spend = data["spend"]
    spend["by_category"] = _link(_bars(spend["by_category"]), opens,
                                 lambda r: _url(ORDERS, category=r["key"], **signed))
    spend["by_supplier"] = _link(_bars(spend["by_supplier"]), opens,
                                 lambda r: _url(ORDERS, supplier=r["key"], **signed))
    spend["by_project"] = _link(_bars(spend["by_project"]), opens,
                                lambda r: _url(ORDERS, project=r["key"], **signed))
    spend["by_month"] = _link(spend["by_month"], opens, lambda r: _url(
        ORDERS, signed_from=_month_bounds(r["key"], period)[0], signed_to=_month_bounds(r["key"], period)[1]))
    spend["chart"] = json.dumps([{"label": r["label"], "amount": str(r["amount"]), "url": r["url"]}
                                 for r in spend["by_month"]], ensure_ascii=False)
    spend["total_url"] = _url(ORDERS, **signed) if opens else ""
    savings = data["savings"]
    savings["vs_quotation"]["by_supplier"] = _link(savings["vs_quotation"]["by_supplier"], opens,
                                                   lambda r: _url(ORDERS, supplier=r["key"], **signed))
    project_urls = links.urls_for(actor, selectors.projects(
        {r["key"] for r in data["project-costs"]["projects"]} | {r["key"] for r in savings["vs_budget"]["by_project"]}))
    savings["vs_budget"]["by_project"] = _link(savings["vs_budget"]["by_project"], opens,
                                               lambda r: _url(ORDERS, project=r["key"]))
    data["on-time"]["by_supplier"] = _link(data["on-time"]["by_supplier"], opens,
                                           lambda r: _url(ORDERS, supplier=r["key"], late="on"))
    data["scorecard"]["suppliers"] = _link(data["scorecard"]["suppliers"], opens,
                                           lambda r: _url(ORDERS, supplier=r["key"]))
    commitments = data["commitments"]
    commitments["by_supplier"] = _link(_bars(commitments["by_supplier"]), opens,
                                       lambda r: _url(ORDERS, supplier=r["key"], open="on"))
    commitments["by_project"] = _link(_bars(commitments["by_project"]), opens,
                                      lambda r: _url(ORDERS, project=r["key"], open="on"))
    ageing = data["payables-ageing"]
    ageing["buckets"] = _link(_bars(ageing["buckets"]), opens,
                              lambda r: _url(PAYMENTS, status="approved", **_due_range(r["bucket"], today)))
    for row in data["project-costs"]["projects"]:
        row["url"] = _url(ORDERS, project=row["key"]) if opens else ""
        row["project_url"] = project_urls.get(row["key"], "")
    return data


@login_required
def dashboard(request):
    """The procurement analysis page: 403 for who sees no procurement dashboard."""
    selectors.require_dashboards(request.user)
    form = PeriodForm(request.GET)
    try:
        period = dashboards.parse_period(request.GET.get("from"), request.GET.get("to"))
    except Invalid:  # the form shows the error; the figures keep the default period
        form.is_valid()
        period = dashboards.parse_period()
    if form.is_valid() and form.cleaned_data.get("from") and form.cleaned_data.get("to") \
            and form.cleaned_data["to"] < form.cleaned_data["from"]:
        form.add_error("to", _("The end of the period is before its start."))
    query = urlencode(period.query())
    return render(request, "costs/dashboard.html", {
        "form": form, "presets": presets(timezone.localdate(), request), "filters": Shown(period),
        "period": period, "opens": selectors.opens_records(request.user),
        "data": {name.replace("-", "_"): figure for name, figure in page_data(request.user, period).items()},
        "api": {name.replace("-", "_"): f"/api/v1/insights/{name}?{query}" for name in dashboards.FIGURES},
        "labels": json.dumps({k: str(v) for k, v in CHART_LABELS.items()}, ensure_ascii=False),
    })


def margin_section(*, request, contract, forms=None, **_context) -> dict:
    """The contract page's margin section (contracts.hooks.detail_sections): a placeholder the page loads from
    `contract_margin` (htmx), so opening the contract costs no query of ours."""
    return {"template": "costs/_contract_margin_lazy.html", "url": reverse("costs:contract_margin",
                                                                           args=[contract.pk])}


@login_required
def contract_margin(request, pk):
    """The margin section of a contract the viewer sees (404 otherwise): the page is shown to who sees the
    contract, so the margin is his to see; the orders behind it are listed only where he may open them (the
    market head sees the aggregates only). Empty while nothing is bought for an unsigned contract."""
    contract = selectors.contract_get(actor=request.user, pk=pk)
    data = margin_of(contract)
    if not data["orders"] and not data["requests_estimate"] and contract.status not in SIGNED_CONTRACTS:
        return HttpResponse("")
    urls = links.urls_for(request.user, [row["order"] for row in data["orders"]])
    shown = [{**row, "url": urls[row["order"].pk]} for row in data["orders"] if row["order"].pk in urls]
    hidden = [row for row in data["orders"] if row["order"].pk not in urls]
    return render(request, "costs/_contract_margin.html", {
        "contract": contract, "section": {
            "margin": data, "orders": shown,
            "others": {"count": len(hidden), "expected": sum((r["expected"] for r in hidden), Decimal("0.00")),
                       "actual": sum((r["actual"] for r in hidden), Decimal("0.00"))}}})
