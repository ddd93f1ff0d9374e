"""The everyday dashboards (issue 20): cohort funnel, market development trend, competitors, rep activity and the
management view, against the hand-built data set of world.py (answers worked out by hand), per role; and every
number's drill-down list has exactly that many rows."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.accounts.models import Department
from opsmon.insights import daily
from opsmon.insights.filters import Filters
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.models import Opportunity

from . import world
from .world import JIA, YI

D = Decimal
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def w(org):
    return world.build(org)


def f(start=YEAR[0], end=YEAR[1], department=None):
    dept = Department.objects.get(name=department) if department else None
    return Filters(date_from=start, date_to=end, department=dept)


def counts(data):
    return {s["stage"]: s["count"] for s in data["stages"]}


# --- cohort ---

def test_cohort_follows_the_periods_new_opportunities_and_never_exceeds_them(org, w):
    data = daily.cohort(actor=org["market1"], filters=f())
    # created in 2025: O1 O2 O3 O4 O5 O7 O8; O2 has a bid (B7) without a project: it got as far as a bid, so it
    # counts for "converted" too; won and signed: O1 (B1, C1) and O5 (B5, C5)
    assert counts(data) == {"created": 7, "converted": 4, "bid": 4, "won": 2, "signed": 2}
    assert [(s["rate_from_start"], s["amount"]) for s in data["stages"]] == [
        (100.0, D("5300000.50")), (57.1, D("2600000.50")), (57.1, D("2600000.50")), (28.6, D("1800000.00")),
        (28.6, D("1800000.00"))]
    rates = [s["rate_from_start"] for s in data["stages"]]
    assert all(r <= 100 for r in rates) and rates == sorted(rates, reverse=True)


def test_cohort_is_never_over_100_percent_where_the_period_funnel_is(org, w):
    """2024: O6 was created, its project and bid too, and C0 signed before it, but its bid was abandoned; the
    period view counts 2024's events (a bid 100 % of opportunities, and the 2025 results outside)."""
    data = daily.cohort(actor=org["market1"], filters=f(date(2024, 1, 1), date(2024, 12, 31)))
    assert counts(data) == {"created": 1, "converted": 1, "bid": 1, "won": 1, "signed": 1}  # C0: signed
    data = daily.cohort(actor=org["market1"], filters=f(date(2025, 1, 1), date(2025, 3, 31)))
    # O1 (02-10) and O2 (03-05): followed to today, however late their later stages came
    assert counts(data) == {"created": 2, "converted": 2, "bid": 2, "won": 1, "signed": 1}


@pytest.mark.parametrize("username, expected", [
    ("rep1", {"created": 3, "converted": 2, "bid": 2, "won": 1, "signed": 1}),  # O1 O2 and O3 (team)
    ("head2", {"created": 3, "converted": 1, "bid": 1, "won": 1, "signed": 1}),  # O5 O7 O8
    ("ceo1", {"created": 7, "converted": 4, "bid": 4, "won": 2, "signed": 2}),  # everything, like market1
    ("finance1", {"created": 0, "converted": 0, "bid": 0, "won": 0, "signed": 0}),
])
def test_cohort_scope_per_role(org, w, username, expected):
    assert counts(daily.cohort(actor=org[username], filters=f())) == expected


# --- trend ---

def test_trend_by_month_with_the_year_earlier(org, w):
    data = daily.trend(actor=org["market1"], filters=f())
    months = {m["month"]: m["measures"] for m in data["months"]}
    assert [m["month"] for m in data["months"]] == [f"2025-{n:02d}" for n in range(1, 13)]
    assert months["2025-02"]["opportunities"]["count"] == 1  # O1
    assert months["2025-02"]["projects"]["count"] == 1  # P1, 3 days after O1
    assert months["2025-09"]["bids"]["count"] == 2  # B7, B9
    assert months["2025-11"]["opportunities"]["last_count"] == 1  # O6, 2024-11-15
    assert months["2025-07"]["contracts"]["last_amount"] == D("400000.00")  # C0, 2024-07-03
    assert months["2025-07"]["contracts"]["amount"] == D("950000.00")  # C1, 2025-07-20
    total = data["total"]
    assert (total["opportunities"]["count"], total["opportunities"]["last_count"],
            total["opportunities"]["change"]) == (7, 1, 600.0)
    assert (total["projects"]["count"], total["projects"]["last_count"], total["projects"]["change"]) == (3, 1, 200.0)
    assert (total["bids"]["count"], total["bids"]["last_count"], total["bids"]["change"]) == (5, 1, 400.0)
    assert (total["won"]["count"], total["won"]["last_count"], total["won"]["change"]) == (2, 0, None)
    assert (total["contracts"]["amount"], total["contracts"]["last_amount"],
            total["contracts"]["amount_change"]) == (D("1800000.00"), D("400000.00"), 350.0)


