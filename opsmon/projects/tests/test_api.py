"""The whole path from a demo-like opportunity to each route, through real HTTP; refusals by role and state."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

REVIEW = {"technical_assessment": "技术可行", "implementation_assessment": "实施可行", "risks": "工期紧",
          "estimated_effort_days": 90, "conclusion": "conditional"}


def error_of(response):
    return response.json()["error"]


def approved(http):
    rep, head, lead = http("rep1"), http("head1"), http("lead1")
    customer = rep.post("/api/v1/customers", json={"name": "某能源集团", "customer_type": "soe"}).json()
    opp = rep.post("/api/v1/opportunities", json={
        "title": "集控中心运维平台", "customer_id": customer["id"], "estimated_amount": "2000000.00",
        "expected_close_date": str(timezone.localdate() + timedelta(days=30))}).json()
    project = head.post(f"/api/v1/opportunities/{opp['id']}/convert", json={}).json()
    pid = project["id"]
    lead_id = lead.get("/api/v1/me").json()["id"]
    assert lead.get(f"/api/v1/projects/{pid}").status_code == 404
    assigned = head.post(f"/api/v1/projects/{pid}/assign-lead", json={"tech_lead_id": lead_id})
    assert assigned.status_code == 200 and assigned.json()["status"] == "feasibility"
    inbox = lead.get("/api/v1/inbox").json()
    assert [i["kind"] for i in inbox["items"]] == ["project.write_review"]
    assert lead.get("/api/v1/notifications").json()["unread"] == 1
    draft = lead.put(f"/api/v1/projects/{pid}/feasibility", json={"technical_assessment": "初稿"})
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    incomplete = lead.post(f"/api/v1/projects/{pid}/submit-feasibility")
    assert incomplete.status_code == 422 and "conclusion" in error_of(incomplete)["fields"]
    assert lead.put(f"/api/v1/projects/{pid}/feasibility", json=REVIEW).status_code == 200
    submitted = lead.post(f"/api/v1/projects/{pid}/submit-feasibility")
    assert submitted.json()["status"] == "pending_approval"
    assert [i["kind"] for i in head.get("/api/v1/inbox").json()["items"]] == ["project.approve_review"]
    assert head.post(f"/api/v1/projects/{pid}/approve", json={"comment": "同意"}).json()["status"] == "approved"
    return rep, head, pid


@pytest.mark.parametrize(("to", "key", "status"), [("bidding", "bid_id", "bidding"),
                                                   ("contract_review", "contract_id", "contract_review"),
                                                   ("implementation", "handoff_id", "implementation")])
def test_opportunity_to_each_route(http, to, key, status):
    rep, head, pid = approved(http)
    assert [i["kind"] for i in rep.get("/api/v1/inbox").json()["items"]] == ["project.route"]
    routed = rep.post(f"/api/v1/projects/{pid}/route", json={"to": to})
    assert routed.status_code == 200, routed.text
    body = routed.json()
    assert body[key] and body["project"]["status"] == status and body["project"]["routed_to"] == to
    again = rep.post(f"/api/v1/projects/{pid}/route", json={"to": to})
    assert again.status_code == 409
    actions = [e["action"] for e in rep.get(f"/api/v1/projects/{pid}/timeline").json()]
    assert actions == ["project.created", "project.assign_lead", "project.feasibility_saved",
                       "project.feasibility_saved", "project.submit_feasibility", "project.approve",
                       f"project.route_{to}"]


def test_refusals_by_role_and_state(http):
    rep, head, pid = approved(http)
    assert http("rep2").post(f"/api/v1/projects/{pid}/route", json={"to": "bidding"}).status_code == 404
    assert http("lead1").post(f"/api/v1/projects/{pid}/route", json={"to": "bidding"}).status_code == 403
    assert head.post(f"/api/v1/projects/{pid}/approve", json={}).status_code == 409
    assert rep.post(f"/api/v1/projects/{pid}/route", json={"to": "mars"}).status_code == 422
    assert rep.post(f"/api/v1/projects/{pid}/cancel", json={"reason": ""}).status_code == 422
    assert http("lead1").put(f"/api/v1/projects/{pid}/feasibility", json=REVIEW).status_code == 409
    cancelled = rep.post(f"/api/v1/projects/{pid}/cancel", json={"reason": "客户预算取消"})
    assert cancelled.json()["status"] == "cancelled"
    assert rep.patch(f"/api/v1/projects/{pid}", json={"version": cancelled.json()["version"], "title": "x"}) \
        .status_code == 409


def test_assigning_a_non_lead_is_422(http):
    rep, head = http("rep1"), http("head1")
    customer = rep.post("/api/v1/customers", json={"name": "某客户", "customer_type": "soe"}).json()
    opp = rep.post("/api/v1/opportunities", json={
        "title": "t", "customer_id": customer["id"], "estimated_amount": "1.00",
        "expected_close_date": str(timezone.localdate())}).json()
    pid = head.post(f"/api/v1/opportunities/{opp['id']}/convert", json={}).json()["id"]
    rep_id = rep.get("/api/v1/me").json()["id"]
    response = head.post(f"/api/v1/projects/{pid}/assign-lead", json={"tech_lead_id": rep_id})
    assert response.status_code == 422 and "tech_lead_id" in error_of(response)["fields"]
    assert rep.post(f"/api/v1/projects/{pid}/assign-lead", json={"tech_lead_id": rep_id}).status_code == 403


def test_notifications_can_be_marked_read(http):
    approved(http)
    rep = http("rep1")
    page = rep.get("/api/v1/notifications").json()
    assert page["unread"] >= 1
    first = page["items"][0]["id"]
    assert rep.post(f"/api/v1/notifications/{first}/read").json() == {"changed": 1}
    assert rep.post("/api/v1/notifications/read-all").json()["changed"] == page["unread"] - 1
    assert rep.get("/api/v1/notifications?unread_only=true").json()["count"] == 0
    foreign = http("rep2").post(f"/api/v1/notifications/{first}/read")  # someone else's: 404 (issue 21)
    assert foreign.status_code == 404 and foreign.json()["error"]["code"] == "not_found"


def test_webhook_admin_api(http):
    admin = http("admin")
    created = admin.post("/api/v1/integrations/webhooks", json={
        "name": "项目监控系统", "url": "http://127.0.0.1:9/hook", "secret": "x" * 20, "events": ["project.routed"]})
    assert created.status_code == 201 and "secret" not in created.json()
    assert http("head1").get("/api/v1/integrations/webhooks").status_code == 403
    bad = admin.post("/api/v1/integrations/webhooks", json={"name": "x", "url": "javascript:alert(1)",
                                                             "secret": "x" * 20, "events": ["project.routed"]})
    assert bad.status_code == 422 and "url" in error_of(bad)["fields"]
    assert admin.get("/api/v1/integrations/deliveries").json()["count"] == 0


def test_answers_carry_the_allowed_actions_of_the_caller(http):
    rep, head, pid = approved(http)
    routes = ["route_implementation", "route_bidding", "route_contract_review"]
    assert rep.get(f"/api/v1/projects/{pid}").json()["allowed_actions"] == ["edit", *routes, "cancel"]
    assert head.get(f"/api/v1/projects/{pid}").json()["allowed_actions"] == ["edit", *routes, "cancel"]
    assert http("lead1").get(f"/api/v1/projects/{pid}").json()["allowed_actions"] == []
    assert http("market1").get(f"/api/v1/projects/{pid}/feasibility").json()["allowed_actions"] == []
    renamed = rep.patch(f"/api/v1/projects/{pid}", json={"version": rep.get(f"/api/v1/projects/{pid}").json()[
        "version"], "title": "新名称"})
    assert renamed.status_code == 200 and renamed.json()["allowed_actions"] == ["edit", *routes, "cancel"]
    routed = rep.post(f"/api/v1/projects/{pid}/route", json={"to": "bidding"}).json()
    assert routed["allowed_actions"] == [] and routed["project"]["allowed_actions"] == []


def test_an_unknown_field_is_422_naming_it_and_changes_nothing(http):
    rep, head, pid = approved(http)
    lead = http("lead1")
    before = rep.get(f"/api/v1/projects/{pid}").json()
    for client, method, path, body, unknown in [
        (rep, "patch", "", {"version": before["version"], "titel": "x"}, "titel"),
        (rep, "post", "/route", {"to": "bidding", "destination": "moon"}, "destination"),
        (rep, "post", "/cancel", {"reason": "客户取消", "reasons": "x"}, "reasons"),
        (head, "post", "/send-back", {"comment": "请补充", "comments": "x"}, "comments"),
        (head, "post", "/assign-lead", {"tech_lead_id": 1, "lead_id": 1}, "lead_id"),
        (lead, "put", "/feasibility", {**REVIEW, "risk": "x"}, "risk"),
    ]:
        response = getattr(client, method)(f"/api/v1/projects/{pid}{path}", json=body)
        assert response.status_code == 422, (path, response.text)
        assert list(error_of(response)["fields"]) == [unknown], (path, response.text)
    after = rep.get(f"/api/v1/projects/{pid}").json()
    assert (after["status"], after["version"], after["title"]) == (before["status"], before["version"],
                                                                   before["title"])
