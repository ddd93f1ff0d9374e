"""Receipts through real HTTP: record → submit → inspect, every refusal's status and field, scope (404), lists,
cancellation."""

from datetime import timedelta

import pytest

from opsmon.purchasing.choices import OrderStatus

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_receipt_round_trip_and_refusals(http, org):
    po = f.order(org)
    a, b = f.lines_of(po)
    buyer, keeper, lead, rep = http("buyer1"), http("keeper1"), http("lead1"), http("rep1")
    url = f"/api/v1/purchase-orders/{po.pk}/receipts"
    body = {"delivered_on": f.today().isoformat(), "inspector_id": org["keeper1"].pk,
            "lines": [{"order_line_id": a.pk, "qty": "2"}, {"order_line_id": b.pk, "qty": 4}]}

    over = buyer.post(url, json={**body, "lines": [{"order_line_id": a.pk, "qty": "3"}]})
    assert over.status_code == 422 and set(over.json()["error"]["fields"]) == {"lines.1.qty"}
    assert "服务器" in over.json()["error"]["fields"]["lines.1.qty"][0]
    no_inspector = buyer.post(url, json={**body, "inspector_id": org["rep1"].pk})
    assert no_inspector.status_code == 422 and set(no_inspector.json()["error"]["fields"]) == {"inspector_id"}
    unknown = buyer.post(url, json={**body, "colour": "red"})
    assert unknown.status_code == 422
    assert keeper.post(url, json=body).status_code in (403, 404)
    assert rep.post(url, json=body).status_code == 404

    created = buyer.post(url, json=body)
    assert created.status_code == 201, created.text
    r = created.json()
    assert r["number"].startswith("DH-") and r["status"] == "draft" and r["allowed_actions"] == ["submit", "cancel"]
    assert [(line["order_line_id"], line["qty"]) for line in r["lines"]] == [(a.pk, "2.000"), (b.pk, "4.000")]
    rid = r["id"]
    assert rep.get(f"/api/v1/receipts/{rid}").status_code == 404
    assert keeper.get(f"/api/v1/receipts/{rid}").json()["allowed_actions"] == []

    submitted = buyer.post(f"/api/v1/receipts/{rid}/submit", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "inspecting"
    assert buyer.post(f"/api/v1/receipts/{rid}/submit", json={}).status_code == 409
    assert keeper.get(f"/api/v1/receipts/{rid}").json()["allowed_actions"] == ["accept"]

    split = {"lines": [{"order_line_id": a.pk, "accepted": "2", "rejected": "0"},
                       {"order_line_id": b.pk, "accepted": "3", "rejected": "1", "note": "破损"}]}
    assert buyer.post(f"/api/v1/receipts/{rid}/accept", json=split).status_code == 403
    assert lead.post(f"/api/v1/receipts/{rid}/accept", json=split).status_code in (403, 404)
    wrong = keeper.post(f"/api/v1/receipts/{rid}/accept", json={"lines": [
        {"order_line_id": a.pk, "accepted": "1", "rejected": "0"}, split["lines"][1]]})
    assert wrong.status_code == 422 and set(wrong.json()["error"]["fields"]) == {"lines.1.accepted"}
    future = keeper.post(f"/api/v1/receipts/{rid}/accept",
                         json={**split, "accepted_on": (f.today() + timedelta(days=1)).isoformat()})
    assert future.status_code == 422
    accepted = keeper.post(f"/api/v1/receipts/{rid}/accept", json=split)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted" and accepted.json()["accepted_on"] == f.today().isoformat()
    assert [line["accepted"] for line in accepted.json()["lines"]] == ["2.000", "3.000"]

    listed = buyer.get(url).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == rid
    mine = keeper.get("/api/v1/receipts?status=accepted").json()
    assert [i["id"] for i in mine["items"]] == [rid]
    assert rep.get("/api/v1/receipts").json()["count"] == 0
    timeline = buyer.get(f"/api/v1/receipts/{rid}/timeline").json()
    assert [e["action"] for e in timeline] == ["receipt.created", "receipt.submit", "receipt.accept"]

    no_reason = buyer.post(f"/api/v1/receipts/{rid}/cancel", json={"reason": ""})
    assert no_reason.status_code == 422
    cancelled = buyer.post(f"/api/v1/receipts/{rid}/cancel", json={"reason": "退货"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_receipts_only_on_signed_orders(http, org):
    po = f.order(org, status=OrderStatus.APPROVED)
    line = f.lines_of(po)[0]
    answer = http("buyer1").post(f"/api/v1/purchase-orders/{po.pk}/receipts", json={
        "delivered_on": f.today().isoformat(), "inspector_id": org["keeper1"].pk,
        "lines": [{"order_line_id": line.pk, "qty": "1"}]})
    assert answer.status_code == 409


def test_nothing_accepted_rejects(http, org):
    po = f.order(org)
    r = f.receipt(org, po, ["1"], submit=True)
    answer = http("keeper1").post(f"/api/v1/receipts/{r.pk}/accept", json={"lines": [
        {"order_line_id": f.lines_of(po)[0].pk, "accepted": 0, "rejected": 1}]})
    assert answer.status_code == 200 and answer.json()["status"] == "rejected"
    assert answer.json()["accepted_on"] is None