def test_trend_by_industry_and_top_customers(org, w):
    data = daily.trend(actor=org["market1"], filters=f())
    rows = {r["key"]: r["measures"] for r in data["by_dimension"]}
    assert {k: (m["opportunities"]["count"], m["bids"]["count"], m["won"]["count"], m["contracts"]["amount"])
            for k, m in rows.items()} == {
        "energy": (4, 4, 2, D("1800000.00")),  # O1 O2 O5 O8; B1 B7 B5 B9; C1 C5
        "finance": (2, 1, 0, D("0.00")),  # O3 O4; B4
        "healthcare": (1, 0, 0, D("0.00")),  # O7
        "transport": (0, 0, 0, D("0.00")),  # only a year earlier: O6, B6, C0
    }
    assert rows["transport"]["contracts"]["last_amount"] == D("400000.00")
    assert rows["transport"]["opportunities"]["change"] == -100.0
    assert [(c["count"], c["amount"]) for c in data["customers"]] == [(1, D("950000.00")), (1, D("850000.00"))]


def test_competitors_win_counts_and_price_ratios(org, w):
    data = daily.trend(actor=org["market1"], filters=f())
    # 甲 met us at B1 (1,000,000 vs our 950,000), B4 (290,000 vs 310,000, they won) and B5 (870,000 vs 850,000):
    # ours 2,110,000 against theirs 2,160,000 = 97.7 %; 乙 at B1 only: 950,000 / 1,100,000 = 86.4 %
    assert [(c["bidder"], c["met"], c["they_won"], c["price_ratio"]) for c in data["competitors"]] == [
        (JIA, 3, 1, 97.7), (YI, 1, 0, 86.4)]
    rep2 = daily.trend(actor=org["rep2"], filters=f())  # B5 only
    assert [(c["bidder"], c["met"], c["they_won"]) for c in rep2["competitors"]] == [(JIA, 1, 0)]


# --- rep activity ---

def _follow_ups(org):
    today = timezone.localdate()
    o2, o3 = (Opportunity.objects.get(pk=pk) for pk in (world_pk(org, "rep1", "500000.50"),
                                                        world_pk(org, "rep1b", "2000000.00")))
    for days in (0, 8):
        opportunities.follow_up_add(actor=org["rep1"], opportunity=o2, happened_on=today - timedelta(days=days),
                                    kind="call", note="电话沟通")
    opportunities.follow_up_add(actor=org["rep1b"], opportunity=o3, happened_on=today - timedelta(days=40),
                                kind="visit", note="拜访")
    return today


def world_pk(org, owner, amount):
    return Opportunity.objects.get(owner=org[owner], estimated_amount=D(amount)).pk


def test_rep_activity_counts_follow_ups_per_week_and_idle_opportunities(org, w):
    today = _follow_ups(org)
    period = f(daily.week_start(today - timedelta(days=8)), today)
    data = daily.rep_activity(actor=org["market1"], filters=period, today=today)
    rep1 = next(r for r in data["reps"] if r["id"] == org["rep1"].pk)
    assert rep1["weeks"][0] == 1 and rep1["weeks"][-1] == 1 and sum(rep1["weeks"]) == 2
    # open: O2 (followed up today), O3 (last 40 days ago), O8 (never): O3 and O8 are idle
    stale = {r["id"]: r["stale"] for r in data["reps"] if r["stale"]}
    assert stale == {org["rep1b"].pk: 1, org["rep2"].pk: 1}
    assert data["stale_count"] == 2
    assert [o.estimated_amount for o in data["stale"]] == [D("100000.00"), D("2000000.00")]  # never first
    mine = daily.rep_activity(actor=org["rep2"], filters=period, today=today)  # he sees neither O2 nor O3
    assert [(r["id"], r["total"], r["stale"]) for r in mine["reps"]] == [(org["rep2"].pk, 0, 1)]


# --- management view ---

