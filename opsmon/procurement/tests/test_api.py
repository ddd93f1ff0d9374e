"""Purchase requests, budgets, cost and settings through real HTTP: the round trip (create → submit → return →
change → resubmit → approve), every refusal's status and field, scope (404), the budget warning, settings."""

import pytest

from opsmon.projects.tests.factories import approved_project

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

LINES = [{"item": "服务器", "spec": "2U", "unit": "set", "qty": "2", "est_unit_price": "15000.005",
          "category": "hardware"},
         {"item": "许可", "unit": "suite", "qty": 1, "est_unit_price": "0.125", "category": "software"}]


@pytest.fixture
def org(org):
    f.routes()
    return org


def _step(client, rid):
    rounds = client.get(f"/api/v1/purchase-requests/{rid}/reviews").json()
    return next(s["id"] for s in rounds[-1]["steps"] if s["status"] == "current")


def test_request_round_trip_with_return_and_resubmission(http, org):
    project = approved_project(org, "rep1")
    rep, head, other, buyer = http("rep1"), http("head1"), http("rep2"), http("buyer1")
    created = rep.post("/api/v1/purchase-requests", json={"title": "机房设备", "project_id": project.pk,
                                                          "lines": LINES})
    assert created.status_code == 201, created.text
    body = created.json()
    rid = body["id"]
    assert body["number"].startswith("CG-") and body["status"] == "draft" and body["total"] == "30000.14"
    assert [line["amount"] for line in body["lines"]] == ["30000.01", "0.13"]
    assert body["lines"][0]["unit"]["code"] == "set" and body["allowed_actions"] == ["edit", "submit", "cancel"]
    assert other.get(f"/api/v1/purchase-requests/{rid}").status_code == 404
    assert buyer.get(f"/api/v1/purchase-requests/{rid}").status_code == 404  # not approved yet

    submitted = rep.post(f"/api/v1/purchase-requests/{rid}/submit", json={})
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted" and submitted.json()["budget_warning"]  # no budget: says so
    step = _step(head, rid)
    assert rep.post(f"/api/v1/purchase-requests/{rid}/reviews/{step}/approve", json={}).status_code == 403
    no_comment = head.post(f"/api/v1/purchase-requests/{rid}/reviews/{step}/return", json={})
    assert no_comment.status_code == 422
    returned = head.post(f"/api/v1/purchase-requests/{rid}/reviews/{step}/return", json={"comment": "补充型号"})
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["allowed_actions"] == []

    version = rep.get(f"/api/v1/purchase-requests/{rid}").json()["version"]
    stale = rep.patch(f"/api/v1/purchase-requests/{rid}", json={"version": version - 1, "title": "x"})
    assert stale.status_code == 409
    bad = rep.patch(f"/api/v1/purchase-requests/{rid}", json={"version": version, "lines": [
        {**LINES[0], "qty": "0", "unit": "箱"}]})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"lines.1.qty", "lines.1.unit"}
    unknown = rep.patch(f"/api/v1/purchase-requests/{rid}", json={"version": version, "colour": "red"})
    assert unknown.status_code == 422
    changed = rep.patch(f"/api/v1/purchase-requests/{rid}", json={"version": version, "title": "机房设备（型号）"})
    assert changed.status_code == 200 and changed.json()["title"] == "机房设备（型号）"
    again = rep.post(f"/api/v1/purchase-requests/{rid}/submit", json={})
    assert again.json()["status"] == "submitted"
    rounds = head.get(f"/api/v1/purchase-requests/{rid}/reviews").json()
    assert [r["status"] for r in rounds] == ["returned", "in_review"]
    # no approved budget: the route's step, then the budget step, both head1's
    assert [s["kind"]["code"] for s in rounds[1]["steps"]] == ["management", "budget"]
    for _ in range(2):
        answer = head.post(f"/api/v1/purchase-requests/{rid}/reviews/{_step(head, rid)}/approve",
                           json={"comment": "同意"})
        assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "approved"
    assert buyer.get(f"/api/v1/purchase-requests/{rid}").status_code == 200
    listed = buyer.get("/api/v1/purchase-requests?status=approved").json()
    assert [i["id"] for i in listed["items"]] == [rid]
    cost = rep.get(f"/api/v1/projects/{project.pk}/cost").json()
    assert (cost["budget"], cost["committed"], cost["received"], cost["paid"]) == (None, "30000.14", "0.00", "0.00")
    cancelled = rep.post(f"/api/v1/purchase-requests/{rid}/cancel", json={"reason": "项目延期"})
    assert cancelled.json()["status"] == "cancelled"
    assert rep.post(f"/api/v1/purchase-requests/{rid}/close", json={"reason": "x"}).status_code == 403


def test_budget_put_submit_approve_and_versions(http, org):
    project = approved_project(org, "rep1")
    rep, head = http("rep1"), http("head1")
    path = f"/api/v1/projects/{project.pk}/budget"
    assert rep.get(path).json() == {"latest": None, "in_force": None, "allowed_actions": ["edit"]}
    bad = rep.put(path, json={"lines": [{"category": "food", "amount": "1"}]})
    assert bad.status_code == 422 and "lines.1.category" in bad.json()["error"]["fields"]
    put = rep.put(path, json={"lines": [{"category": "hardware", "amount": "80000"},
                                        {"category": "software", "amount": "20000.50"}]})
    assert put.status_code == 200 and put.json()["latest"]["total"] == "100000.50"
    assert rep.post(f"{path}/submit", json={}).json()["latest"]["status"] == "in_review"
    rounds = head.get(f"{path}/reviews").json()
    step = rounds[-1]["steps"][0]["id"]
    assert rep.post(f"{path}/reviews/{step}/approve", json={}).status_code == 403
    approved = head.post(f"{path}/reviews/{step}/approve", json={"comment": "同意"})
    assert approved.status_code == 200 and approved.json()["in_force"]["revision"] == 1
    assert rep.get(f"/api/v1/projects/{project.pk}/cost").json()["budget"] == "100000.50"
    assert http("rep2").get(path).status_code == 404
    v2 = rep.put(path, json={"lines": [{"category": "hardware", "amount": "90000"}]}).json()
    assert (v2["latest"]["revision"], v2["latest"]["status"], v2["in_force"]["revision"]) == (2, "draft", 1)
    assert [v["revision"] for v in rep.get(f"{path}/versions").json()] == [2, 1]


def test_settings_read_by_everyone_changed_by_the_admin(http, org):
    read = http("rep1").get("/api/v1/settings/procurement")
    assert read.status_code == 200
    assert (read.json()["direct_purchase_limit"], read.json()["budget_warn_pct"]) == ("50000.00", "90.00")
    assert http("phead1").patch("/api/v1/settings/procurement", json={"budget_warn_pct": "80"}).status_code == 403
    bad = http("admin").patch("/api/v1/settings/procurement", json={"budget_warn_pct": "150"})
    assert bad.status_code == 422 and "budget_warn_pct" in bad.json()["error"]["fields"]
    changed = http("admin").patch("/api/v1/settings/procurement", json={"budget_warn_pct": "80",
                                                                         "retention_pct": "12"})
    assert changed.status_code == 200 and changed.json()["budget_warn_pct"] == "80.00"
    assert len(changed.json()["warnings"]) == 1
