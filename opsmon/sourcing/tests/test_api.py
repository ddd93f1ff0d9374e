"""Sourcings through real HTTP: create → open → quotations (JSON and multipart with a file) → evaluate →
comparison (JSON and .xlsx) → award → submit → approve; the sealed prices; scope (404); refusals' statuses and
fields."""

import json
from datetime import timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from opsmon.suppliers.tests.factories import PDF

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    f.routes()
    return org


def _quote(client, sid, supplier_id, lines, prices, **extra):
    return client.post(f"/api/v1/sourcings/{sid}/quotations", json={
        "supplier_id": supplier_id, "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "delivery_days": 10, "lines": [{"request_line_id": line, "unit_price": p, "tax_rate": "13"}
                                       for line, p in zip(lines, prices, strict=True)], **extra})


def test_sourcing_round_trip_with_sealed_prices(http, org):
    request = f.approved_request(org)
    invited = f.suppliers(org)
    buyer, head, ceo, rep = http("buyer1"), http("phead1"), http("ceo1"), http("rep1")
    lines = f.line_ids(request)
    body = {"method": "inquiry", "request_line_ids": lines, "supplier_ids": [s.pk for s in invited],
            "deadline": f.soon().isoformat()}
    assert rep.post("/api/v1/sourcings", json=body).status_code == 403
    created = buyer.post("/api/v1/sourcings", json=body)
    assert created.status_code == 201, created.text
    s = created.json()
    sid = s["id"]
    assert s["number"].startswith("XJ-") and s["status"] == "draft" and s["estimate"] == "35000.01"
    assert s["method"]["code"] == "inquiry" and s["min_quotations"] == 3 and len(s["invitations"]) == 3
    assert s["allowed_actions"] == ["open", "cancel"]
    assert rep.get(f"/api/v1/sourcings/{sid}").status_code == 404
    assert rep.get(f"/api/v1/sourcings/{sid}/quotations").status_code == 404
    assert [x["id"] for x in rep.get("/api/v1/sourcings").json()["items"]] == []
    assert [x["id"] for x in head.get("/api/v1/sourcings").json()["items"]] == [sid]
    assert rep.get(f"/api/v1/purchase-requests/{request.pk}").json()["status"] == "sourcing"

    assert buyer.post(f"/api/v1/sourcings/{sid}/open", json={}).json()["status"] == "open"
    quoted = _quote(buyer, sid, invited[0].pk, lines, ["14000", "3400"])
    assert quoted.status_code == 201, quoted.text
    assert quoted.json()["total"] == "33100.00" and quoted.json()["lines"][0]["unit_price"] == "14000.0000"
    multipart = buyer.post(f"/api/v1/sourcings/{sid}/quotations", data={
        "supplier_id": invited[1].pk, "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "delivery_days": "5", "lines": json.dumps([{"request_line_id": line, "unit_price": p, "tax_rate": "13"}
                                              for line, p in zip(lines, ("14500", "3100"), strict=True)])},
        files={"file": ("quote.pdf", PDF, "application/pdf")})
    assert multipart.status_code == 201, multipart.text
    assert multipart.json()["file"]["name"] == "quote.pdf"
    bad = _quote(buyer, sid, invited[2].pk, lines, ["-1", "abc"])
    assert bad.status_code == 422
    unknown = buyer.post(f"/api/v1/sourcings/{sid}/quotations", json={"supplier_id": invited[2].pk,
                                                                       "colour": "red"})
    assert unknown.status_code == 422
    # sealed: the procurement head and the executive see who quoted, not the prices
    for client in (head, ceo):
        answer = client.get(f"/api/v1/sourcings/{sid}/quotations").json()
        assert len(answer) == 2 and all(q["total"] is None and q["file"] is None for q in answer)
        assert all(line["unit_price"] is None for q in answer for line in q["lines"])
        table = client.get(f"/api/v1/sourcings/{sid}/comparison").json()
        assert table["prices_visible"] is False
        assert all(c["unit_price"] is None and not c["lowest"] for row in table["lines"] for c in row["cells"])
        assert client.get(f"/api/v1/sourcings/{sid}/comparison.xlsx").status_code == 403
    early = buyer.post(f"/api/v1/sourcings/{sid}/evaluate", json={})
    assert early.status_code == 409
    assert _quote(buyer, sid, invited[2].pk, lines, ["15000", "3300"]).status_code == 201
    evaluated = buyer.post(f"/api/v1/sourcings/{sid}/evaluate", json={})
    assert evaluated.status_code == 200 and evaluated.json()["status"] == "evaluating"

    table = head.get(f"/api/v1/sourcings/{sid}/comparison").json()
    assert table["prices_visible"] is True
    lowest = [[c["unit_price"] for c in row["cells"] if c["lowest"]] for row in table["lines"]]
    assert lowest == [["14000.0000"], ["3100.0000"]]
    for path in (f"/api/v1/sourcings/{sid}/comparison.xlsx", f"/api/v1/sourcings/{sid}/comparison?format=xlsx"):
        xlsx = head.get(path)
        assert xlsx.status_code == 200 and xlsx.headers["Content-Type"].startswith("application/vnd.openxml")
        ws = load_workbook(BytesIO(xlsx.content)).active
        assert not [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    picks = [{"request_line_id": row["request_line_id"],
              "quotation_line_id": next(c["quotation_line_id"] for c in row["cells"] if c["lowest"])}
             for row in table["lines"]]
    not_lowest = buyer.put(f"/api/v1/sourcings/{sid}/award", json={"lines": [
        {**picks[0], "quotation_line_id": table["lines"][0]["cells"][2]["quotation_line_id"]}, picks[1]]})
    assert not_lowest.status_code == 422 and "lines.1.reason_not_lowest" in not_lowest.json()["error"]["fields"]
    awarded = buyer.put(f"/api/v1/sourcings/{sid}/award", json={"lines": picks})
    assert awarded.status_code == 200, awarded.text
    assert awarded.json()["warnings"] == [] and awarded.json()["sourcing"]["awarded_total"] == "32650.00"
    submitted = buyer.post(f"/api/v1/sourcings/{sid}/submit-award", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "award_review"
    step = submitted.json()["current_step"]["id"]
    assert buyer.post(f"/api/v1/sourcings/{sid}/reviews/{step}/approve", json={}).status_code == 403
    assert head.post(f"/api/v1/sourcings/{sid}/reviews/{step}/return", json={}).status_code == 422
    approved = head.post(f"/api/v1/sourcings/{sid}/reviews/{step}/approve", json={"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "awarded"
    rounds = buyer.get(f"/api/v1/sourcings/{sid}/reviews").json()
    assert rounds[0]["steps"][0]["deciders"][0]["decision"] == "approve"
    assert rep.get(f"/api/v1/purchase-requests/{request.pk}").json()["status"] == "awarded"


def test_refusals_over_http(http, org):
    request = f.approved_request(org)
    invited = f.suppliers(org, n=2)
    pending = f.sf.supplier(org, name="待审供应商")
    buyer = http("buyer1")
    body = {"method": "inquiry", "request_line_ids": f.line_ids(request),
            "supplier_ids": [*(s.pk for s in invited), pending.pk], "deadline": f.soon().isoformat()}
    ineligible = buyer.post("/api/v1/sourcings", json=body)
    assert ineligible.status_code == 409 and "待审供应商" in ineligible.json()["error"]["message"]
    missing = buyer.post("/api/v1/sourcings", json={**body, "supplier_ids": [s.pk for s in invited],
                                                    "method": "nope"})
    assert missing.status_code == 422 and "method" in missing.json()["error"]["fields"]
    created = buyer.post("/api/v1/sourcings", json={**body, "supplier_ids": [s.pk for s in invited]})
    sid = created.json()["id"]
    too_few = buyer.post(f"/api/v1/sourcings/{sid}/open", json={})
    assert too_few.status_code == 409
    assert buyer.post(f"/api/v1/sourcings/{sid}/cancel", json={"reason": ""}).status_code == 422
    cancelled = buyer.post(f"/api/v1/sourcings/{sid}/cancel", json={"reason": "改为单一来源"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert buyer.get(f"/api/v1/purchase-requests/{request.pk}").json()["status"] == "approved"
    assert buyer.get("/api/v1/sourcings/999999").status_code == 404
