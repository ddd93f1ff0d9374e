"""The change feed under concurrent writers (issue 22), on the production server over real HTTP.

Two API clients (rep1 and rep2, bearer tokens, one thread each) create and edit records at the same time while a
third (head1, rep1's department head) follows `GET /api/v1/changes` in a loop. The follower must read every change
it may see exactly once, in commit order, and never one it may not see:

- the oracle is the server's own database: every timeline entry written meanwhile, by its commit position;
- "may see" is asked of the records' own detail routes (200 or 404 for head1), not of the feed;
- commit order is also checked against what the writers know: each one sends a request only after the previous
  one answered (committed), so its changes must come in the order it made them.
"""

import io
import secrets
import threading
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from opsmon.feed import cursor

pytestmark = pytest.mark.reliability

WRITES = 12  # per writer: a customer, then WRITES opportunities each created and edited, and one Excel import
IMPORTED = 40  # rows of each writer's import: one transaction, its changes written in bulk (COPY on PostgreSQL)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DETAIL = {"customer": "/api/v1/customers/{}", "opportunity": "/api/v1/opportunities/{}",
          "project": "/api/v1/projects/{}", "bid": "/api/v1/bids/{}", "contract": "/api/v1/contracts/{}"}


def read(api, after, limit=500) -> dict:
    response = api.get("/api/v1/changes", params={"after": after, "limit": limit} if after else {"limit": limit})
    assert response.status_code == 200, response.text
    return response.json()


def catch_up(api, after) -> tuple[list[dict], str]:
    items = []
    while True:
        page = read(api, after)
        items += page["items"]
        if page["next"] == after:
            return items, after
        after = page["next"]


