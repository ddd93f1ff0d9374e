"""The dashboard page (charts drawn in the browser from /api/v1/insights/...) and the funnel's drill-down lists."""

import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opsmon.bids.models import OpeningEntry
from opsmon.core.errors import Invalid
from opsmon.core.paging import CappedPaginator

from . import daily, daily_views, queries
from .figures import FIGURES, filters_for
from .forms import DashboardFilterForm

PAGE_SIZE = 50
# The words the charts draw, translated here (the script has no catalogue of its own).
CHART_LABELS = {
    "count": _("Count"), "amount": _("Amount"), "rate": _("Rate from previous stage"),
    "rate_from_start": _("Rate from opportunities"), "funnel": _("Funnel"), "stage": _("Stage"),
    "won": _("Won"), "lost": _("Lost"), "abandoned": _("Abandoned"), "win_rate": _("Win rate"),
    "met": _("Openings met"), "beaten": _("We ranked above them"), "beat_rate": _("We ranked above them (%)"),
    "they_won": _("They won"), "average_gap": _("Average price gap (ours − theirs)"), "gap_pct": _("Price gap (%)"),
    "weighted": _("Weighted amount"), "money_out": _("Money out"), "overdue": _("Overdue refunds"),
    "overdue_by_age": _("Overdue refunds by days overdue"), "days": _(" days"), "bid": _("Bid"),
    "department": _("Department"), "age_days": _("Days overdue"), "when": _("When"), "kind": _("Kind"),
    "number": _("Number"), "title": _("Title"), "this_period": _("This period"),
    "year_earlier": _("A year earlier"), "no_data": _("No data for these filters."),
    "error": _("The figure could not be loaded."),
    "wan": _("10k"), "wan_yuan": _("10k yuan"), "click": _("Click a bar to list its records."),
}
# stage: (detail page prefix, amount field, date field shown, related rows to load)
DRILL = {
    "opportunities": ("/opportunities/", "estimated_amount", "created_at", ("department", "owner", "customer")),
    "projects": ("/projects/", "estimated_amount", "created_at", ("department", "owner", "customer")),
    "bids": ("/bids/", "estimated_price", "created_at", ("department", "owner")),
    "won": ("/bids/", "estimated_price", "result_known_on", ("department", "owner")),
    "contracts": ("/contracts/", "amount", "signed_on", ("department", "owner", "customer")),
}


@login_required
def dashboard(request):
    """Every figure the viewer may see, with one filter bar; each chart also downloads as Excel."""
    form = DashboardFilterForm(request.GET, actor=request.user)
    query = urlencode(form.query())
    try:
        filters = filters_for("funnel", date_from=request.GET.get("from"), date_to=request.GET.get("to"),
                              department=request.GET.get("department"), currency=request.GET.get("currency"))
    except Invalid:  # the form shows the errors; the cohort keeps the defaults
        filters = filters_for("funnel")
    cohort = daily.cohort(actor=request.user, filters=filters)
    for stage in cohort["stages"]:
        stage["url"] = daily_views.drill(f"cohort-{stage['stage']}", filters)
    charts = [{"name": name, "title": figure.title, "src": f"/api/v1/insights/{name}?{query}",
               "export": f"/api/v1/insights/{name}/export.xlsx?{query}"} for name, figure in FIGURES.items()]
    return render(request, "insights/dashboard.html", {
        "form": form, "charts": charts, "cohort": cohort, "filters": filters, "active": "dashboard",
        "presets": daily_views.presets(timezone.localdate(), request),
        "export_all": f"/api/v1/insights/export.xlsx?{query}",
        "drill": reverse("insights:funnel_stage", args=["STAGE"]) + f"?{query}",
        "records": reverse("insights:records", args=["KIND"]) + f"?{query}",
        "labels": json.dumps({k: str(v) for k, v in CHART_LABELS.items()}, ensure_ascii=False),
    })


@login_required
def funnel_stage(request, stage):
    """The records one funnel stage counts: exactly the figure's queryset, so the list has the stage's count."""
    if stage not in DRILL:
        raise Http404
    filters = filters_for("funnel", date_from=request.GET.get("from"), date_to=request.GET.get("to"),
                          department=request.GET.get("department"), currency=request.GET.get("currency"))
    prefix, amount_field, date_field, related = DRILL[stage]
    records = queries.funnel_querysets(actor=request.user, filters=filters)[stage] \
        .select_related(*related).order_by(f"-{date_field}", "-id")
    if stage == "won":  # the funnel counts our price at the opening
        amount_field = "our_price"
        records = records.annotate(our_price=Subquery(OpeningEntry.objects.filter(
            opening__bid=OuterRef("pk"), is_us=True).values("price")[:1]))
    page = CappedPaginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"url": f"{prefix}{r.pk}/", "number": r.number, "title": r.title, "department": r.department.name,
             "owner": str(r.owner), "amount": getattr(r, amount_field), "currency": r.currency,
             "date": getattr(r, date_field), "status": r.get_status_display()} for r in page.object_list]
    back = urlencode(filters.query())
    return render(request, "insights/funnel_stage.html", {
        "stage": stage, "label": queries.FUNNEL_STAGES[stage], "filters": filters, "page": page, "rows": rows,
        "back": reverse("insights:dashboard") + f"?{back}",
    })
