"""Each dashboard's numbers from ORM-built data, and its scope per role: the procurement head, executive, admin,
finance and market head count everything; a purchaser his own orders; a department head his subtree's projects;
anyone else is refused (403)."""

from datetime import date, timedelta

import pytest

from opsmon.core.errors import Invalid, PermissionDenied
from opsmon.costs import dashboards
from opsmon.costs.dashboards import Period, compute

from . import factories as f

pytestmark = pytest.mark.django_db

D = f.D
Y = date.today().year - 1          # last year: every promised date is past
PERIOD = Period(date(Y, 1, 1), date(Y, 12, 31))


def build(org) -> dict:
    """P1 (rep1, 销售一部): order A of buyer1 from s1 (SME), signed in March, an approved budget, a signed
    contract, an approved request not ordered. P2 (rep2, 销售二部): order B of phead1 from s2, signed in April.
    Order C of buyer1 (s2, no project) only approved; order X cancelled."""
    p1, p2 = f.project(org, "rep1"), f.project(org, "rep2")
    s1, s2, s3 = f.supplier(org, name="甲供应商", sme=True), f.supplier(org, name="乙供应商"), f.supplier(org)
    ordered_request = f.request(org, p1, "1200.00", status="ordered")
    sourced = f.sourcing(org, ordered_request.lines.get(), [
        (s1, "113", date(Y, 12, 31)), (s2, "120", date(Y, 12, 31)), (s3, "130", date(Y, 2, 1))],
        awarded_on=date(Y, 3, 1))                                   # s3's quotation expired before the award
    a = f.order(org, supplier=s1, project=p1, signed_on=date(Y, 3, 10), lines=[
        {"qty": 10, "price": "113", "rate": 13, "category": "hardware", "promised_on": date(Y, 3, 20),
         "sourcing_line": sourced},                                                   # 1130.00 / 1000.00
        {"qty": 2, "price": "106", "rate": 6, "category": "software", "promised_on": date(Y, 3, 25)}])  # 212 / 200
    b = f.order(org, supplier=s2, project=p2, owner="phead1", invoice_type="vat_ordinary", signed_on=date(Y, 4, 5),
                lines=[{"qty": 2, "price": "2500", "rate": 6, "category": "service", "promised_on": date(Y, 4, 10)},
                       {"qty": 4, "price": "250", "rate": 6, "category": "service"}])        # 5000.00 + 1000.00
    c = f.order(org, supplier=s2, status="approved", lines=[{"qty": 3, "price": "100", "rate": 13}])  # 300.00
    x = f.order(org, supplier=s1, project=p1, status="cancelled", signed_on=date(Y, 3, 1),
                lines=[{"qty": 1, "price": "9999", "rate": 13, "promised_on": date(Y, 3, 2)}])
    la1, la2 = f.lines_of(a)
    lb1, lb2 = f.lines_of(b)
    f.receipt(org, a, {la1: 10}, accepted_on=date(Y, 3, 18))         # on time
    f.receipt(org, a, {la2: 2}, accepted_on=date(Y, 3, 28))          # late
    f.receipt(org, b, {lb1: 2, lb2: 1}, accepted_on=date(Y, 4, 9))   # on time; 3 of lb2 still open
    f.invoice(org, s1, [(la1, 10, "1130.00", 13)])
    f.budget(org, p1, "1000.00", revision=1, status="superseded")
    f.budget(org, p1, "2000.00", revision=2)
    f.request(org, p1, "500.00")                                     # approved, not ordered
    f.contract(org, p1, "113000.00", tax_rate="13")                  # revenue excl. 100,000.00
    today = date.today()
    f.payment(org, a, "100.00", status="approved", due_on=today - timedelta(days=10))   # 1–30 days, SME
    f.payment(org, b, "200.00", status="approved", due_on=today + timedelta(days=3))    # not due, due soon
    f.payment(org, b, "300.00", status="approved", due_on=today - timedelta(days=100))  # 91–180 days
    f.payment(org, a, "400.00")                                                          # paid
    f.evaluation(org, a, 90, "A", on=date(Y, 6, 1))
    f.evaluation(org, b, 60, "C", on=date(Y, 6, 2))
    f.evaluation(org, x, 10, "D", on=date(Y, 6, 3))                  # a cancelled order's: still an evaluation
    return {"p1": p1, "p2": p2, "s1": s1, "s2": s2, "a": a, "b": b, "c": c, "x": x}


