"""A project's received / invoiced / paid (its cost card through procurement.selectors.cost_of) and a contract's
margin: deductible vs not, the project with one signed contract vs two, the commitment vs the actual cost."""

from decimal import Decimal

import pytest

from opsmon.costs import figures as cost_figures
from opsmon.costs.margin import margin_of
from opsmon.procurement import selectors as procurement_selectors

from . import factories as f

pytestmark = pytest.mark.django_db

D = f.D


@pytest.fixture
def world(org):
    p = f.project(org)
    s1, s2 = f.supplier(org, sme=True), f.supplier(org)
    a = f.order(org, supplier=s1, project=p, lines=[
        {"qty": 10, "price": "113", "rate": 13, "category": "hardware"},     # 1130.00 / 1000.00
        {"qty": 2, "price": "106", "rate": 6, "category": "software"}])      # 212.00 / 200.00
    l1, l2 = f.lines_of(a)
    f.receipt(org, a, {l1: (6, 1)})                                         # 6 × 113 = 678.00
    f.receipt(org, a, {l2: 2}, status="inspecting")                         # not accepted yet
    f.invoice(org, s1, [(l1, 4, "452.00", 13)])                             # verified
    f.invoice(org, s1, [(l1, 2, "226.00", 13)], status="matched")
    f.invoice(org, s1, [(l2, 2, "212.00", 6)], status="submitted")          # not matched: not counted
    f.invoice(org, s1, [(l2, 2, "212.00", 6)], status="cancelled")
    f.payment(org, a, "500.00")
    f.payment(org, a, "100.00", status="approved")
    cancelled = f.order(org, supplier=s2, project=p, status="cancelled", lines=[
        {"qty": 1, "price": "999", "rate": 13}])
    f.payment(org, cancelled, "999.00")                                     # a cancelled order counts nothing
    return {"project": p, "a": a, "s1": s1, "s2": s2}


def test_project_figures_received_invoiced_paid(org, world):
    got = cost_figures.figures(project=world["project"])
    assert (got["received"], got["invoiced"], got["paid"]) == (D("678.00"), D("678.00"), D("500.00"))
    # the payment splits by the order's lines: 500 × 1130/1342 and 500 × 212/1342
    assert got["by_category"]["hardware"] == {"received": D("678.00"), "invoiced": D("678.00"), "paid": D("421.01")}
    assert got["by_category"]["software"] == {"received": D("0.00"), "invoiced": D("0.00"), "paid": D("78.99")}


def test_cost_of_merges_the_hook(org, world):
    cost = procurement_selectors.cost_of(world["project"])
    assert (cost["received"], cost["invoiced"], cost["paid"]) == (D("678.00"), D("678.00"), D("500.00"))
    rows = {r["category"]: r for r in cost["by_category"]}
    assert rows["hardware"]["received"] == D("678.00") and rows["software"]["paid"] == D("78.99")


def test_no_orders_no_money(org):
    p = f.project(org)
    got = cost_figures.figures(project=p)
    assert (got["received"], got["invoiced"], got["paid"], got["by_category"]) == (0, 0, 0, {})


@pytest.fixture
def contracted(org):
    p = f.project(org)
    s1, s2 = f.supplier(org), f.supplier(org)
    c1 = f.contract(org, p, "1130000.00", tax_rate="13")                   # revenue excl. 1,000,000.00
    a = f.order(org, supplier=s1, project=p, contract=c1, invoice_type="vat_special", lines=[
        {"qty": 10, "price": "113", "rate": 13}])                            # deductible: costs 1000.00
    b = f.order(org, supplier=s2, project=p, invoice_type="vat_ordinary", lines=[
        {"qty": 10, "price": "106", "rate": 6}])                             # not deductible: costs 1060.00
    f.order(org, supplier=s2, project=p, status="draft", lines=[{"qty": 1, "price": "5000", "rate": 13}])
    f.order(org, supplier=s2, project=p, status="cancelled", lines=[{"qty": 1, "price": "7000", "rate": 13}])
    f.request(org, p, "500.00")                                              # approved, not ordered: 500.00
    f.request(org, p, "800.00", status="ordered")                            # ordered: its orders count instead
    f.request(org, p, "900.00", status="submitted")                          # not approved: nothing
    (la,), (lb,) = f.lines_of(a), f.lines_of(b)
    f.receipt(org, a, {la: 6})
    f.invoice(org, s1, [(la, 4, "452.00", 13)])                              # 4 invoiced: excl 400.00
    f.receipt(org, b, {lb: 5})                                               # 5 × 106 = 530.00 incl
    return {"project": p, "c1": c1, "a": a, "b": b, "s2": s2}


