"""The procurement analysis page (numbers, click-through links, scope, the period bar), its nav link, and the
margin section of the contract page."""

import pytest
from django.urls import reverse

from opsmon.accounts.roles import Role

from . import factories as f
from .test_dashboards import PERIOD, build

pytestmark = pytest.mark.django_db

URL = "/procurement/costs/"
QUERY = {"from": PERIOD.date_from.isoformat(), "to": PERIOD.date_to.isoformat()}


def test_dashboard_page_numbers_and_links(browser, org):
    world = build(org)
    page = browser("phead1").get(URL, QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="card-spend"' in html and 'data-costs-chart="spend-by-month"' in html
    assert "7,342.00" in html                                          # spend total
    assert f'/procurement/orders/?supplier={world["s2"].pk}&amp;signed_from={QUERY["from"]}' in html
    assert "/procurement/orders/?category=hardware" in html
    assert "/procurement/payments/?status=approved&amp;due_from=" in html
    assert f'/procurement/orders/?supplier={world["s1"].pk}"' in html          # the scorecard's row
    assert "98,300.00" in html                                         # P1's margin
    assert 'data-testid="period-presets"' in html and 'vendor/echarts/echarts.min.js' in html
    assert "cdn" not in html.lower()


def test_click_through_lists_exactly_the_counted_orders(browser, org):
    """The supplier bar opens the order list narrowed to that supplier and period (core.lists filters)."""
    from opsmon.purchasing.models import PurchaseOrder
    world = build(org)
    client = browser("phead1")
    listed = client.get("/procurement/orders/", {"supplier": world["s2"].pk, "signed_from": QUERY["from"],
                                                 "signed_to": QUERY["to"]}).content.decode()
    theirs = PurchaseOrder.objects.filter(supplier=world["s2"])
    others = PurchaseOrder.objects.exclude(supplier=world["s2"])
    assert theirs.exists() and all(o.number in listed for o in theirs.filter(
        signed_on__range=(PERIOD.date_from, PERIOD.date_to)))
    assert not any(o.number in listed for o in others)


def test_dashboard_scope_and_market_head_aggregates(browser, org):
    build(org)
    mine = browser("buyer1").get(URL, QUERY).content.decode()
    assert "1,342.00" in mine and "7,342.00" not in mine
    market = browser("market1").get(URL, QUERY).content.decode()
    assert "7,342.00" in market and "/procurement/orders/?" not in market   # aggregates only: no records
    assert browser("rep1").get(URL).status_code == 403


def test_bad_period_is_shown_on_the_form(browser, org):
    page = browser("admin").get(URL, {"from": "2026-03-01", "to": "2026-01-01"})
    assert page.status_code == 200
    assert "invalid-feedback" in page.content.decode()


def test_nav_link_for_those_who_may_see_it(browser, org):
    assert 'href="/procurement/costs/"' in browser("finance1").get("/").content.decode()
    assert 'href="/procurement/costs/"' not in browser("rep1").get("/").content.decode()
    assert reverse("costs:dashboard") == URL
    assert org["buyer1"].has_role(Role.PURCHASER)


def test_contract_page_loads_the_margin(browser, org):
    p = f.project(org)
    s = f.supplier(org)
    c = f.contract(org, p, "1130000.00", tax_rate="13")
    f.order(org, supplier=s, project=p, contract=c, lines=[{"qty": 10, "price": "113", "rate": 13}])
    section = f"/procurement/costs/contracts/{c.pk}/margin/"
    page = browser("rep1").get(f"/contracts/{c.pk}/")
    assert page.status_code == 200 and f'hx-get="{section}"' in page.content.decode()
    html = browser("rep1").get(section).content.decode()
    assert 'data-testid="contract-margin"' in html
    assert "1,000,000.00" in html and "999,000.00" in html and "1,000.00" in html
    assert 'data-testid="margin-order"' in html or 'data-testid="margin-others"' in html  # as he may open it
    market = browser("market1").get(section)
    assert market.status_code == 200 and "999,000.00" in market.content.decode()
    assert 'data-testid="margin-order"' not in market.content.decode()
    assert browser("rep2").get(section).status_code == 404
    assert browser("rep2").get(f"/contracts/{c.pk}/").status_code == 404
    draft = f.contract(org, p, "100.00", status="drafting")
    assert browser("rep1").get(f"/procurement/costs/contracts/{draft.pk}/margin/").content == b""