@pytest.fixture
def world(org):
    return build(org)


def rows(items, field="amount"):
    return {r["key"]: r[field] for r in items}


def test_spend_counts_signed_orders_by_category_supplier_project_month(org, world):
    got = compute("spend", actor=org["admin"], period=PERIOD)
    assert got["total"] == D("7342.00") and got["orders"] == 2
    assert rows(got["by_category"]) == {"hardware": D("1130.00"), "software": D("212.00"), "service": D("6000.00")}
    assert rows(got["by_supplier"]) == {world["s1"].pk: D("1342.00"), world["s2"].pk: D("6000.00")}
    assert rows(got["by_project"]) == {world["p1"].pk: D("1342.00"), world["p2"].pk: D("6000.00")}
    months = rows(got["by_month"])
    assert len(months) == 12 and months[f"{Y}-03"] == D("1342.00") and months[f"{Y}-04"] == D("6000.00")
    assert got["by_supplier"][0]["label"] == "乙供应商"                # largest first
    assert compute("spend", actor=org["admin"], period=Period(date(Y, 4, 1), date(Y, 4, 30)))["total"] == D(
        "6000.00")


@pytest.mark.parametrize("user, total", [
    ("phead1", "7342.00"), ("ceo1", "7342.00"), ("finance1", "7342.00"), ("market1", "7342.00"),
    ("buyer1", "1342.00"),      # his own orders (A; C is not signed)
    ("head1", "1342.00"),       # P1 is in his department
    ("head2", "6000.00"),       # P2
])
def test_spend_scope_per_role(org, world, user, total):
    assert compute("spend", actor=org[user], period=PERIOD)["total"] == D(total)


@pytest.mark.parametrize("user", ["rep1", "lead1", "assistant1", "keeper1", "legal1"])
def test_others_are_refused(org, world, user):
    for name in dashboards.FIGURES:
        with pytest.raises(PermissionDenied):
            compute(name, actor=org[user], period=PERIOD)


def test_savings_against_the_highest_valid_quotation_and_the_budget(org, world):
    got = compute("savings", actor=org["admin"], period=PERIOD)
    q = got["vs_quotation"]
    assert (q["highest"], q["awarded"], q["saving"], q["lines"]) == (D("1200.00"), D("1130.00"), D("70.00"), 1)
    assert q["rate"] == 5.83 and rows(q["by_supplier"], "saving") == {world["s1"].pk: D("70.00")}
    b = got["vs_budget"]
    # P1's approved budget (revision 2) against its orders at line cost (deductible: 1000.00 + 200.00)
    assert (b["budget"], b["ordered"], b["saving"], b["rate"]) == (D("2000.00"), D("1200.00"), D("800.00"), 40.0)
    assert [r["key"] for r in b["by_project"]] == [world["p1"].pk]
    assert compute("savings", actor=org["head2"], period=PERIOD)["vs_budget"]["by_project"] == []


def test_on_time_rate(org, world):
    got = compute("on-time", actor=org["admin"], period=PERIOD)
    assert (got["due"], got["on_time"], got["late"], got["rate"]) == (3, 2, 1, 66.67)
    by = {r["key"]: (r["due"], r["on_time"], r["rate"]) for r in got["by_supplier"]}
    assert by == {world["s1"].pk: (2, 1, 50.0), world["s2"].pk: (1, 1, 100.0)}
    assert compute("on-time", actor=org["buyer1"], period=PERIOD)["due"] == 2