def test_margin_with_the_projects_one_signed_contract(org, contracted):
    m = margin_of(contracted["c1"])
    assert m["basis"] == "project"
    assert m["revenue_excl"] == D("1000000.00")
    assert m["cost_expected"] == D("2560.00")               # 1000.00 + 1060.00 + 500.00
    assert m["requests_estimate"] == D("500.00")
    # actual: a: 400.00 invoiced (excl) + 2 accepted not invoiced × 100.00 excl; b: 530.00 accepted (incl)
    assert m["cost_actual"] == D("1130.00")
    assert m["margin"] == D("997440.00") and m["margin_pct"] == 99.74
    assert m["margin_actual"] == D("998870.00") and m["margin_actual_pct"] == 99.89
    assert {row["order"].pk: row["expected"] for row in m["orders"]} == {
        contracted["a"].pk: D("1000.00"), contracted["b"].pk: D("1060.00")}


def test_margin_with_two_signed_contracts_counts_only_linked_orders(org, contracted):
    f.contract(org, contracted["project"], "200000.00", tax_rate="6")
    m = margin_of(contracted["c1"])
    assert m["basis"] == "contract"
    assert (m["cost_expected"], m["cost_actual"]) == (D("1000.00"), D("600.00"))
    assert m["margin"] == D("999000.00") and m["margin_pct"] == 99.9


def test_an_unsigned_contract_counts_only_its_own_orders(org, contracted):
    draft = f.contract(org, contracted["project"], "100.00", tax_rate=None, status="drafting")
    m = margin_of(draft)
    assert m["basis"] == "contract" and m["revenue_excl"] == D("100.00")     # no tax rate: the amount
    assert (m["cost_expected"], m["cost_actual"], m["orders"]) == (D("0.00"), D("0.00"), [])


def test_deductible_follows_the_code_table(org, contracted):
    from opsmon.codes.models import CodeItem

    CodeItem.objects.filter(table__name="invoice_type", code="vat_ordinary").update(value="1")
    m = margin_of(contracted["c1"])
    assert m["cost_expected"] == D("2500.00")               # b now costs 1000.00 excl.
    assert m["cost_actual"] == D("1100.00")                 # b's 530.00 incl → 500.00 excl


def test_dropped_quantity_leaves_the_commitment(org, contracted):
    line = contracted["b"].lines.get()
    line.dropped_qty = Decimal("4")
    line.save()
    assert margin_of(contracted["c1"])["cost_expected"] == D("2136.00")  # b: 6 × 106 = 636.00


def test_request_estimates_count_each_line_until_an_approved_order_holds_it(org, contracted):
    p = contracted["project"]
    twin = f.request(org, p, "500.00")                                       # same amount: counted again
    assert margin_of(contracted["c1"])["requests_estimate"] == D("1000.00")
    awarded = f.request(org, p, "300.00", status="awarded")
    f.order(org, supplier=contracted["s2"], project=p, status="draft", lines=[
        {"qty": 1, "price": "300", "rate": 13, "request_line": awarded.lines.get()}])
    assert margin_of(contracted["c1"])["requests_estimate"] == D("1300.00")  # a draft order commits nothing
    held = f.order(org, supplier=contracted["s2"], project=p, status="approved", lines=[
        {"qty": 1, "price": "500", "rate": 13, "request_line": twin.lines.get()}])
    m = margin_of(contracted["c1"])
    assert m["requests_estimate"] == D("800.00")                             # the twin is the order's now
    assert m["cost_expected"] == D("2560.00") + D("300.00") + held.total_excl
