"""Opportunities and customers through real HTTP: the whole sales-rep and head flow, refusals and bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]


def new_customer(client, name="华东某电网公司", **extra):
    response = client.post("/api/v1/customers", json={"name": name, "customer_type": "soe", **extra})
    assert response.status_code == 201, response.text
    return response.json()


def new_opportunity(client, customer_id, **extra):
    body = {"title": "调度自动化系统升级", "customer_id": customer_id, "estimated_amount": "1250000.00",
            "expected_close_date": str(TODAY + timedelta(days=60)), "stage": "proposal", "industry": "energy"}
    body.update(extra)
    response = client.post("/api/v1/opportunities", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_rep_to_head_conversion_flow(http):
    rep, head = http("rep1"), http("head1")
    customer = new_customer(rep, contacts=[{"name": "王工", "phone": "13800000000"}])
    assert customer["customer_type"] == {"code": "soe", "label": "国有企业"}
    opp = new_opportunity(rep, customer["id"])
    assert opp["number"].startswith("SJ-") and opp["status"] == "tracking"
    assert opp["estimated_amount"] == "1250000.00" and opp["stage"]["code"] == "proposal" and opp["probability"] == 50
    oid = opp["id"]

    follow = rep.post(f"/api/v1/opportunities/{oid}/follow-ups", json={
        "happened_at": str(TODAY), "kind": "visit", "note": "现场交流方案", "next_step": "报价",
        "next_date": str(TODAY)})
    assert follow.status_code == 201, follow.text
    assert follow.json()["kind"]["label"] == "拜访"
    due = rep.get("/api/v1/opportunities?followup_due=true").json()
    assert [o["id"] for o in due["items"]] == [oid]

    asked = rep.post(f"/api/v1/opportunities/{oid}/request-conversion", json={"comment": "预算已批复"})
    assert asked.status_code == 200 and asked.json()["status"] == "conversion_requested"
    converted = head.post(f"/api/v1/opportunities/{oid}/convert", json={"comment": "同意"})
    assert converted.status_code == 200, converted.text
    body = converted.json()
    assert body["number"].startswith("LX-") and body["opportunity"]["status"] == "converted"
    assert body["opportunity"]["project_id"] == body["id"]

    timeline = rep.get(f"/api/v1/opportunities/{oid}/timeline").json()
    assert [e["action"] for e in timeline] == ["opportunity.created", "opportunity.followed_up",
                                                "opportunity.request_conversion", "opportunity.convert"]
    assert timeline[-1]["actor"]["username"] == "head1" and timeline[-1]["to_status"] == "converted"
    again = head.post(f"/api/v1/opportunities/{oid}/convert", json={})
    assert again.status_code == 409
    edit = rep.patch(f"/api/v1/opportunities/{oid}", json={"version": body["opportunity"]["version"], "title": "x"})
    assert edit.status_code == 409


def test_keep_tracking_close_and_reopen(http):
    rep, head = http("rep2"), http("head2")
    oid = new_opportunity(rep, new_customer(rep)["id"])["id"]
    rep.post(f"/api/v1/opportunities/{oid}/request-conversion", json={"comment": "请审批"})
    no_comment = head.post(f"/api/v1/opportunities/{oid}/keep-tracking", json={"comment": ""})
    assert no_comment.status_code == 422 and "comment" in error_of(no_comment)["fields"]
    kept = head.post(f"/api/v1/opportunities/{oid}/keep-tracking", json={"comment": "继续跟进"})
    assert kept.json()["status"] == "tracking"
    bad_reason = head.post(f"/api/v1/opportunities/{oid}/close", json={"reason": "whatever"})
    assert bad_reason.status_code == 422 and "reason" in error_of(bad_reason)["fields"]
    closed = head.post(f"/api/v1/opportunities/{oid}/close", json={"reason": "lost", "comment": "价格"})
    assert closed.json()["status"] == "closed" and closed.json()["close_reason"]["code"] == "lost"
    assert head.post(f"/api/v1/opportunities/{oid}/reopen", json={}).json()["status"] == "tracking"


def test_roles_and_visibility(http):
    rep1, rep2, head2, head1 = http("rep1"), http("rep2"), http("head2"), http("head1")
    oid = new_opportunity(rep1, new_customer(rep1)["id"])["id"]
    for outsider in (rep2, head2):
        assert outsider.get(f"/api/v1/opportunities/{oid}").status_code == 404
        assert outsider.get(f"/api/v1/opportunities/{oid}/timeline").status_code == 404
        assert outsider.get(f"/api/v1/opportunities/{oid}/follow-ups").status_code == 404
        assert outsider.post(f"/api/v1/opportunities/{oid}/convert", json={}).status_code == 404
        assert outsider.patch(f"/api/v1/opportunities/{oid}", json={"version": 1, "title": "x"}).status_code == 404
        assert oid not in [o["id"] for o in outsider.get("/api/v1/opportunities").json()["items"]]
    assert rep1.post(f"/api/v1/opportunities/{oid}/convert", json={}).status_code == 403
    assert http("market1").post(f"/api/v1/opportunities/{oid}/convert", json={}).status_code == 403
    assert http("market1").get(f"/api/v1/opportunities/{oid}").status_code == 200
    assert head1.post(f"/api/v1/opportunities/{oid}/convert", json={}).status_code == 200


def test_patch_with_stale_version_is_409(http):
    rep = http("rep1")
    opp = new_opportunity(rep, new_customer(rep)["id"])
    first = rep.patch(f"/api/v1/opportunities/{opp['id']}", json={"version": opp["version"], "stage": "negotiation"})
    assert first.status_code == 200 and first.json()["probability"] == 75
    stale = rep.patch(f"/api/v1/opportunities/{opp['id']}", json={"version": opp["version"], "title": "x"})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    assert rep.get(f"/api/v1/opportunities/{opp['id']}").json()["title"] == opp["title"]


@pytest.mark.parametrize(("field", "value"), [
    ("estimated_amount", "-5"), ("estimated_amount", "十万"), ("stage", "nope"), ("title", ""),
    ("title", "长" * 201), ("expected_close_date", "2020-01-01"), ("expected_close_date", "31/12/2030"),
    ("currency", "ABC"), ("description", "x" * 5001),
])
def test_bad_input_is_422_naming_the_field_and_nothing_is_saved(http, field, value):
    rep = http("rep1")
    customer = new_customer(rep)
    body = {"title": "t", "customer_id": customer["id"], "estimated_amount": "1.00",
            "expected_close_date": str(TODAY + timedelta(days=1)), field: value}
    response = rep.post("/api/v1/opportunities", json=body)
    assert response.status_code == 422, response.text
    assert field in error_of(response)["fields"]
    assert rep.get("/api/v1/opportunities").json()["count"] == 0


def test_huge_numbers_and_unknown_customer_are_422(http):
    rep = http("rep1")
    body = {"title": "t", "customer_id": 10**12, "estimated_amount": "1" + "0" * 20,
            "expected_close_date": str(TODAY + timedelta(days=1))}
    response = rep.post("/api/v1/opportunities", json=body)
    assert response.status_code == 422
    assert {"customer_id", "estimated_amount"} <= set(error_of(response)["fields"])
    body.update(customer_id=10**30, estimated_amount="1" + "0" * 40)
    assert rep.post("/api/v1/opportunities", json=body).status_code == 422
    body.update(customer_id=10**30, estimated_amount="1.00")
    response = rep.post("/api/v1/opportunities", json=body)
    assert response.status_code == 422 and "customer_id" in error_of(response)["fields"]
    assert rep.get(f"/api/v1/opportunities/{10**30}").status_code == 404


def test_customer_duplicates_and_bad_credit_code(http):
    rep1, rep2 = http("rep1"), http("rep2")
    first = new_customer(rep1, name="某市轨道交通集团有限公司", credit_code="91350100M000100Y43")
    dup = rep2.post("/api/v1/customers", json={"name": "某市轨道交通集团 有限公司", "customer_type": "soe"})
    assert dup.status_code == 409 and error_of(dup)["fields"]["existing_id"] == [str(first["id"])]
    bad = rep2.post("/api/v1/customers", json={"name": "新客户", "customer_type": "soe",
                                               "credit_code": "91350100M000100Y44"})
    assert bad.status_code == 422 and "credit_code" in error_of(bad)["fields"]
    found = rep2.get("/api/v1/customers?q=轨道交通").json()
    assert [c["id"] for c in found["items"]] == [first["id"]]
    assert rep2.patch(f"/api/v1/customers/{first['id']}", json={"version": 1, "address": "x"}).status_code == 403
    ok = rep1.patch(f"/api/v1/customers/{first['id']}", json={"version": 1, "address": "福州市"})
    assert ok.status_code == 200 and ok.json()["version"] == 2
    assert rep1.patch(f"/api/v1/customers/{first['id']}", json={"version": 1, "address": "y"}).status_code == 409


def test_list_filters_ordering_and_pagination(http):
    rep = http("rep1")
    cid = new_customer(rep)["id"]
    for i, amount in enumerate(["100.00", "2000.00", "30000.00"]):
        new_opportunity(rep, cid, title=f"项目{i}", estimated_amount=amount)
    page = rep.get("/api/v1/opportunities?ordering=-estimated_amount&page_size=2").json()
    assert page["count"] == 3 and [o["title"] for o in page["items"]] == ["项目2", "项目1"]
    second = rep.get("/api/v1/opportunities?ordering=-estimated_amount&page_size=2&page=2").json()
    assert [o["title"] for o in second["items"]] == ["项目0"]
    ranged = rep.get("/api/v1/opportunities?amount_min=1000&amount_max=5000").json()
    assert [o["title"] for o in ranged["items"]] == ["项目1"]
    assert rep.get("/api/v1/opportunities?q=项目2").json()["count"] == 1
    assert rep.get("/api/v1/opportunities?amount_min=-1").status_code == 422
