"""Payment requests and retentions through real HTTP: the round trip (create → submit-review → approve → pay),
every refusal's status and field (422 on amount above the ceiling, 403 pay by a non-finance or the requester, 409
in the wrong state), scope (404), the retention's sign-off and release."""

from datetime import timedelta

import pytest

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    f.routes()
    return org


def _step(client, pid):
    rounds = client.get(f"/api/v1/payment-requests/{pid}/reviews").json()
    return next(s["id"] for s in rounds[-1]["steps"] if s["status"] == "current")


def test_payment_round_trip_and_refusals(http, org):
    po = f.delivered(org)
    account = po.supplier.bank_accounts.first()
    inv = po.lines.get().invoice_lines.get().invoice
    buyer, head, finance, rep = http("buyer1"), http("phead1"), http("finance1"), http("rep1")
    body = {"order_id": po.pk, "kind": "progress", "amount": "38,000.01", "payee_account_id": account.pk,
            "invoice_ids": [inv.pk], "note": "进度款"}
    over = buyer.post("/api/v1/payment-requests", json=body)
    assert over.status_code == 422 and set(over.json()["error"]["fields"]) == {"amount"}
    assert "38,000.00" in over.json()["error"]["fields"]["amount"][0]
    unknown = buyer.post("/api/v1/payment-requests", json={**body, "colour": "red"})
    assert unknown.status_code == 422
    assert rep.post("/api/v1/payment-requests", json=body).status_code == 403
    created = buyer.post("/api/v1/payment-requests", json={**body, "amount": "38000"})
    assert created.status_code == 201, created.text
    data = created.json()
    pid = data["id"]
    assert data["number"].startswith("FK-") and data["status"] == "draft" and data["amount"] == "38000.00"
    assert data["invoices"][0]["id"] == inv.pk and data["payee_account"]["id"] == account.pk
    assert data["allowed_actions"] == ["submit", "cancel"] and data["warnings"] == []
    assert data["due_on"] == (f.today() - timedelta(days=5) + timedelta(days=30)).isoformat()
    assert rep.get(f"/api/v1/payment-requests/{pid}").status_code == 404
    assert http("keeper1").get(f"/api/v1/payment-requests/{pid}").status_code == 404

    submitted = buyer.post(f"/api/v1/payment-requests/{pid}/submit-review", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    assert submitted.json()["current_step"]["kind"]["code"] == "procurement"
    again = buyer.post(f"/api/v1/payment-requests/{pid}/submit-review", json={})
    assert again.status_code == 409
    step = _step(head, pid)
    assert buyer.post(f"/api/v1/payment-requests/{pid}/reviews/{step}/approve", json={}).status_code == 403
    assert head.post(f"/api/v1/payment-requests/{pid}/reviews/{step}/return", json={}).status_code == 422
    approved = head.post(f"/api/v1/payment-requests/{pid}/reviews/{step}/approve", json={"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"

    pay = {"paid_on": f.today().isoformat(), "amount": "38000", "method": "bank_transfer", "reference": "HX-9"}
    assert buyer.post(f"/api/v1/payment-requests/{pid}/pay", json=pay).status_code == 403
    assert head.post(f"/api/v1/payment-requests/{pid}/pay", json=pay).status_code == 403
    bad = finance.post(f"/api/v1/payment-requests/{pid}/pay", json={**pay, "method": "cash", "amount": "38000.01"})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"method", "amount"}
    paid = finance.post(f"/api/v1/payment-requests/{pid}/pay", json=pay)
    assert paid.status_code == 200, paid.text
    assert (paid.json()["status"], paid.json()["paid_amount"], paid.json()["method"]["code"]) == (
        "paid", "38000.00", "bank_transfer")
    assert finance.post(f"/api/v1/payment-requests/{pid}/pay", json=pay).status_code == 409
    assert buyer.post(f"/api/v1/payment-requests/{pid}/cancel", json={"reason": "x"}).status_code == 409
    listed = finance.get("/api/v1/payment-requests?status=paid&kind=progress").json()
    assert [i["id"] for i in listed["items"]] == [pid] and listed["count"] == 1
    assert rep.get("/api/v1/payment-requests").json()["count"] == 0
    timeline = buyer.get(f"/api/v1/payment-requests/{pid}/timeline").json()
    assert [e["action"] for e in timeline][:2] == ["paymentrequest.created", "paymentrequest.submit"]


def test_cancel_an_approved_request(http, org):
    po = f.delivered(org)
    record = f.approved(org, po, amount="1000")
    buyer = http("buyer1")
    assert buyer.post(f"/api/v1/payment-requests/{record.pk}/cancel", json={"reason": ""}).status_code == 422
    assert http("finance1").post(f"/api/v1/payment-requests/{record.pk}/cancel",
                                 json={"reason": "x"}).status_code == 403
    done = buyer.post(f"/api/v1/payment-requests/{record.pk}/cancel", json={"reason": "改期"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"


def test_retention_due_sign_off_release(http, org):
    po = f.order(org)
    f.accept(org, po, "10", accepted_on=f.today() - timedelta(days=400))
    buyer, keeper, head = http("buyer1"), http("keeper1"), http("phead1")
    listed = buyer.get("/api/v1/retentions?due=true").json()  # brought up to date on read: held → due
    assert listed["count"] == 1
    item = listed["items"][0]
    rid = item["id"]
    assert (item["status"], item["amount"], item["order"]["id"]) == ("due", "5000.00", po.pk)
    assert http("rep1").get(f"/api/v1/retentions/{rid}").status_code == 404
    assert buyer.post(f"/api/v1/retentions/{rid}/sign-off", json={}).status_code == 403
    assert head.post(f"/api/v1/retentions/{rid}/release", json={}).status_code == 409
    signed = keeper.post(f"/api/v1/retentions/{rid}/sign-off", json={"comment": "无遗留缺陷"})
    assert signed.status_code == 200 and signed.json()["signed_off_by"]["username"] == "keeper1"
    assert head.get(f"/api/v1/retentions/{rid}").json()["allowed_actions"] == ["release"]
    bad = head.post(f"/api/v1/retentions/{rid}/release", json={"deduction": "100"})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"reason"}
    released = head.post(f"/api/v1/retentions/{rid}/release", json={"deduction": "100", "reason": "维修"})
    assert released.status_code == 200 and released.json()["releasable"] == "4900.00"
    assert released.json()["status"] == "released"
    assert buyer.get("/api/v1/retentions?due=true").json()["count"] == 0
