"""Every figure against the hand-built data set of world.py, with the answers worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils.translation import gettext as _

from opsmon.accounts.models import Department
from opsmon.core.errors import Invalid
from opsmon.insights import queries
from opsmon.insights.filters import Filters, parse

from . import world
from .world import JIA, YI

D = Decimal
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture
def w(org):
    return world.build(org)


def f(start=YEAR[0], end=YEAR[1], department=None, currency="CNY"):
    dept = Department.objects.get(name=department) if department else None
    return Filters(date_from=start, date_to=end, department=dept, currency=currency)


def stages(data):
    return {s["stage"]: (s["count"], s["amount"], s["rate"], s["rate_from_start"]) for s in data["stages"]}


# --- funnel ---

def test_funnel_counts_what_happened_in_the_period(org, w):
    data = queries.funnel(actor=org["market1"], filters=f())
    assert stages(data) == {
        # created in 2025: O1 O2 O3 O4 O5 O7 O8 (O6 was created in 2024)
        "opportunities": (7, D("5300000.50"), None, 100.0),
        # created in 2025: P1 P4 P5 (P6 in 2024): 3 against 7
        "projects": (3, D("2100000.00"), 42.9, 42.9),
        # registered in 2025: B1 B4 B5 B7 B9 (estimated 1,200,000 + 320,000 + 900,000 + 450,000 + none)
        "bids": (5, D("2870000.00"), 166.7, 71.4),
        # won, result known in 2025: B1 B5, at our opening price
        "won": (2, D("1800000.00"), 40.0, 28.6),
        # signed in 2025: C1 C5 (C0 was signed in 2024)
        "contracts": (2, D("1800000.00"), 100.0, 28.6),
    }
    assert [s["stage"] for s in data["stages"]] == ["opportunities", "projects", "bids", "won", "contracts"]


def test_funnel_period_excludes_what_happened_outside_it(org, w):
    data = queries.funnel(actor=org["market1"], filters=f(date(2024, 1, 1), date(2024, 12, 31)))
    # 2024: O6, P6, B6 (registered 2024-11-20, abandoned in 2025: not won) and C0 signed 2024-07-03
    assert stages(data) == {"opportunities": (1, D("400000.00"), None, 100.0),
                            "projects": (1, D("400000.00"), 100.0, 100.0),
                            "bids": (1, D("0.00"), 100.0, 100.0),
                            "won": (0, D("0.00"), 0.0, 0.0),
                            "contracts": (1, D("400000.00"), None, 100.0)}


def test_funnel_stage_querysets_are_what_the_figure_counts(org, w):
    sets = queries.funnel_querysets(actor=org["market1"], filters=f())
    assert set(sets["won"].values_list("pk", flat=True)) == {w["B1"].pk, w["B5"].pk}
    assert set(sets["contracts"].values_list("pk", flat=True)) == {w["C1"].pk, w["C5"].pk}
    assert sets["opportunities"].count() == 7


def test_funnel_of_a_rep_counts_only_his_records(org, w):
    # rep1: O1, O2 and O3 (team member); P1; B1 and B7; C1.
    assert stages(queries.funnel(actor=org["rep1"], filters=f())) == {
        "opportunities": (3, D("3500000.50"), None, 100.0),
        "projects": (1, D("1000000.00"), 33.3, 33.3),
        "bids": (2, D("1650000.00"), 200.0, 66.7),
        "won": (1, D("950000.00"), 50.0, 33.3),
        "contracts": (1, D("950000.00"), 100.0, 33.3),
    }


def test_funnel_of_a_head_counts_his_department(org, w):
    assert stages(queries.funnel(actor=org["head1"], filters=f())) == {
        "opportunities": (4, D("3800000.50"), None, 100.0),
        "projects": (2, D("1300000.00"), 50.0, 50.0),
        "bids": (3, D("1970000.00"), 150.0, 75.0),
        "won": (1, D("950000.00"), 33.3, 25.0),
        "contracts": (1, D("950000.00"), 100.0, 25.0),
    }
    head2 = stages(queries.funnel(actor=org["head2"], filters=f()))
    assert head2["opportunities"] == (3, D("1500000.00"), None, 100.0)  # O5 O7 O8
    assert head2["won"][:2] == (1, D("850000.00"))


def test_department_filter_narrows_and_never_widens(org, w):
    market = stages(queries.funnel(actor=org["market1"], filters=f(department="销售二部")))
    assert market["opportunities"][:2] == (3, D("1500000.00"))
    # A head asking for another department gets nothing of it; so does a rep.
    for user in ("head2", "rep2"):
        other = stages(queries.funnel(actor=org[user], filters=f(department="销售一部")))
        assert all(count == 0 for count, *_ in other.values()), user
    assert queries.win_rate(actor=org["head2"], filters=f(department="销售一部"))["total"]["finished"] == 0
    assert queries.bonds(actor=org["head2"], filters=f(department="销售一部"), today=date(2025, 9, 1))[
        "by_status"] == []
    # The parent department includes both of its sub-departments.
    assert stages(queries.funnel(actor=org["market1"], filters=f(department="销售中心")))["opportunities"][0] == 7


def test_currency_filter_counts_only_that_currency(org, w):
    assert stages(queries.funnel(actor=org["market1"], filters=f(currency="USD")))["opportunities"][0] == 0
    usd = queries.bonds(actor=org["market1"], filters=f(currency="USD"), today=date(2025, 9, 1))
    assert [(r["kind"], r["status"], r["count"], r["amount"]) for r in usd["by_status"]] == [
        ("bid", "paid", 1, D("1000.00"))]


def test_each_stage_follows_its_own_module_visibility(org, w):
    # The bid assistant sees every bid and no opportunity, project or contract.
    assert [s["count"] for s in queries.funnel(actor=org["assistant1"], filters=f())["stages"]] == [0, 0, 5, 2, 0]
    # Finance sees every contract, and, as a reviewer, the bids behind the contracts he decided (both won); no
    # opportunity or project.
    assert [s["count"] for s in queries.funnel(actor=org["finance1"], filters=f())["stages"]] == [0, 0, 2, 2, 2]
    # The technical lead sees his projects (P1 P4 P5), their opportunities, those opportunities' bids (B1 B4 B5
    # B9), and the contracts whose technical review he decided (C1 C5; C0 took the small route without one).
    assert [s["count"] for s in queries.funnel(actor=org["lead1"], filters=f())["stages"]] == [3, 3, 4, 2, 2]


# --- win rates ---

def rows(data, dimension):
    return [(r["label"], r["won"], r["lost"], r["abandoned"], r["win_rate"]) for r in data["dimensions"][dimension]]


def test_win_rate_by_each_dimension(org, w):
    data = queries.win_rate(actor=org["market1"], filters=f())
    # B1 won, B4 lost, B5 won, B6 abandoned: 2 of 3 decided by a result
    assert data["total"] == {"won": 2, "lost": 1, "abandoned": 1, "finished": 4, "win_rate": 66.7}
    assert rows(data, "department") == [("销售一部", 1, 1, 0, 50.0), ("销售二部", 1, 0, 1, 100.0)]
    assert rows(data, "owner") == [("陈静", 1, 0, 1, 100.0), ("李娜", 1, 0, 0, 100.0), ("王强", 0, 1, 0, 0.0)]
    # ties in the number of finished bids keep the order of their codes, whatever the language
    assert rows(data, "industry") == [("能源电力", 2, 0, 0, 100.0), ("金融", 0, 1, 0, 0.0),
                                      ("交通运输", 0, 0, 1, None)]
    none = str(_("(none)"))
    assert rows(data, "tender_method") == [("公开招标", 2, 0, 0, 100.0), (none, 0, 0, 1, None),
                                           ("邀请招标", 0, 1, 0, 0.0)]


def test_win_rate_against_each_competitor_with_the_price_gap(org, w):
    data = queries.win_rate(actor=org["market1"], filters=f())
    assert data["competitors"] == [
        # 甲 met in B1 (we 950,000 vs 1,000,000, ranked above), B4 (310,000 vs 290,000, they won),
        # B5 (850,000 vs 870,000, ranked above): gap (2,110,000 − 2,160,000) / 3; −50,000 / 2,160,000
        {"bidder": JIA, "met": 3, "beaten": 2, "beat_rate": 66.7, "they_won": 1, "average_gap": D("-16666.67"),
         "gap_pct": -2.3},
        # 乙 only in B1: 950,000 vs 1,100,000
        {"bidder": YI, "met": 1, "beaten": 1, "beat_rate": 100.0, "they_won": 0, "average_gap": D("-150000.00"),
         "gap_pct": -13.6},
    ]


def test_win_rate_counts_results_known_in_the_period_and_in_scope(org, w):
    first_half = queries.win_rate(actor=org["market1"], filters=f(date(2025, 1, 1), date(2025, 6, 30)))
    assert first_half["total"] == {"won": 1, "lost": 0, "abandoned": 1, "finished": 2, "win_rate": 100.0}  # B1, B6
    rep1 = queries.win_rate(actor=org["rep1"], filters=f())
    assert rep1["total"] == {"won": 1, "lost": 0, "abandoned": 0, "finished": 1, "win_rate": 100.0}  # B1 only
    assert [(c["bidder"], c["met"]) for c in rep1["competitors"]] == [(YI, 1), (JIA, 1)]  # ties by name
    head1 = queries.win_rate(actor=org["head1"], filters=f())
    assert rows(head1, "department") == [("销售一部", 1, 1, 0, 50.0)]
    assert queries.win_rate(actor=org["assistant1"], filters=f())["total"]["finished"] == 4  # sees all bids


# --- pipeline ---

def test_pipeline_weights_open_opportunities_by_probability_per_month(org, w):
    data = queries.pipeline(actor=org["market1"], filters=f())
    months = {m["month"]: m for m in data["months"]}
    assert list(months) == [f"2025-{m:02d}" for m in range(1, 13)]
    # May: O2 500,000.50 × 25 % = 125,000.125 → 125,000.13; O3 2,000,000 × 75 %
    assert months["2025-05"] == {"month": "2025-05", "count": 2, "amount": D("2500000.50"),
                                 "weighted": D("1625000.13"),
                                 "stages": {"qualified": D("125000.13"), "negotiation": D("1500000.00")}}
    # November: O8 100,000 × 90 %
    assert months["2025-11"] == {"month": "2025-11", "count": 1, "amount": D("100000.00"), "weighted": D("90000.00"),
                                 "stages": {"commit": D("90000.00")}}
    assert all(m["count"] == 0 for k, m in months.items() if k not in ("2025-05", "2025-11"))
    assert data["total"] == {"count": 3, "amount": D("2600000.50"), "weighted": D("1715000.13")}
    assert [s["code"] for s in data["stages"]] == ["qualified", "negotiation", "commit"]  # code-table order


def test_pipeline_rounds_each_month_once(org):
    # Two estimates of 0.50 at 25 % on different days of one month: 0.125 + 0.125 = 0.25, not 0.13 + 0.13.
    for day in (3, 17):
        world.opportunity(org, "rep1", amount="0.50", stage="qualified", created=date(2025, 1, 2),
                          close=date(2025, 3, day), industry="energy")
    march = queries.pipeline(actor=org["rep1"], filters=f())["months"][2]
    assert (march["month"], march["weighted"], march["stages"]) == ("2025-03", D("0.25"), {"qualified": D("0.25")})


def test_pipeline_scope(org, w):
    assert queries.pipeline(actor=org["rep1"], filters=f())["total"] == {
        "count": 2, "amount": D("2500000.50"), "weighted": D("1625000.13")}  # O2 and O3 (team)
    assert queries.pipeline(actor=org["rep1b"], filters=f())["total"]["count"] == 1  # O3
    assert queries.pipeline(actor=org["head2"], filters=f())["total"] == {
        "count": 1, "amount": D("100000.00"), "weighted": D("90000.00")}


# --- bonds ---

def test_bond_exposure_by_kind_and_status_and_overdue_ages(org, w):
    data = queries.bonds(actor=org["market1"], filters=f(), today=date(2025, 9, 1))
    assert [(r["kind"], r["status"], r["count"], r["amount"]) for r in data["by_status"]] == [
        ("bid", "planned", 1, D("8000.00")), ("bid", "paid", 2, D("30000.00")),
        ("bid", "refunded", 1, D("17000.00")), ("performance", "paid", 1, D("85000.00"))]
    assert [(r["kind"], r["count"], r["amount"]) for r in data["money_out"]] == [
        ("bid", 2, D("30000.00")), ("performance", 1, D("85000.00"))]
    assert data["money_out_total"] == D("115000.00")
    # B4's bond: result 08-20 → due 08-25, 7 days; B1's: signed 07-20 → due 07-25, 38 days;
    # the performance bond: due 03-01, 184 days.
    overdue = data["overdue"]
    assert [(b["from_days"], b["to_days"], b["count"], b["amount"]) for b in overdue["buckets"]] == [
        (1, 30, 1, D("6000.00")), (31, 90, 1, D("24000.00")), (91, 180, 0, D("0.00")), (181, None, 1, D("85000.00"))]
    assert (overdue["count"], overdue["amount"]) == (3, D("115000.00"))
    assert [(b["bid_id"], b["kind"], b["due_on"], b["age_days"]) for b in overdue["oldest"]] == [
        (w["B5"].pk, "performance", date(2025, 3, 1), 184), (w["B1"].pk, "bid", date(2025, 7, 25), 38),
        (w["B4"].pk, "bid", date(2025, 8, 25), 7)]


def test_overdue_buckets_agree_with_the_bond_register(org, w):
    from opsmon.bids.selectors import BondFilters, bond_list
    for today in (date(2025, 7, 25), date(2025, 7, 26), date(2025, 8, 26), date(2025, 12, 31)):
        data = queries.bonds(actor=org["market1"], filters=f(), today=today)
        register = bond_list(actor=org["market1"], filters=BondFilters(overdue=True), today=today) \
            .filter(currency="CNY")
        assert data["overdue"]["count"] == register.count(), today
        assert {b["id"] for b in data["overdue"]["oldest"]} == set(register.values_list("pk", flat=True)), today


def test_bonds_scope(org, w):
    head1 = queries.bonds(actor=org["head1"], filters=f(), today=date(2025, 9, 1))
    assert [(r["status"], r["count"], r["amount"]) for r in head1["by_status"]] == [("paid", 2, D("30000.00"))]
    assert head1["overdue"]["count"] == 2
    rep1 = queries.bonds(actor=org["rep1"], filters=f(), today=date(2025, 9, 1))
    assert [(r["status"], r["count"], r["amount"]) for r in rep1["by_status"]] == [("paid", 1, D("24000.00"))]
    # The technical lead sees the bids of his projects' opportunities (B1, B4, B5, B6), so their bonds.
    assert queries.bonds(actor=org["lead1"], filters=f(), today=date(2025, 9, 1))["money_out_total"] == D("115000.00")
    assistant = queries.bonds(actor=org["assistant1"], filters=f(), today=date(2025, 9, 1))
    assert assistant["money_out_total"] == D("115000.00")


# --- deadlines ---

OCTOBER = (date(2025, 10, 1), date(2025, 10, 31))


def test_deadlines_in_the_window(org, w):
    data = queries.deadlines(actor=org["market1"], filters=f(*OCTOBER))
    assert data["counts"] == {"bid_deadline": 1, "bid_opening": 2, "contract_end": 1}
    busy = {d["date"]: (d["bid_deadline"], d["bid_opening"], d["contract_end"]) for d in data["days"]
            if d["bid_deadline"] or d["bid_opening"] or d["contract_end"]}
    assert busy == {"2025-10-10": (1, 0, 0), "2025-10-12": (0, 1, 0), "2025-10-20": (0, 1, 0),
                    "2025-10-25": (0, 0, 1)}
    assert len(data["days"]) == 31
    assert [(i["kind"], i["number"]) for i in data["items"]] == [
        ("bid_deadline", w["B7"].number), ("bid_opening", w["B7"].number), ("bid_opening", w["B9"].number),
        ("contract_end", w["C1"].number)]
    assert data["items"][0]["url"] == f"/bids/{w['B7'].pk}/"
    # B9's deadline (10-18) is not listed: it is handed in already.


def test_deadlines_scope(org, w):
    assert queries.deadlines(actor=org["rep1"], filters=f(*OCTOBER))["counts"] == {
        "bid_deadline": 1, "bid_opening": 1, "contract_end": 1}
    assert queries.deadlines(actor=org["head2"], filters=f(*OCTOBER))["counts"] == {
        "bid_deadline": 0, "bid_opening": 1, "contract_end": 0}
    assert queries.deadlines(actor=org["market1"], filters=f(*OCTOBER, department="销售二部"))["counts"] == {
        "bid_deadline": 0, "bid_opening": 1, "contract_end": 0}


# --- signed contracts by month ---

def test_signed_by_month_this_period_against_a_year_earlier(org, w):
    data = queries.signed_by_month(actor=org["market1"], filters=f())
    months = {m["month"]: m for m in data["months"]}
    assert len(months) == 12
    assert months["2025-07"] == {"month": "2025-07", "count": 1, "amount": D("950000.00"), "last_month": "2024-07",
                                 "last_count": 1, "last_amount": D("400000.00")}
    assert months["2025-08"] == {"month": "2025-08", "count": 1, "amount": D("850000.00"), "last_month": "2024-08",
                                 "last_count": 0, "last_amount": D("0.00")}
    assert data["total"] == {"count": 2, "amount": D("1800000.00"), "last_count": 1, "last_amount": D("400000.00"),
                             "change_pct": 350.0}


def test_signed_by_month_scope(org, w):
    assert queries.signed_by_month(actor=org["head1"], filters=f())["total"] == {
        "count": 1, "amount": D("950000.00"), "last_count": 0, "last_amount": D("0.00"), "change_pct": None}
    assert queries.signed_by_month(actor=org["rep2"], filters=f())["total"]["last_amount"] == D("400000.00")
    assert queries.signed_by_month(actor=org["rep1b"], filters=f())["total"]["count"] == 0


# --- filters ---

def test_bad_filters_are_refused_naming_the_field(org):
    with pytest.raises(Invalid) as e:
        parse(date_from="2025-13-01", department="999999", currency="XXX")
    assert set(e.value.fields) == {"from", "department", "currency"}
    with pytest.raises(Invalid) as e:
        parse(date_from=date(2025, 5, 1), date_to=date(2025, 4, 1))
    assert set(e.value.fields) == {"to"}


def test_rate_is_one_decimal_half_up():
    assert queries.rate(2, 3) == 66.7
    assert queries.rate(1, 8) == 12.5
    assert queries.rate(1, 0) is None
