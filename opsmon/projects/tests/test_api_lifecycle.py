"""After an abandoned bid, over real HTTP: POST /projects/{id}/retender and /projects/{id}/close {reason}, with
their refusals by role, state and input; the opportunity shows its outcome."""

import pytest

from .test_api import approved, error_of

pytestmark = pytest.mark.django_db(transaction=True)


def abandoned_bid(http):
    """rep1's project routed to bidding, its bid abandoned: (project id, bid id)."""
    rep = http("rep1")
    _rep, _head, pid = approved(http)
    routed = rep.post(f"/api/v1/projects/{pid}/route", json={"to": "bidding"}).json()
    answer = rep.post(f"/api/v1/bids/{routed['bid_id']}/abandon", json={"reason": "流标"})
    assert answer.status_code == 200, answer.text
    return pid, routed["bid_id"]


def test_retender_then_close(http):
    rep, head, other = http("rep1"), http("head1"), http("rep2")
    pid, bid_id = abandoned_bid(http)
    detail = rep.get(f"/api/v1/projects/{pid}").json()
    assert detail["status"] == "bidding" and {"retender", "close"} <= set(detail["allowed_actions"])
    assert other.post(f"/api/v1/projects/{pid}/retender").status_code == 404  # outside his scope
    assert http("lead1").post(f"/api/v1/projects/{pid}/retender").status_code == 403
    answer = rep.post(f"/api/v1/projects/{pid}/retender")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "bid_id" in body, body
    assert body["bid_id"] != bid_id and body["project"]["status"] == "bidding"
    assert "retender" not in body["allowed_actions"]
    again = rep.post(f"/api/v1/projects/{pid}/retender")
    assert again.status_code == 409 and error_of(again)["code"] == "bid_open"
    closing = rep.post(f"/api/v1/projects/{pid}/close", json={"reason": "放弃"})
    assert closing.status_code == 409
    assert rep.post(f"/api/v1/bids/{body['bid_id']}/abandon", json={"reason": "再次流标"}).status_code == 200
    empty = head.post(f"/api/v1/projects/{pid}/close", json={"reason": " "})
    assert empty.status_code == 422 and set(error_of(empty)["fields"]) == {"reason"}
    unknown = head.post(f"/api/v1/projects/{pid}/close", json={"reason": "放弃", "status": "won"})
    assert unknown.status_code == 422
    closed = head.post(f"/api/v1/projects/{pid}/close", json={"reason": "客户改为单一来源采购"})
    assert closed.status_code == 200, closed.text
    project = closed.json()
    assert (project["status"], project["close_reason"], project["allowed_actions"]) == (
        "lost", "客户改为单一来源采购", [])
    opportunity = rep.get(f"/api/v1/opportunities/{project['opportunity']['id']}").json()
    assert (opportunity["status"], opportunity["outcome"], opportunity["close_reason"]["code"]) == (
        "closed", "lost", "abandoned")
    assert opportunity["allowed_actions"] == [] and opportunity["project_id"] == pid
    assert head.post(f"/api/v1/projects/{pid}/close", json={"reason": "再次"}).status_code == 409
    assert rep.patch(f"/api/v1/projects/{pid}", json={"version": project["version"], "title": "新"}).status_code == 409
    timeline = rep.get(f"/api/v1/projects/{pid}/timeline").json()
    assert [e["action"] for e in timeline][-2:] == ["project.retender", "project.close"]


def test_close_is_refused_while_the_bid_is_live(http):
    rep = http("rep1")
    _rep, _head, pid = approved(http)
    rep.post(f"/api/v1/projects/{pid}/route", json={"to": "bidding"})
    answer = rep.post(f"/api/v1/projects/{pid}/close", json={"reason": "放弃"})
    assert answer.status_code == 409, answer.text
    assert answer.status_code == 409 and error_of(answer)["code"] == "bid_open"
    assert rep.post(f"/api/v1/projects/{pid}/retender").status_code == 409
    assert http().post(f"/api/v1/projects/{pid}/retender").status_code in (401, 403)  # anonymous
