"""Purchase orders through real HTTP: create-orders from an award, the terms PATCH with its refusals, the review
round trip (return → resubmit → approve), signing (multipart), amendments and versions, cancel, terminate, scope
(404), the .docx."""

import pytest
from django.utils import timezone

from opsmon.suppliers.tests import factories as sf

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    f.routes()
    return org


def _step(client, oid):
    rounds = client.get(f"/api/v1/purchase-orders/{oid}/reviews").json()
    return next(s["id"] for s in rounds[-1]["steps"] if s["status"] == "current")


def test_order_round_trip(http, org):
    sourcing = f.awarded_sourcing(org, suppliers=[sf.qualified(org, is_sme=True)])
    buyer, head, other = http("buyer1"), http("phead1"), http("rep2")
    assert other.post(f"/api/v1/sourcings/{sourcing.pk}/create-orders").status_code == 404
    created = buyer.post(f"/api/v1/sourcings/{sourcing.pk}/create-orders")
    assert created.status_code == 201, created.text
    oid = created.json()["order_ids"][0]
    assert buyer.post(f"/api/v1/sourcings/{sourcing.pk}/create-orders").status_code == 409
    body = buyer.get(f"/api/v1/purchase-orders/{oid}").json()
    assert body["number"].startswith("CGHT-") and body["status"] == "draft" and body["total"] == "28000.00"
    assert body["received"] == body["invoiced"] == body["paid"] == "none"
    assert body["allowed_actions"] == ["edit", "submit", "cancel"] and body["supplier"]["is_sme"]
    assert other.get(f"/api/v1/purchase-orders/{oid}").status_code == 404
    assert oid in [o["id"] for o in buyer.get("/api/v1/purchase-orders").json()["items"]]
    assert oid not in [o["id"] for o in other.get("/api/v1/purchase-orders").json()["items"]]

    version = body["version"]
    sme = buyer.patch(f"/api/v1/purchase-orders/{oid}", json={"version": version, "pay_after_customer": True})
    assert sme.status_code == 422 and "pay_after_customer" in sme.json()["error"]["fields"]
    bad = buyer.patch(f"/api/v1/purchase-orders/{oid}", json={"version": version, "milestones": [
        {"kind": "advance", "percent": "50", "name": "预付"}]})
    assert bad.status_code == 422 and "milestones" in bad.json()["error"]["fields"]
    assert buyer.patch(f"/api/v1/purchase-orders/{oid}", json={"version": version, "colour": 1}).status_code == 422
    assert buyer.patch(f"/api/v1/purchase-orders/{oid}", json={"version": version - 1, "title": "x"}).status_code \
        == 409
    line_id = body["lines"][0]["id"]
    ok = buyer.patch(f"/api/v1/purchase-orders/{oid}", json={
        "version": version, "payment_days": 90, "milestones": [
            {"kind": "advance", "percent": "30", "name": "预付款"},
            {"kind": "acceptance", "percent": "65", "name": "验收款"},
            {"kind": "retention", "percent": "5", "name": "质保金"}],
        "lines": [{"id": line_id, "promised_on": "2027-03-01"}]})
    assert ok.status_code == 200, ok.text
    assert len(ok.json()["milestones"]) == 3 and ok.json()["warnings"]  # SME paid after 60 days
    assert ok.json()["lines"][0]["promised_on"] == "2027-03-01"

    assert head.post(f"/api/v1/purchase-orders/{oid}/submit-review", json={}).status_code == 403
    submitted = buyer.post(f"/api/v1/purchase-orders/{oid}/submit-review", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    step = _step(head, oid)
    assert buyer.post(f"/api/v1/purchase-orders/{oid}/reviews/{step}/approve", json={}).status_code == 403
    returned = head.post(f"/api/v1/purchase-orders/{oid}/reviews/{step}/return", json={"comment": "改"})
    assert returned.status_code == 200 and returned.json()["status"] == "draft"
    buyer.post(f"/api/v1/purchase-orders/{oid}/submit-review", json={})
    approved = head.post(f"/api/v1/purchase-orders/{oid}/reviews/{_step(head, oid)}/approve", json={})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    today = timezone.localdate().isoformat()
    no_file = buyer.post(f"/api/v1/purchase-orders/{oid}/sign", data={"signed_on": today})
    assert no_file.status_code == 422 and "file" in no_file.json()["error"]["fields"]
    signed = buyer.post(f"/api/v1/purchase-orders/{oid}/sign", data={"signed_on": today},
                        files={"file": ("signed.pdf", f.PDF, "application/pdf")})
    assert signed.status_code == 200, signed.text
    assert signed.json()["status"] == "signed" and signed.json()["original_total"] == "28000.00"
    assert [v["revision"] for v in buyer.get(f"/api/v1/purchase-orders/{oid}/versions").json()] == [1]

    rise = buyer.post(f"/api/v1/purchase-orders/{oid}/amendments",
                      json={"changes": {"lines": [{"id": line_id, "qty": "3"}]}})
    assert rise.status_code == 422 and "reason" in rise.json()["error"]["fields"]
    amended = buyer.post(f"/api/v1/purchase-orders/{oid}/amendments",
                         json={"changes": {"lines": [{"id": line_id, "qty": "3"}]}, "reason": "增补"})
    assert amended.status_code == 201 and amended.json()["status"] == "in_review"
    done = head.post(f"/api/v1/purchase-orders/{oid}/reviews/{_step(head, oid)}/approve", json={})
    assert done.status_code == 200 and done.json()["total"] == "42000.00" and done.json()["revision"] == 2
    assert [a["status"] for a in buyer.get(f"/api/v1/purchase-orders/{oid}/amendments").json()] == ["approved"]
    assert [v["revision"] for v in buyer.get(f"/api/v1/purchase-orders/{oid}/versions").json()] == [1, 2]

    doc = buyer.get(f"/api/v1/purchase-orders/{oid}/document")
    assert doc.status_code == 200 and doc.content[:2] == b"PK"
    assert buyer.post(f"/api/v1/purchase-orders/{oid}/terminate", json={}).status_code == 422
    terminated = buyer.post(f"/api/v1/purchase-orders/{oid}/terminate", json={"reason": "违约"})
    assert terminated.status_code == 200 and terminated.json()["status"] == "terminated"
    assert terminated.json()["lines"][0]["dropped_qty"] == "3.000"
    assert buyer.post(f"/api/v1/purchase-orders/{oid}/cancel", json={"reason": "x"}).status_code == 409


def test_reject_cancels_and_eligibility_refusal(http, org):
    order = f.submitted(org)
    head = http("phead1")
    rejected = head.post(f"/api/v1/purchase-orders/{order.pk}/reviews/{_step(head, order.pk)}/reject",
                         json={"comment": "不采购了"})
    assert rejected.status_code == 200 and rejected.json()["status"] == "cancelled"
    supplier = sf.supplier(org)  # registered, never qualified
    sourcing = f.awarded_sourcing(org, suppliers=[supplier])
    refused = http("buyer1").post(f"/api/v1/sourcings/{sourcing.pk}/create-orders")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "supplier_not_qualified"