def workbook(customer: str, title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商机")
    ws.append(["商机名称", "客户名称", "统一社会信用代码", "客户类型", "预计金额", "币种", "预计成交日期", "商机来源",
               "行业", "地区", "商机阶段", "描述"])
    close = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=90)
    for i in range(IMPORTED):
        ws.append([f"{title} {i}", customer, None, "国有企业", 10000 + i, "CNY", close, "招标公告", "energy",
                   "110000", "qualified", "订阅测试"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def finished(send, job_id: int, seconds: float = 120) -> dict:
    """The import job once the task worker has run it (done), polled as a client would."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = send("GET", f"/api/v1/jobs/{job_id}", None, 200)
        if job["status"] in ("done", "failed"):
            assert job["status"] == "done", job
            return job
        time.sleep(0.2)
    raise AssertionError(f"import job {job_id} did not finish in {seconds} s")


def key(item) -> tuple:
    return item["type"], item["id"], item["action"]


def test_a_follower_reads_every_change_it_may_see_once_in_commit_order(prod_server):
    server = prod_server()
    follower = server.api("head1")
    _, start = catch_up(follower, None)
    start_position = cursor.decode(start)
    assert 0 < start_position <= server.db.scalar("SELECT MAX(position) FROM core_change")

    tag = secrets.token_hex(3)
    close = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=60)).isoformat()
    made: dict[str, list[tuple]] = {}
    failures: list[str] = []
    writing = threading.Event()
    # The follower's sightings while writing: the writers wait (briefly) for the first at the half-way mark and the
    # second before their last write, so a loaded machine cannot let them finish between two of his reads.
    sightings = [threading.Event(), threading.Event()]
    barrier = threading.Barrier(2)

    def write(username):
        api, log = server.api(username), []
        made[username] = log

        def send(method, path, body, status, **kwargs):
            response = api.request(method, path, json=body, **kwargs)
            if response.status_code != status:
                failures.append(f"{username} {method} {path}: {response.status_code} {response.text[:200]}")
                raise AssertionError(failures[-1])
            return response.json()

        barrier.wait()
        customer = send("POST", "/api/v1/customers", {"name": f"订阅测试{tag}{username}有限公司",
                                                      "customer_type": "soe"}, 201)
        log.append(("customer", customer["id"], "customer.created"))
        for i in range(WRITES):
            if i in (WRITES // 2, WRITES - 1):
                sightings[0 if i == WRITES // 2 else 1].wait(30)
            if i == WRITES // 2:
                content = workbook(customer["name"], f"订阅导入 {tag} {username}")
                job = send("POST", "/api/v1/opportunities/import", None, 202,
                           files={"file": ("feed.xlsx", content, XLSX)})
                imported = finished(send, job["job_id"])  # the task worker's: waited for, so the order holds
                log += [("opportunity", pk, "opportunity.imported") for pk in sorted(imported["result"]["ids"])]
            opportunity = send("POST", "/api/v1/opportunities", {
                "title": f"订阅 {tag} {username} {i}", "customer_id": customer["id"],
                "estimated_amount": "100000.00", "expected_close_date": close}, 201)
            log.append(("opportunity", opportunity["id"], "opportunity.created"))
            send("PATCH", f"/api/v1/opportunities/{opportunity['id']}",
                 {"version": opportunity["version"], "title": f"订阅 {tag} {username} {i}（改）"}, 200)
            log.append(("opportunity", opportunity["id"], "opportunity.updated"))

    received: list[dict] = []
    polls = {"while_writing": 0, "with_items": 0}

    def follow():
        after = start
        while writing.is_set():
            page = read(follower, after, limit=7)  # small pages: many reads while the writers commit
            polls["while_writing"] += 1
            polls["with_items"] += bool(page["items"])
            if page["items"]:
                sightings[min(polls["with_items"], 2) - 1].set()
            received.extend(page["items"])
            after = page["next"]
            time.sleep(0.01)
        polls["after"] = after

    writing.set()
    writers = [threading.Thread(target=write, args=(name,)) for name in ("rep1", "rep2")]
    reader = threading.Thread(target=follow)
    reader.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join(300)
    writing.clear()
    reader.join(60)
    assert not failures, failures
    rest, _ = catch_up(follower, polls["after"])
    received += rest

    # the oracle: every timeline entry written since the start, each placed once, by position
    assert server.db.scalar(
        "SELECT COUNT(*) FROM core_timelineentry t WHERE t.id > (SELECT entry_id FROM core_change WHERE position = %s)"
        " AND NOT EXISTS (SELECT 1 FROM core_change c WHERE c.entry_id = t.id AND c.position IS NOT NULL)",
        start_position) == 0
    rows = server.db.query(
        "SELECT ct.model, t.object_id, t.action, c.position FROM core_change c "
        "JOIN core_timelineentry t ON t.id = c.entry_id JOIN django_content_type ct ON ct.id = t.content_type_id "
        "WHERE c.position > %s ORDER BY c.position", start_position)
    committed = [(model, object_id, action) for model, object_id, action, _ in rows]
    assert len(committed) == len({position for *_, position in rows}) >= 2 * (2 * WRITES + 1 + IMPORTED)

    # each writer's changes in the order it made them (each request sent after the previous one committed); an
    # import's changes, one transaction, take consecutive positions
    for username, log in made.items():
        assert [c for c in committed if c in set(log)] == log, username
        imported = [n for n, c in enumerate(committed) if c[2] == "opportunity.imported" and c in set(log)]
        assert len(imported) == IMPORTED and imported == list(range(imported[0], imported[0] + IMPORTED)), username

    # what head1 may see, asked of each record's own detail route
    sees = {}
    for model, object_id in {(m, i) for m, i, _ in committed}:
        if model in DETAIL:
            status = follower.get(DETAIL[model].format(object_id)).status_code
            assert status in (200, 404), status
            sees[(model, object_id)] = status == 200
    expected = [c for c in committed if sees.get(c[:2], False)]
    got = [key(i) for i in received]

    assert len(got) == len({(*key(i), i["at"]) for i in received}), "a change was answered twice"
    assert got == expected  # every change he may see, once, in commit order, and nothing else
    hidden = [c for c in made["rep2"] if c[0] == "opportunity"]
    assert hidden and not set(hidden) & set(got)  # rep2's opportunities are out of head1's scope
    assert set(made["rep1"]) <= set(got)
    assert ("customer", made["rep2"][0][1], "customer.created") in got  # customers are company-wide
    interleaved = sum(1 for a, b in zip(committed, committed[1:], strict=False)
                      if (a in set(made["rep1"])) != (b in set(made["rep1"])))
    print(f"\nfeed on {server.db.vendor}: {len(committed)} changes committed by two writers "
          f"({interleaved} switches between them), {len(got)} answered to head1, "
          f"{polls['while_writing']} reads while writing ({polls['with_items']} with items)")
    assert polls["with_items"] >= 2  # he followed while they wrote, not only afterwards