def test_management_view_figures(org, w):
    data = daily.management(actor=org["ceo1"], filters=f())
    pipeline = data["pipeline"]
    # open: O2 qualified 500,000.50 × 25 %, O3 negotiation 2,000,000 × 75 %, O8 commit 100,000 × 90 %
    assert [(s["stage"], s["count"], s["amount"], s["weighted"]) for s in pipeline["stages"]] == [
        ("qualified", 1, D("500000.50"), D("125000.13")), ("negotiation", 1, D("2000000.00"), D("1500000.00")),
        ("commit", 1, D("100000.00"), D("90000.00"))]
    assert (pipeline["count"], pipeline["amount"], pipeline["weighted"]) == (3, D("2600000.50"), D("1715000.13"))
    assert len(data["forecast"]) == 12 and len(data["win_rates"]) == 12
    assert daily.pipeline_by_stage(org["rep2"])["count"] == 1  # O8
    trend = daily.win_rate_trend(actor=org["ceo1"], filters=f())
    by_month = {m["month"]: (m["won"], m["lost"], m["win_rate"]) for m in trend}
    assert by_month["2025-06"] == (1, 0, 100.0)  # B1
    assert by_month["2025-07"] == (1, 0, 100.0)  # B5
    assert by_month["2025-08"] == (0, 1, 0.0)  # B4
    assert by_month["2025-03"] == (0, 0, None)  # B6 abandoned: not rated


# --- drill-down: each number's list has exactly that many rows ---

def listed(client, url) -> int:
    page = client.get(url.replace("&amp;", "&"))
    assert page.status_code == 200, url
    return int(re.search(r'data-testid="records-count" data-count="(\d+)"', page.content.decode()).group(1))


@pytest.mark.parametrize("username", ["market1", "rep1", "head2"])
def test_every_cohort_and_trend_number_lists_exactly_its_records(client, org, w, username):
    client.force_login(org[username])
    page = client.get("/insights/?from=2025-01-01&to=2025-12-31").content.decode()
    found = re.findall(r'<a href="([^"]+)" data-testid="cohort-link-(\w+)">', page)
    expected = counts(daily.cohort(actor=org[username], filters=f()))
    assert {stage for _u, stage in found} == set(expected)
    for url, stage in found:
        assert listed(client, url) == expected[stage], stage
    trend = client.get("/insights/trend/?from=2025-01-01&to=2025-12-31").content.decode()
    cells = re.findall(r'<a href="([^"]+)" data-testid="trend-link">([\d,.]+)</a>(?: <span[^>]*>\((\d+)\))?', trend)
    assert cells
    for url, shown, count in cells:
        assert listed(client, url) == int(count or shown.replace(",", "")), url


def test_competitor_customer_and_activity_links_list_their_records(client, org, w):
    today = _follow_ups(org)
    client.force_login(org["market1"])
    trend = client.get("/insights/trend/?from=2025-01-01&to=2025-12-31").content.decode()
    rows = re.findall(r'data-testid="trend-competitor"><td>([^<]+)</td><td class="text-end"><a href="([^"]+)">(\d+)',
                      trend)
    assert [(name, int(n)) for name, _u, n in rows] == [(JIA, 3), (YI, 1)]
    for _name, url, n in rows:
        assert listed(client, url) == int(n)
    start = daily.week_start(today - timedelta(days=8)).isoformat()
    page = client.get(f"/insights/activity/?from={start}&to={today.isoformat()}").content.decode()
    totals = re.findall(r'<a href="([^"]+)" data-testid="activity-total">(\d+)</a>', page)
    stale = re.findall(r'<a class="text-red" href="([^"]+)" data-testid="activity-stale">(\d+)</a>', page)
    assert sorted(int(n) for _u, n in totals if int(n)) == [2] and sorted(int(n) for _u, n in stale) == [1, 1]
    for url, n in totals + stale:
        assert listed(client, url) == int(n)


def test_presets_and_labels_on_the_dashboard(client, org, w):
    client.force_login(org["ceo1"])
    page = client.get("/insights/").content.decode()
    today = timezone.localdate()
    assert f'href="?from={today.replace(day=1).isoformat()}' in page  # 本月
    for key in ("month", "quarter", "year", "yoy"):
        assert f'data-testid="preset-{key}"' in page
    assert 'data-testid="cohort-label"' in page and 'data-testid="funnel-period-label"' in page
    for name in ("trend", "activity", "management"):
        assert client.get(f"/insights/{name}/").status_code == 200
    assert client.get("/insights/records/nothing/").status_code == 404
