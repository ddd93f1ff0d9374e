"""The resources API over real HTTP: file, submit, the head trims and grants, effort logs, the insights figure;
refusals with their status and the error body."""

import pytest
from django.utils import timezone

from . import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_request_round_trip_and_effort_logs(org, http):
    project = f.project(org)
    rep, head, other = http("rep1"), http("head1"), http("rep2")
    base = f"/api/v1/projects/{project.pk}/resource-requests"
    listed = rep.get(base).json()
    assert listed["count"] == 0 and listed["allowed_actions"] == ["file_request", "log_effort"]
    assert other.get(base).status_code == 404
    bad = rep.post(base, json={"people": [{"role": "cook", "days": "0.3"}], "budget": [], "colour": "red"})
    assert bad.status_code == 422 and "colour" in str(bad.json()["error"])
    bad = rep.post(base, json={"people": [{"role": "cook", "days": "0.3"}]})
    assert bad.status_code == 422 and set(bad.json()["error"]["fields"]) == {"people.1.role", "people.1.days"}
    created = rep.post(base, json={"people": [{"role": "business", "days": "3"}],
                                   "budget": [{"kind": "travel", "amount": "1000.00"}], "note": "售前"})
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "draft" and body["allowed_actions"] == ["edit", "submit"]
    rid = body["id"]
    assert http("rep1b").post(f"/api/v1/resource-requests/{rid}/submit").status_code == 404  # not in the team
    put = rep.put(f"/api/v1/resource-requests/{rid}", json={"version": body["version"], "people": [
        {"role": "business", "days": "4"}], "budget": [{"kind": "travel", "amount": "1000.00"}]})
    assert put.status_code == 200 and put.json()["asked_days"] == "4.0"
    assert rep.put(f"/api/v1/resource-requests/{rid}", json={"version": 1, "people": [
        {"role": "business", "days": "1"}]}).status_code == 409
    submitted = rep.post(f"/api/v1/resource-requests/{rid}/submit", json={})
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"
    assert rep.post(f"/api/v1/resource-requests/{rid}/approve", json={}).status_code == 403
    assert other.post(f"/api/v1/resource-requests/{rid}/approve", json={}).status_code == 404
    detail = head.get(f"/api/v1/resource-requests/{rid}").json()
    assert detail["allowed_actions"] == ["approve", "reject"]
    line = detail["budget"][0]["id"]
    granted = head.post(f"/api/v1/resource-requests/{rid}/approve", json={
        "comment": "加一点", "lines": [{"type": "budget", "id": line, "granted": "1200.00"}]})
    assert granted.status_code == 200, granted.text
    answer = granted.json()
    assert answer["status"] == "granted" and answer["granted_amount"] == "1200.00"
    assert answer["budget"][0]["above_asked"] is True
    assert head.post(f"/api/v1/resource-requests/{rid}/reject", json={"comment": "x"}).status_code == 409
    timeline = rep.get(f"/api/v1/resource-requests/{rid}/timeline").json()
    assert [e["action"] for e in timeline][-2:] == ["resourcerequest.figures_set", "resourcerequest.granted"]

    logs = f"/api/v1/projects/{project.pk}/effort-logs"
    today = timezone.localdate().isoformat()
    made = http("lead1").post(logs, json={"on": today, "days": "1.5", "kind": "tech_lead", "note": "方案"})
    assert made.status_code == 201 and made.json()["days"] == "1.5"
    assert other.post(logs, json={"on": today, "days": "1", "kind": "business"}).status_code == 404
    assert http("rep1").post(logs, json={"on": "2999-01-01", "kind": "business"}).status_code == 422
    listed = rep.get(logs).json()
    assert listed["count"] == 1 and listed["used_days"] == "1.5"

    figure = head.get("/api/v1/insights/resources").json()
    assert figure["total"]["granted_amount"] == "1200.00" and figure["total"]["used_days"] == "1.5"
    assert [p["number"] for p in figure["projects"]] == [project.number]
    assert other.get("/api/v1/insights/resources").json()["projects"] == []
    sales2 = org["rep2"].department_id
    assert head.get(f"/api/v1/insights/resources?department={sales2}").json()["projects"] == []
    assert head.get("/api/v1/insights/resources?department=999999").status_code == 422
    assert http().get("/api/v1/insights/resources").status_code == 401
