"""/api/v1/insights through real HTTP: the figures as JSON, scoped to the caller, refusals, and Excel."""

import io

import pytest
from openpyxl import load_workbook

from . import world

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = "from=2025-01-01&to=2025-12-31"


@pytest.fixture
def w(org):
    return world.build(org)


def test_funnel_as_json_with_money_as_strings(http, w):
    body = http("market1").get(f"/api/v1/insights/funnel?{YEAR}").json()
    assert body["currency"] == "CNY"
    assert body["period"] == {"from": "2025-01-01", "to": "2025-12-31"}
    assert body["department"] is None
    assert [(s["stage"], s["count"], s["amount"], s["rate"]) for s in body["stages"]] == [
        ("opportunities", 7, "5300000.50", None), ("projects", 3, "2100000.00", 42.9),
        ("bids", 5, "2870000.00", 166.7), ("won", 2, "1800000.00", 40.0), ("contracts", 2, "1800000.00", 100.0)]


def test_every_figure_answers_and_is_scoped_to_the_caller(http, org, w):
    market, rep1, head2 = http("market1"), http("rep1"), http("head2")
    win = market.get(f"/api/v1/insights/win-rate?{YEAR}").json()
    assert win["total"]["win_rate"] == 66.7
    assert win["competitors"][0] == {"bidder": world.JIA, "met": 3, "beaten": 2, "beat_rate": 66.7, "they_won": 1,
                                     "average_gap": "-16666.67", "gap_pct": -2.3}
    assert rep1.get(f"/api/v1/insights/win-rate?{YEAR}").json()["total"]["finished"] == 1
    pipeline = market.get(f"/api/v1/insights/pipeline?{YEAR}").json()
    assert pipeline["total"] == {"count": 3, "amount": "2600000.50", "weighted": "1715000.13"}
    assert head2.get(f"/api/v1/insights/pipeline?{YEAR}").json()["total"]["weighted"] == "90000.00"
    bonds = market.get("/api/v1/insights/bonds").json()
    assert bonds["money_out_total"] == "115000.00"
    assert head2.get("/api/v1/insights/bonds").json()["money_out_total"] == "85000.00"
    deadlines = market.get("/api/v1/insights/deadlines?from=2025-10-01&to=2025-10-31").json()
    assert deadlines["counts"] == {"bid_deadline": 1, "bid_opening": 2, "contract_end": 1}
    assert deadlines["items"][0]["at"].startswith("2025-10-10T10:00:00+08:00")
    assert deadlines["items"][-1]["at"] == "2025-10-25"
    signed = market.get(f"/api/v1/insights/signed-by-month?{YEAR}").json()
    assert signed["total"] == {"count": 2, "amount": "1800000.00", "last_count": 1, "last_amount": "400000.00",
                               "change_pct": 350.0}
    dept2 = org["rep2"].department.pk
    assert rep1.get(f"/api/v1/insights/funnel?{YEAR}&department={dept2}").json()["stages"][0]["count"] == 0
    by_dept = market.get(f"/api/v1/insights/funnel?{YEAR}&department={dept2}").json()
    assert by_dept["department"] == {"id": dept2, "name": "销售二部"}
    assert by_dept["stages"][0]["count"] == 3


def test_the_browser_session_reads_the_figures_too(http, w):
    browser = http()
    browser.login_session("head1")
    assert browser.get(f"/api/v1/insights/funnel?{YEAR}").json()["stages"][0]["count"] == 4


@pytest.mark.parametrize("query, fields", [
    ("from=2025-13-01", {"from"}),
    ("from=2025-05-01&to=2025-04-01", {"to"}),
    ("department=abc", {"department"}),
    ("department=999999", {"department"}),
    ("currency=XXX", {"currency"}),
    ("from=2000-01-01&to=2025-01-01", {"to"}),
])
def test_bad_filters_are_422_naming_the_field(http, org, query, fields):
    response = http("market1").get(f"/api/v1/insights/funnel?{query}")
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid" and set(error["fields"]) == fields


def test_deadlines_look_at_most_a_year_ahead(http, org):
    response = http("market1").get("/api/v1/insights/deadlines?from=2025-01-01&to=2026-06-30")
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"to"}
    assert http("market1").get("/api/v1/insights/deadlines").status_code == 200  # the next 30 days


def test_anonymous_callers_get_401(http, org):
    response = http().get("/api/v1/insights/funnel")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"
    assert http().get("/api/v1/insights/funnel/export.xlsx").status_code == 401


def test_unknown_figure_export_is_422(http, org):
    assert http("market1").get("/api/v1/insights/nonsense/export.xlsx").status_code == 422


def sheet_rows(ws):
    return [tuple(c for c in row) for row in ws.iter_rows(values_only=True)]


def test_funnel_exports_to_excel_with_numbers(http, w):
    response = http("market1").get(f"/api/v1/insights/funnel/export.xlsx?{YEAR}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert 'filename="funnel.xlsx"' in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 1
    rows = sheet_rows(wb.active)
    stage_rows = [r for r in rows if r and isinstance(r[1], int)]
    assert [(r[1], r[2], r[3]) for r in stage_rows] == [(7, 5300000.5, None), (3, 2100000.0, 42.9),
                                                        (5, 2870000.0, 166.7), (2, 1800000.0, 40.0),
                                                        (2, 1800000.0, 100.0)]
    assert wb.active["C" + str(rows.index(stage_rows[0]) + 1)].number_format == "#,##0.00"


def test_export_of_every_figure_is_scoped_like_the_json(http, w):
    response = http("rep1").get(f"/api/v1/insights/export.xlsx?{YEAR}")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 6
    funnel = [r for r in sheet_rows(wb.worksheets[0]) if r and isinstance(r[1], int)]
    assert funnel[0][1:3] == (3, 3500000.5)  # rep1: O1, O2, O3
    competitors = sheet_rows(wb.worksheets[1])
    assert any(r and r[0] == world.JIA and r[1] == 1 for r in competitors)


def test_win_rate_export_lists_competitors_with_the_gap(http, w):
    response = http("market1").get(f"/api/v1/insights/win-rate/export.xlsx?{YEAR}")
    rows = sheet_rows(load_workbook(io.BytesIO(response.content)).active)
    jia = next(r for r in rows if r and r[0] == world.JIA)
    assert jia[:7] == (world.JIA, 3, 2, 66.7, 1, -16666.67, -2.3)


def test_openapi_documents_the_insights(http, org):
    schema = http().get("/api/v1/openapi.json").json()
    for path in ("funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"):
        operation = schema["paths"][f"/api/v1/insights/{path}"]["get"]
        assert {p["name"] for p in operation["parameters"]} >= {"from", "to", "department", "currency"}
        assert {"200", "401", "422"} <= set(operation["responses"])
