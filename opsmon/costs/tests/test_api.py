"""The margin, the project cost card and the dashboards through real HTTP: numbers as strings, scope (404 for a
contract the caller does not see, 403 for a dashboard he may not open, 401 anonymous), the period's 422."""

import pytest

from . import factories as f
from .test_dashboards import PERIOD, build

pytestmark = pytest.mark.django_db(transaction=True)

QUERY = f"?from={PERIOD.date_from.isoformat()}&to={PERIOD.date_to.isoformat()}"


def test_contract_margin_and_project_cost(http, org):
    p = f.project(org)
    s = f.supplier(org)
    c = f.contract(org, p, "1130000.00", tax_rate="13")
    o = f.order(org, supplier=s, project=p, contract=c, lines=[{"qty": 10, "price": "113", "rate": 13}])
    (line,) = f.lines_of(o)
    f.receipt(org, o, {line: 4})
    f.invoice(org, s, [(line, 4, "452.00", 13)])
    f.payment(org, o, "300.00")
    answer = http("rep1").get(f"/api/v1/contracts/{c.pk}/margin")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "contract_id": c.pk, "currency": "CNY", "basis": "project", "revenue_excl": "1000000.00",
        "cost_expected": "1000.00", "cost_actual": "400.00", "margin": "999000.00", "margin_pct": 99.9,
        "margin_actual": "999600.00", "margin_actual_pct": 99.96, "requests_estimate": "0.00"}
    assert http("market1").get(f"/api/v1/contracts/{c.pk}/margin").status_code == 200   # aggregates: he may
    assert http("rep2").get(f"/api/v1/contracts/{c.pk}/margin").status_code == 404
    assert http("buyer1").get(f"/api/v1/contracts/{c.pk}/margin").status_code == 404
    assert http("rep1").get("/api/v1/contracts/999999/margin").status_code == 404
    assert http().get(f"/api/v1/contracts/{c.pk}/margin").status_code == 401

    cost = http("rep1").get(f"/api/v1/projects/{p.pk}/cost")
    assert cost.status_code == 200, cost.text
    body = cost.json()
    assert (body["received"], body["invoiced"], body["paid"]) == ("452.00", "452.00", "300.00")
    hardware = next(r for r in body["by_category"] if r["category"]["code"] == "hardware")
    assert (hardware["received"], hardware["paid"]) == ("452.00", "300.00")


def test_dashboards_over_http(http, org):
    world = build(org)
    admin, buyer = http("admin"), http("buyer1")
    spend = admin.get(f"/api/v1/insights/spend{QUERY}")
    assert spend.status_code == 200, spend.text
    body = spend.json()
    assert body["total"] == "7342.00" and body["period"] == {"from": PERIOD.date_from.isoformat(),
                                                              "to": PERIOD.date_to.isoformat()}
    assert {r["key"]: r["amount"] for r in body["by_category"]} == {"hardware": "1130.00", "software": "212.00",
                                                                    "service": "6000.00"}
    assert buyer.get(f"/api/v1/insights/spend{QUERY}").json()["total"] == "1342.00"
    savings = admin.get(f"/api/v1/insights/savings{QUERY}").json()
    assert savings["vs_quotation"]["saving"] == "70.00" and savings["vs_budget"]["saving"] == "800.00"
    assert admin.get(f"/api/v1/insights/on-time{QUERY}").json()["rate"] == 66.67
    cards = admin.get(f"/api/v1/insights/scorecard{QUERY}").json()["suppliers"]
    assert {c["key"]: c["grade"] for c in cards} == {world["s1"].pk: "C", world["s2"].pk: "C"}
    assert admin.get("/api/v1/insights/commitments").json()["total"] == "1550.00"
    ageing = admin.get("/api/v1/insights/payables-ageing").json()
    assert ageing["overdue_amount"] == "400.00" and ageing["sme_overdue"] == {"count": 1, "amount": "100.00"}
    projects = {r["key"]: r for r in admin.get("/api/v1/insights/project-costs").json()["projects"]}
    assert projects[world["p1"].pk]["margin"] == "98300.00" and projects[world["p2"].pk]["margin"] is None

    for name in ("spend", "savings", "on-time", "scorecard", "commitments", "payables-ageing", "project-costs"):
        assert http("rep1").get(f"/api/v1/insights/{name}").status_code == 403, name
        assert http().get(f"/api/v1/insights/{name}").status_code == 401, name
        assert http("finance1").get(f"/api/v1/insights/{name}").status_code == 200, name
    bad = admin.get("/api/v1/insights/spend?from=2026-02-01&to=2026-01-01")
    assert bad.status_code == 422 and "to" in bad.json()["error"]["fields"]
    assert admin.get("/api/v1/insights/spend?from=nonsense").status_code == 422
