"""The project-monitoring system over real HTTP: the admin issues its token on the account page, the system walks a
signed contract's project from won to accepted, marks a milestone done, and sees nothing else."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import Http
from opsmon.contracts.models import Milestone
from opsmon.integrations.models import InboundEvent, WebhookDelivery
from opsmon.integrations.services import endpoint_create
from opsmon.projects.models import Project

from .factories import account, handoff_of, signed_project, token

pytestmark = pytest.mark.django_db(transaction=True)
STATUS = "/api/v1/integrations/project-status"


def iso(minutes_ago: int) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_the_monitoring_system_walks_a_signed_project_to_accepted(live_server, http, org):
    endpoint = endpoint_create(actor=org["admin"], name="PMS", url="http://127.0.0.1:9/hook",
                               secret="0123456789abcdef0123", events=["project.handed_off"], active=True)
    pms = account(org)
    project, contract = signed_project(org)
    handoff = handoff_of(pms, project)
    assert WebhookDelivery.objects.filter(endpoint=endpoint, event="project.handed_off",
                                          payload__data__handoffs__0__id=str(handoff.pk)).exists()

    admin = Http(live_server.url)
    assert admin.login_session("admin").status_code == 302
    page = admin.post(f"/admin/webhooks/accounts/{pms.pk}/tokens/")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    key = re.search(r'data-testid="new-token-key">([^<]+)<', page.text).group(1)
    assert key not in admin.get(f"/admin/webhooks/accounts/{pms.pk}/").text  # shown once

    system = Http(live_server.url)
    system.token = key
    walk = [
        {"handoff_id": str(handoff.pk), "event": "accepted", "at": iso(60), "note": "已立项实施",
         "idempotency_key": "pms-1"},
        {"project_number": project.number, "event": "progress", "at": iso(50), "percent": 40, "note": "",
         "idempotency_key": "pms-2"},
        {"project_number": project.number, "event": "milestone_done", "at": iso(45), "milestone": 1,
         "note": "预付款节点完成", "idempotency_key": "pms-3"},
        {"project_number": project.number, "event": "delivered", "at": iso(30), "note": "",
         "idempotency_key": "pms-4"},
        {"project_number": project.number, "event": "customer_accepted", "at": iso(10), "note": "终验通过",
         "idempotency_key": "pms-5"},
    ]
    seen = []
    for body in walk:
        response = system.post(STATUS, json=body)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert (answer["project_number"], answer["outcome"]) == (project.number, "applied")
        seen.append((answer["status"], answer["delivery_percent"]))
    assert seen == [("in_delivery", None), ("in_delivery", 40), ("in_delivery", 40), ("delivered", 100),
                    ("accepted", 100)]
    assert Project.objects.get(pk=project.pk).status == "accepted"
    assert Milestone.objects.get(contract=contract, position=1).delivered_on is not None

    again = system.post(STATUS, json=walk[1])
    assert (again.status_code, again.headers.get("Idempotent-Replayed")) == (200, "true")
    assert again.json()["delivery_percent"] == 40
    reused = system.post(STATUS, json={**walk[1], "percent": 41})
    assert reused.status_code == 409 and "idempotency_key" in reused.json()["error"]["fields"]
    closed = system.post(STATUS, json={**walk[3], "idempotency_key": "pms-6"})
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "project_ended"

    # People see the events on the project's timeline, and the contract's delivered milestone.
    owner = http("rep1")
    actions = [e["action"] for e in owner.get(f"/api/v1/projects/{project.pk}/timeline").json()]
    assert "project.delivery_customer_accepted" in actions
    assert "contract.milestone_delivered" in [e["action"] for e in
                                              owner.get(f"/api/v1/contracts/{contract.pk}/timeline").json()]


def test_bad_requests_over_http(live_server, org):
    pms = account(org)
    project, _contract = signed_project(org)
    system = Http(live_server.url)
    system.token = token(org, pms)
    base = {"project_number": project.number, "event": "accepted", "at": iso(5), "idempotency_key": "b"}
    unknown = system.post(STATUS, json={**base, "colour": "red"})
    assert unknown.status_code == 422 and "colour" in unknown.json()["error"]["fields"]
    both = system.post(STATUS, json={**base, "handoff_id": str(handoff_of(pms, project).pk)})
    assert both.status_code == 422 and {"handoff_id", "project_number"} <= set(both.json()["error"]["fields"])
    assert system.post(STATUS, json={**base, "event": "progress", "percent": 120}).status_code == 422
    assert system.post(STATUS, json={**base, "project_number": "LX-2026-999999"}).status_code == 404
    pending = system.post(STATUS, json={**base, "event": "delivered", "idempotency_key": "early"})
    assert (pending.status_code, pending.json()["outcome"]) == (202, "pending")
    assert Http(live_server.url).post(STATUS, json=base).status_code in (401, 403)  # no token (ninja: CSRF first)
    assert InboundEvent.objects.count() == 1


def test_an_integration_account_signs_in_nowhere_and_sees_nothing(live_server, http, org):
    pms = account(org)
    signed_project(org)
    system = Http(live_server.url)
    assert system.post("/api/v1/auth/token", json={"username": "pms", "password": ""}).status_code in (401, 422)
    system.token = token(org, pms)
    for path in ("/api/v1/projects", "/api/v1/opportunities", "/api/v1/bids", "/api/v1/contracts",
                 "/api/v1/inbox", "/api/v1/notifications"):
        response = system.get(path)  # confined to the status route (IntegrationScopeMiddleware)
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"]["code"] == "permission_denied", path
    me = system.get("/api/v1/me").json()
    assert me["roles"] == ["integration"] and me["department"] is None
    # and people do not post status
    assert http("rep1").post(STATUS, json={"project_number": "LX-1", "event": "accepted", "at": iso(1),
                                           "idempotency_key": "r"}).status_code == 403
