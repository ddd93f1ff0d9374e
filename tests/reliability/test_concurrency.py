"""Twenty people press the same button at the same moment, on the production server (4 gunicorn workers):
exactly one wins, the others get 409, the timeline has one entry, nobody gets a 5xx (issue 8, part 2).

Each test sends its 20 requests from 20 threads released together by a barrier, each thread with its own
connection; the server's own database answers the checks.
"""

import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.reliability

N = 20


def today():
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the server's TIME_ZONE


def at_once(server, username: str, method: str, paths, bodies):
    """len(bodies) requests released at the same instant from as many threads; answers [(response, seconds)]."""
    paths = paths if isinstance(paths, list) else [paths] * len(bodies)
    clients = [server.api(username) for _ in bodies]
    barrier = threading.Barrier(len(bodies))

    def send(i):
        barrier.wait()
        start = time.perf_counter()
        response = clients[i].request(method, paths[i], json=bodies[i])
        return response, time.perf_counter() - start

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(send, range(len(bodies))))


def one_winner(results, *, ok=200, loser_codes=("wrong_state", "stale_version")):
    """Exactly one `ok`, every other a 409 with a conflict code; no 5xx. Answers the winning response."""
    codes = Counter(r.status_code for r, _ in results)
    detail = [(r.status_code, r.text[:200]) for r, _ in results if r.status_code not in (ok, 409)]
    assert codes == Counter({ok: 1, 409: len(results) - 1}), (codes, detail)
    for response, _ in results:
        if response.status_code == 409:
            assert response.json()["error"]["code"] in loser_codes, response.text
    slowest = max(seconds for _, seconds in results)
    print(f"{len(results)} at once: {dict(codes)}, slowest answer {slowest:.2f} s")
    return next(r for r, _ in results if r.status_code == ok)


def actions(api, path: str) -> Counter:
    response = api.get(path)
    assert response.status_code == 200, response.text
    return Counter(entry["action"] for entry in response.json())


def test_twenty_conversions_of_one_opportunity_make_one_project(demo_server):
    head = demo_server.api("head1")
    opportunity = head.one("/api/v1/opportunities", q="政务云运行监控系统扩容")
    assert opportunity["status"] == "conversion_requested"
    path = f"/api/v1/opportunities/{opportunity['id']}"

    winner = one_winner(at_once(demo_server, "head1", "POST", f"{path}/convert", [{"comment": "同意立项。"}] * N))

    assert winner.json()["opportunity"]["status"] == "converted"
    assert actions(head, f"{path}/timeline")["opportunity.convert"] == 1
    assert demo_server.db.scalar("SELECT COUNT(*) FROM projects_project WHERE opportunity_id = %s",
                                 opportunity["id"]) == 1


def test_twenty_approvals_of_one_review_step_decide_it_once(demo_server):
    finance = demo_server.api("finance1")
    contract = finance.one("/api/v1/contracts", q="银行核心系统运维可视化", status="in_review")
    path = f"/api/v1/contracts/{contract['id']}"
    steps = finance.get(f"{path}/reviews").json()[-1]["steps"]
    step = next(s for s in steps if s["status"] == "current")
    assert [d["user"]["username"] for d in step["deciders"]] == ["finance1"]
    before = actions(finance, f"{path}/timeline")["contract.step_approved"]

    one_winner(at_once(demo_server, "finance1", "POST", f"{path}/reviews/{step['id']}/approve", [{}] * N),
               loser_codes=("not_current", "already_decided", "stale_version", "wrong_state"))

    assert actions(finance, f"{path}/timeline")["contract.step_approved"] == before + 1
    after = {s["id"]: s for s in finance.get(f"{path}/reviews").json()[-1]["steps"]}
    assert after[step["id"]]["status"] == "approved"
    assert [d["decision"] for d in after[step["id"]]["deciders"]] == ["approve"]
    assert sum(s["status"] == "current" for s in after.values()) == 1  # the next step, once


def test_twenty_mark_won_of_one_bid_win_it_once(demo_server):
    head = demo_server.api("head1")
    bid = head.one("/api/v1/bids", q="（备件采购）")
    assert bid["status"] == "opened"
    path = f"/api/v1/bids/{bid['id']}"

    winner = one_winner(at_once(demo_server, "head1", "POST", f"{path}/mark-won", [None] * N))

    assert winner.json()["status"] == "won"
    assert actions(head, f"{path}/timeline")["bid.mark_won"] == 1


def test_twenty_refunds_of_one_bond_refund_it_once(demo_server):
    assistant = demo_server.api("assistant1")
    bid = assistant.one("/api/v1/bids", q="（运维服务包）")
    bond = next(b for b in assistant.get(f"/api/v1/bids/{bid['id']}/bonds").json()["items"] if b["status"] == "paid")
    body = {"refunded_on": today().isoformat(), "amount": bond["amount"], "interest": "3.20"}

    winner = one_winner(at_once(demo_server, "assistant1", "POST", f"/api/v1/bonds/{bond['id']}/refund", [body] * N))

    assert winner.json()["status"] == "refunded"
    assert demo_server.db.timeline_count("bond.refund", "bond", bond["id"]) == 1


def test_twenty_simultaneous_creations_get_twenty_distinct_numbers(demo_server):
    rep = demo_server.api("rep1")
    customer = rep.get("/api/v1/customers").json()["items"][0]["id"]
    tag = secrets.token_hex(3)
    bodies = [{"title": f"并发创建 {tag} {i}", "customer_id": customer, "estimated_amount": "100000.00",
               "expected_close_date": (today() + timedelta(days=30)).isoformat()} for i in range(N)]

    results = at_once(demo_server, "rep1", "POST", "/api/v1/opportunities", bodies)

    assert [r.status_code for r, _ in results] == [201] * N, [r.text[:200] for r, _ in results]
    numbers = {r.json()["number"] for r, _ in results}
    assert len(numbers) == N
    stored = demo_server.db.query("SELECT number FROM opportunities_opportunity WHERE title LIKE %s",
                                  f"并发创建 {tag} %")
    assert {n for (n,) in stored} == numbers
    print(f"{N} creations at once: numbers {min(numbers)} … {max(numbers)}, slowest "
          f"{max(s for _, s in results):.2f} s")


def test_twenty_edits_from_the_same_version_keep_exactly_one(demo_server):
    rep = demo_server.api("rep1")
    opportunity = rep.one("/api/v1/opportunities", q="数据中心动环监控改造")
    path = f"/api/v1/opportunities/{opportunity['id']}"
    version = opportunity["version"]
    before = actions(rep, f"{path}/timeline")["opportunity.updated"]
    bodies = [{"version": version, "title": f"数据中心动环监控改造（第 {i} 稿）"} for i in range(N)]

    winner = one_winner(at_once(demo_server, "rep1", "PATCH", path, bodies), loser_codes=("stale_version",))

    now = rep.get(path).json()
    assert now["version"] == version + 1
    assert now["title"] == winner.json()["title"]
    assert actions(rep, f"{path}/timeline")["opportunity.updated"] == before + 1