def test_scorecards(org, world):
    got = compute("scorecard", actor=org["admin"], period=PERIOD)
    by = {r["key"]: (r["count"], r["average"], r["grade"], r["latest_grade"]) for r in got["suppliers"]}
    assert by == {world["s1"].pk: (2, D("50.00"), "C", "D"), world["s2"].pk: (1, D("60.00"), "C", "C")}
    assert got["evaluations"] == 3
    mine = compute("scorecard", actor=org["buyer1"], period=PERIOD)["suppliers"]   # A and X are his
    assert [(r["count"], r["average"]) for r in mine] == [(2, D("50.00"))]
    assert compute("scorecard", actor=org["admin"], period=Period(date(Y, 7, 1), date(Y, 7, 31)))[
        "suppliers"] == []


def test_open_commitments(org, world):
    got = compute("commitments", actor=org["admin"], period=PERIOD)
    assert (got["open_orders"], got["requests_estimate"], got["total"], got["orders"]) == (
        D("1050.00"), D("500.00"), D("1550.00"), 2)
    assert rows(got["by_supplier"]) == {world["s2"].pk: D("1050.00")}
    assert rows(got["by_project"]) == {world["p2"].pk: D("750.00"), None: D("300.00")}
    buyer = compute("commitments", actor=org["buyer1"], period=PERIOD)
    assert (buyer["open_orders"], buyer["requests_estimate"]) == (D("300.00"), D("0.00"))
    head = compute("commitments", actor=org["head1"], period=PERIOD)
    assert (head["open_orders"], head["requests_estimate"]) == (D("0.00"), D("500.00"))


def test_payables_ageing(org, world):
    got = compute("payables-ageing", actor=org["admin"], period=PERIOD)
    buckets = {b["bucket"]: (b["count"], b["amount"]) for b in got["buckets"]}
    assert buckets == {"not_due": (1, D("200.00")), "0-30": (1, D("100.00")), "31-90": (0, D("0.00")),
                       "91-180": (1, D("300.00")), "180+": (0, D("0.00"))}
    assert (got["total"], got["overdue_count"], got["overdue_amount"]) == (D("600.00"), 2, D("400.00"))
    assert got["due_soon"] == {"count": 1, "amount": D("200.00")}
    assert got["sme_overdue"] == {"count": 1, "amount": D("100.00")}
    assert compute("payables-ageing", actor=org["buyer1"], period=PERIOD)["total"] == D("100.00")


def test_project_costs_and_margin(org, world):
    got = {r["key"]: r for r in compute("project-costs", actor=org["admin"], period=PERIOD)["projects"]}
    p1, p2 = got[world["p1"].pk], got[world["p2"].pk]
    assert (p1["budget"], p1["committed"], p1["received"], p1["invoiced"], p1["paid"]) == (
        D("2000.00"), D("1700.00"), D("1342.00"), D("1130.00"), D("400.00"))
    assert (p1["revenue_excl"], p1["margin"], p1["margin_pct"], p1["over_budget"]) == (
        D("100000.00"), D("98300.00"), 98.3, False)
    assert (p2["budget"], p2["committed"], p2["received"], p2["invoiced"], p2["paid"]) == (
        None, D("6000.00"), D("5250.00"), D("0.00"), D("0.00"))
    assert (p2["revenue_excl"], p2["margin"]) == (None, None)
    assert set(got) == {world["p1"].pk, world["p2"].pk}
    head2 = compute("project-costs", actor=org["head2"], period=PERIOD)["projects"]
    assert [r["key"] for r in head2] == [world["p2"].pk]


def test_the_period_is_checked():
    with pytest.raises(Invalid) as refused:
        dashboards.parse_period("2026-02-01", "2026-01-01")
    assert "to" in refused.value.fields
    with pytest.raises(Invalid) as refused:
        dashboards.parse_period("yesterday")
    assert "from" in refused.value.fields
    assert dashboards.parse_period(None, None, today=date(2026, 5, 5)) == Period(date(2026, 1, 1),
                                                                                 date(2026, 12, 31))
