"""`make test-cluster` (issue 19): the reference deployment of deploy/ on this one machine, proven over nginx.

    .venv/bin/python -m tests.cluster.run [--keep] [--load-requests 2000] [--load-seconds 30]

Starts a PostgreSQL primary and its streaming hot standby (private clusters on free ports), Redis, an S3-compatible
server, two app nodes, a task worker and nginx (deploy/nginx/opsmon.conf); then, through nginx:

1. walks opportunity → project → bid → contract signed with browser sessions that bounce between the nodes, a
   document uploaded through one node downloaded through the other;
2. sends 20 identical transitions at once over both nodes: one 200, nineteen 409;
3. locks a login out on one node and finds it locked on the other, for that client address only;
4. read-your-writes and the replica: a write is read back at once although replay is paused; a lagging, then a
   stopped standby sends the dashboards to the primary; back on the standby when it has caught up / is started;
5. Redis stopped: the app keeps serving (sessions from the database), /healthz degraded; started again;
6. object storage cut: uploads and downloads 503 with nothing half-written; a body over the limit is nginx's 413;
7. a bounded mixed load (2,000 requests over ~30 s) during which one node is SIGKILLed: no accepted write lost or
   doubled, every failed request retried successfully on the other node;
8. every periodic job ran once per schedule although both nodes tick it.

Prints the table and exits non-zero on any failed check. Not collected by pytest (no test_ file here).
"""

import argparse
import contextlib
import io
import os
import re
import secrets
import shutil
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import load_workbook

from tests.reliability.harness import run_opsmon

from .client import RECORDER, Client
from .load import LoadClient, Outcome, Plan, percentile, summarize
from .services import (
    Nginx,
    Node,
    ObjectStorage,
    Postgres,
    Process,
    Redis,
    new_secret_key,
    node_environment,
    wait_for,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
READ_FROM = "X-OpsMon-Read-From"


class Cluster:
    def __init__(self, folder: Path):
        self.folder = folder
        self.primary = Postgres(folder, "primary")
        self.standby = Postgres(folder, "standby")
        self.redis = Redis(folder)
        self.storage = ObjectStorage(folder)
        self.static_root = folder / "static"
        self.nodes: list[Node] = []
        self.worker: Process | None = None
        self.nginx: Nginx | None = None
        self.env: dict = {}
        self.timings: dict[str, float] = {}
        self.walk_bid: int | None = None

    def start(self, workers: int = 2) -> "Cluster":
        began = time.monotonic()
        self.env = node_environment(
            database_url=self.primary.url(), replica_url=self.standby.url(), redis_url=self.redis.url,
            storage_url=self.storage.url, static_root=self.static_root, secret_key=new_secret_key(),
            REPLICA_MAX_LAG_SECONDS=2, REPLICA_RETRY_SECONDS=1, REPLICA_READ_YOUR_WRITES_SECONDS=10)
        with ThreadPoolExecutor(4) as pool:  # what does not depend on each other starts together
            static = pool.submit(run_opsmon, self.env, ["collectstatic", "--noinput", "-v0"], timeout=300)
            redis = pool.submit(self.redis.start)
            storage = pool.submit(self.storage.start)
            self.primary.init_primary().start()
            self.primary.query("CREATE DATABASE opsmon", database="postgres")
            standby = pool.submit(lambda: self.standby.init_standby_of(self.primary, slot="opsmon_standby").start())
            redis.result()
            storage.result()
            self.timings["databases, redis, s3"] = time.monotonic() - began
            step = time.monotonic()
            # the standby streams the whole migration and the demo data from here on
            run_opsmon(self.env, ["migrate", "--noinput", "-v0"], ["demo"], timeout=300)
            self.timings["migrate + demo (collectstatic beside)"] = time.monotonic() - step
            standby.result()
            static.result()
        step = time.monotonic()
        self.nodes = [Node(name, self.folder, self.env, workers=workers) for name in ("node-a", "node-b")]
        for node in self.nodes:
            node.start()
        worker_env = {**self.env, "OPSMON_NODE": "worker"}
        self.worker = Process([sys.executable, "-m", "opsmon.cli", "db_worker", "--no-reload", "--interval", "1",
                               "--queue-name", "default,jobs", "--worker-id", "cluster-worker"],
                              self.folder / "worker.log", worker_env).start()
        for node in self.nodes:
            node.wait_ready()
        self.nginx = Nginx(self.folder, [n.address for n in self.nodes], self.static_root).start()
        self.timings["nodes + worker + nginx"] = time.monotonic() - step
        return self

    def node_by_upstream(self, upstream: str) -> str:
        return next((n.name for n in self.nodes if n.address == upstream), upstream or "?")

    def stop(self) -> None:
        for part in [self.nginx, *self.nodes, self.worker]:
            if part is not None:
                with contextlib.suppress(Exception):
                    part.stop(grace=3)
        with contextlib.suppress(Exception):
            self.storage.stop()
        with contextlib.suppress(Exception):
            self.redis.stop()
        for db in (self.standby, self.primary):
            with contextlib.suppress(Exception):
                db.stop("immediate")


class Checks:
    def __init__(self):
        self.results: list[tuple[str, bool, float, str]] = []
        self.notes: list[str] = []

    def phase(self, name: str, func, *args):
        RECORDER.phase = name
        began = time.monotonic()
        print(f"\n== {name}", flush=True)
        try:
            detail = func(*args) or ""
            ok = True
        except Exception as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
            traceback.print_exc()
        seconds = time.monotonic() - began
        self.results.append((name, ok, seconds, str(detail)))
        print(f"   {'ok' if ok else 'FAILED'} ({seconds:.1f} s) {detail}", flush=True)
        return ok


def today() -> date:
    return date.today()


# --- 1. the walk ---------------------------------------------------------------------------------------------------

def walk(cluster: Cluster) -> str:
    base = cluster.nginx.url
    users = {name: Client(base).browser(name) for name in ("rep1", "head1", "lead1", "finance1", "legal1")}
    rep, head, lead = users["rep1"], users["head1"], users["lead1"]
    tag = secrets.token_hex(3)
    customer = rep.ok("POST", "/api/v1/customers", 201, json={"name": f"集群演练客户{tag}", "customer_type": "soe"})
    opp = rep.ok("POST", "/api/v1/opportunities", 201, json={
        "title": f"集群演练 {tag}", "customer_id": customer.json()["id"], "estimated_amount": "2000000.00",
        "expected_close_date": str(today() + timedelta(days=30))}).json()["id"]
    rep.ok("GET", f"/opportunities/{opp}/")
    project = head.ok("POST", f"/api/v1/opportunities/{opp}/convert", json={"comment": "同意立项"}).json()["id"]
    lead_id = lead.ok("GET", "/api/v1/me").json()["id"]
    head.ok("POST", f"/api/v1/projects/{project}/assign-lead", json={"tech_lead_id": lead_id})
    lead.ok("PUT", f"/api/v1/projects/{project}/feasibility", json={
        "technical_assessment": "技术可行", "implementation_assessment": "实施可行", "risks": "工期紧",
        "estimated_effort_days": 90, "conclusion": "feasible"})
    lead.ok("POST", f"/api/v1/projects/{project}/submit-feasibility")
    head.ok("POST", f"/api/v1/projects/{project}/approve", json={"comment": "同意"})
    bid = rep.ok("POST", f"/api/v1/projects/{project}/route", json={"to": "bidding"}).json()["bid_id"]
    cluster.walk_bid = bid
    rep.ok("GET", f"/projects/{project}/")

    # a document uploaded through one node, downloaded through the other
    content = PDF + f"% cluster {tag} {secrets.token_hex(16)}\n".encode()
    upload = rep.ok("POST", f"/api/v1/bids/{bid}/documents", 201, data={"kind": "tender"},
                    files={"file": ("招标文件.pdf", content, "application/pdf")})
    uploaded_on = upload.headers.get("X-Upstream")
    url = upload.json()["download_url"]
    downloads = set()
    for _ in range(6):
        got = rep.ok("GET", url)
        assert got.content == content, "the document came back different"
        downloads.add(got.headers.get("X-Upstream"))
    assert downloads - {uploaded_on}, f"every download went to the uploading node {uploaded_on}"
    stored = [k for k in cluster.storage.objects() if k.startswith("documents/")]
    assert stored, "nothing in object storage"
    on_disk = [p for n in cluster.nodes for p in n.media.rglob("*") if p.is_file()]
    assert not on_disk, f"documents on a node's disk: {on_disk}"

    now = datetime.now().astimezone()
    rep.ok("PUT", f"/api/v1/bids/{bid}/tender-analysis", json={
        "tenderer": "某市轨道交通集团", "agency": "某招标代理有限公司", "tender_no": f"GZ-{tag}",
        "tender_method": "open_tender", "estimated_price": "1200000.00", "ceiling_price": "1300000.00",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "opening_at": (now + timedelta(days=7)).isoformat(),
        "qualification_requirements": "具有相关资质", "scoring_method": "comprehensive", "decision": "bid"})
    rep.ok("POST", f"/api/v1/bids/{bid}/start-preparation")
    rep.ok("POST", f"/api/v1/bids/{bid}/submit")
    rep.ok("PUT", f"/api/v1/bids/{bid}/opening", json={
        "opened_at": now.isoformat(), "winner": "我方科技有限公司",
        "entries": [{"bidder": "我方科技有限公司", "price": "1180000.00", "score": 92.5, "rank": 1, "is_us": True},
                    {"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 88, "rank": 2}]})
    rep.ok("POST", f"/api/v1/bids/{bid}/mark-won")
    contract = rep.ok("POST", f"/api/v1/bids/{bid}/create-contract").json()["contract_id"]
    rep.ok("GET", f"/bids/{bid}/")
    detail = rep.ok("GET", f"/api/v1/contracts/{contract}").json()
    start = today()
    rep.ok("PATCH", f"/api/v1/contracts/{contract}", json={
        "version": detail["version"], "contract_type": "system_integration", "amount": "1180000.00",
        "tax_rate": "13", "start_on": start.isoformat(), "end_on": (start + timedelta(days=365)).isoformat(),
        "terms": "乙方按技术规范书交付。",
        "milestones": [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "30"},
                       {"name": "验收款", "due_on": (start + timedelta(days=200)).isoformat(), "percentage": "70"}]})
    assert rep.ok("POST", f"/api/v1/contracts/{contract}/submit-review").json()["status"] == "in_review"
    status = "in_review"
    for _ in range(8):
        if status == "approved":
            break
        step = rep.ok("GET", f"/api/v1/contracts/{contract}").json()["current_step"]
        rounds = rep.ok("GET", f"/api/v1/contracts/{contract}/reviews").json()
        deciders = [d["user"]["username"] for r in rounds for s in r["steps"] if s["id"] == step["id"]
                    for d in s["deciders"] if not d["decision"]]
        decider = next(users[name] for name in deciders if name in users)
        status = decider.ok("POST", f"/api/v1/contracts/{contract}/reviews/{step['id']}/approve",
                            json={"comment": "无异议"}).json()["status"]
    assert status == "approved", status
    signed = rep.ok("POST", f"/api/v1/contracts/{contract}/sign", data={"signed_on": today().isoformat()},
                    files={"signed_copy": ("合同扫描件.pdf", content + b"% signed\n", "application/pdf")})
    assert signed.json()["status"] == "signed", signed.text
    files = rep.ok("GET", f"/api/v1/contracts/{contract}/attachments").json()["items"]
    for _ in range(2):
        assert rep.ok("GET", files[0]["download_url"]).content == content + b"% signed\n"
    rep.ok("GET", f"/contracts/{contract}/")
    for name, user in users.items():
        seen = {cluster.node_by_upstream(u) for u in user.upstreams if u}
        assert seen == {"node-a", "node-b"}, f"{name}'s session stayed on {seen}"
    requests_made = sum(len(u.upstreams) for u in users.values())
    return (f"contract {signed.json()['number']} signed; {requests_made} requests, every session on both nodes; "
            f"document uploaded on {cluster.node_by_upstream(uploaded_on)}, downloaded on "
            f"{sorted(cluster.node_by_upstream(u) for u in downloads)}")


# --- 2. twenty identical transitions ---------------------------------------------------------------------------------

def twenty_at_once(cluster: Cluster) -> str:
    base = cluster.nginx.url
    rep = Client(base).api_login("rep1")
    customer = rep.ok("GET", "/api/v1/customers").json()["items"][0]["id"]
    opp = rep.ok("POST", "/api/v1/opportunities", 201, json={
        "title": f"并发转立项 {secrets.token_hex(3)}", "customer_id": customer, "estimated_amount": "500000.00",
        "expected_close_date": str(today() + timedelta(days=20))}).json()["id"]
    token = Client(base).api_login("head1").token
    clients = [Client(base, token=token) for _ in range(20)]
    for c in clients:  # a connection each, open before the barrier
        c.ok("GET", "/api/v1/me")
    barrier = threading.Barrier(20)

    def send(c: Client):
        barrier.wait()
        return c.post(f"/api/v1/opportunities/{opp}/convert", json={"comment": "同意"})

    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(send, clients))
    codes = Counter(r.status_code for r in responses)
    assert codes == Counter({200: 1, 409: 19}), codes
    losers = Counter(r.json()["error"]["code"] for r in responses if r.status_code == 409)
    assert set(losers) <= {"wrong_state", "stale_version"}, losers
    nodes = Counter(cluster.node_by_upstream(r.headers.get("X-Upstream", "")) for r in responses)
    assert set(nodes) == {"node-a", "node-b"}, nodes
    projects = cluster.primary.scalar("SELECT count(*) FROM projects_project WHERE opportunity_id = %s", opp)
    assert projects == 1, projects
    return f"{dict(codes)} over {dict(nodes)}; one project"


# --- 3. login lockout across nodes -----------------------------------------------------------------------------------

def lockout(cluster: Cluster) -> str:
    base = cluster.nginx.url
    attacker = Client(base, source="127.0.0.5")
    token = attacker.form_token()
    for attempt in range(5):  # the fifth failure locks at once (429)
        response = attacker.login_form("rep2", "wrong-password", token)
        assert response.status_code == (429 if attempt == 4 else 200), (attempt, response.status_code)
        assert "sessionid" not in response.cookies
    failed_on = {cluster.node_by_upstream(u) for u in attacker.upstreams[1:]}
    answers = []
    for forged in (None, "10.9.9.9", None, "10.9.9.10"):  # the right password now; a forged header changes nothing
        response = attacker.login_form("rep2", token=token, headers={"X-Forwarded-For": forged} if forged else None)
        answers.append((response.status_code, cluster.node_by_upstream(response.headers.get("X-Upstream", ""))))
    assert all(code == 429 for code, _ in answers), answers
    assert {node for _, node in answers} == {"node-a", "node-b"}, answers
    api = Client(base, source="127.0.0.5").post("/api/v1/auth/token", json={"username": "rep2",
                                                                             "password": "opsmon-demo"})
    assert api.status_code == 429, api.status_code
    # the same user from another address is not locked: the lock is keyed on the client, not on nginx's address
    other = Client(base, source="127.0.0.6").login_form("rep2")
    assert other.status_code == 302, other.status_code
    logged = "".join(n.log() for n in cluster.nodes)
    assert "login failed user=rep2 ip=127.0.0.5" in logged, "the audit log does not show the client's address"
    assert "ip=10.9.9.9" not in logged
    return (f"5 failures on {sorted(failed_on)}; then 429 on {sorted({n for _, n in answers})} (forged "
            f"X-Forwarded-For ignored, API 429 too); from 127.0.0.6 the same user logs in")


# --- 4. the replica ------------------------------------------------------------------------------------------------

def _read_from(client: Client, path: str) -> str:
    response = client.ok("GET", path)
    return response.headers.get(READ_FROM, "")


def replica(cluster: Cluster) -> str:
    base = cluster.nginx.url
    head2 = Client(base).api_login("head2")
    rep = Client(base).api_login("rep1")
    wait_for(lambda: _read_from(head2, "/api/v1/insights/funnel") == "replica", 15, "dashboards on the replica")
    seen = {cluster.node_by_upstream(head2.get("/api/v1/insights/pipeline").headers["X-Upstream"]) for _ in range(4)}
    notes = ["dashboards read from the replica"]

    # read-your-writes: replay paused, his new opportunity is in his export at once (from the primary)
    cluster.standby.query("SELECT pg_wal_replay_pause()")
    try:
        customer = rep.ok("GET", "/api/v1/customers").json()["items"][0]["id"]
        title = f"读己之写 {secrets.token_hex(3)}"
        rep.ok("POST", "/api/v1/opportunities", 201, json={
            "title": title, "customer_id": customer, "estimated_amount": "100000.00",
            "expected_close_date": str(today() + timedelta(days=20))})
        export = rep.ok("GET", "/api/v1/opportunities/export.xlsx", params={"q": title})
        assert export.headers.get(READ_FROM) == "primary", export.headers.get(READ_FROM)
        rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
        assert any(title in (cell or "") for row in rows for cell in row if isinstance(cell, str)), rows[:3]
        on_standby = cluster.standby.scalar("SELECT count(*) FROM opportunities_opportunity WHERE title = %s", title)
        assert on_standby == 0, "replay was not paused"
        notes.append("own write read back at once from the primary while replay was paused")
        # lag past the limit: everybody's dashboards go to the primary, /healthz says why
        wait_for(lambda: _read_from(head2, "/api/v1/insights/funnel") == "primary", 20, "fallback for lag")
        health = head2.ok("GET", "/healthz").json()
        assert health["status"] == "degraded" and "behind" in health["checks"]["replica"]["detail"], health
        notes.append(f"lag → primary ({health['checks']['replica']['detail']})")
    finally:
        cluster.standby.query("SELECT pg_wal_replay_resume()")
    wait_for(lambda: _read_from(head2, "/api/v1/insights/funnel") == "replica", 20, "back on the replica")
    wait_for(lambda: rep.ok("GET", "/api/v1/opportunities/export.xlsx", params={"q": title}).headers.get(READ_FROM)
             == "replica", 20, "his reads back on the replica once replayed")
    notes.append("replayed → replica again")

    # the standby stopped: dashboards still answer, from the primary
    cluster.standby.stop("fast")
    stopped = time.monotonic()
    head1 = Client(base).browser("head1")
    answers = [head2.get("/api/v1/insights/funnel") for _ in range(6)] + [head1.get("/insights/")]
    assert all(r.status_code == 200 for r in answers), [r.status_code for r in answers]
    assert all(r.headers.get(READ_FROM) == "primary" for r in answers), [r.headers.get(READ_FROM) for r in answers]
    health = head2.ok("GET", "/healthz").json()
    assert health["checks"]["replica"]["status"] == "degraded" and "unreachable" in health["checks"]["replica"][
        "detail"], health
    def warned() -> bool:
        # a node logs the warning when one of its workers next tries the replica: keep asking, so that nginx's
        # round robin reaches every worker of both nodes
        head2.get("/api/v1/insights/funnel")
        return all("replica unreachable" in n.log() for n in cluster.nodes)

    wait_for(warned, 20, "the warning in both logs", interval=0.2)
    notes.append(f"standby stopped: {len(answers)} dashboards answered from the primary")
    cluster.standby.start()
    wait_for(lambda: _read_from(head2, "/api/v1/insights/funnel") == "replica", 30, "the started standby")
    back = time.monotonic() - stopped
    assert head2.ok("GET", "/healthz").json()["checks"]["replica"]["status"] == "ok"
    return "; ".join(notes) + f"; started again → replica ({back:.1f} s after the stop); nodes {sorted(seen)}"


# --- 5. Redis away -------------------------------------------------------------------------------------------------

def redis_down(cluster: Cluster) -> str:
    base = cluster.nginx.url
    browser = Client(base).browser("rep1b")
    api = Client(base).api_login("rep1b")
    cluster.redis.stop(grace=1)
    try:
        return _without_redis(cluster, browser, api)
    finally:
        if not cluster.redis.running():
            cluster.redis.start()


def _without_redis(cluster: Cluster, browser: Client, api: Client) -> str:
    base = cluster.nginx.url
    pages = [browser.get("/opportunities/") for _ in range(4)] + [api.get("/api/v1/me") for _ in range(2)]
    assert all(p.status_code == 200 for p in pages), [p.status_code for p in pages]
    fresh = Client(base).browser("head2")  # a new session, kept in the database only
    assert fresh.ok("GET", "/").status_code == 200
    wrong = Client(base, source="127.0.0.8").login_form("market1", "wrong-password")
    assert wrong.status_code == 200, wrong.status_code  # throttling fell back to the database, no 500
    health = api.ok("GET", "/healthz").json()
    assert health["status"] == "degraded" and health["checks"]["redis"]["status"] == "degraded", health
    cluster.redis.start()
    wait_for(lambda: api.ok("GET", "/healthz").json()["checks"]["redis"]["status"] == "ok", 15, "redis back")
    assert browser.ok("GET", "/opportunities/").status_code == 200
    return "pages, API and a new login served without Redis; /healthz degraded; back to ok when it returned"


# --- 6. object storage away, and the body limit ---------------------------------------------------------------------

def storage_down(cluster: Cluster) -> str:
    base = cluster.nginx.url
    rep = Client(base).api_login("rep1")
    bid = cluster.walk_bid
    docs = rep.ok("GET", f"/api/v1/bids/{bid}/documents").json()
    before = (docs["count"], len(cluster.storage.objects()))
    cluster.storage.proxy.close()
    try:
        refused = rep.post(f"/api/v1/bids/{bid}/documents", data={"kind": "bid"},
                           files={"file": ("投标文件.pdf", PDF + b"% during outage\n", "application/pdf")})
        assert refused.status_code == 503, (refused.status_code, refused.text)
        error = refused.json()["error"]
        assert error["code"] == "storage_unavailable" and error["message"], error
        download = rep.get(docs["items"][0]["download_url"])
        assert download.status_code == 503 and download.json()["error"]["code"] == "storage_unavailable"
        health = rep.ok("GET", "/healthz").json()
        assert health["checks"]["storage"]["status"] == "degraded", health
    finally:
        cluster.storage.proxy.open()
    after = (rep.ok("GET", f"/api/v1/bids/{bid}/documents").json()["count"], len(cluster.storage.objects()))
    assert after == before, (before, after)
    assert rep.ok("GET", docs["items"][0]["download_url"]).content.startswith(b"%PDF")
    rep.ok("POST", f"/api/v1/bids/{bid}/documents", 201, data={"kind": "bid"},
           files={"file": ("投标文件.pdf", PDF + b"% after outage\n", "application/pdf")})

    # a body over client_max_body_size: nginx answers 413 from the headers alone, no node sees the request
    limit = re.search(r"client_max_body_size (\d+)m;", (cluster.nginx.folder / "site.conf").read_text())
    assert int(limit.group(1)) * 1024 * 1024 == 50 * 1024 * 1024, "nginx's limit is not the app's UPLOAD_MAX_BYTES"
    marker = f"too-big-{secrets.token_hex(4)}"
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with socket.create_connection(("127.0.0.1", cluster.nginx.port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname="localhost") as tls:
        tls.sendall((f"POST /api/v1/bids/{bid}/documents?{marker} HTTP/1.1\r\nHost: localhost:{cluster.nginx.port}\r\n"
                     f"Authorization: Bearer {rep.token}\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                     f"Content-Length: {51 * 1024 * 1024}\r\n\r\n").encode() + b"x" * 65536)
        status_line = tls.recv(200).split(b"\r\n", 1)[0].decode()
    assert " 413 " in status_line, status_line
    time.sleep(0.5)
    assert not any(marker in n.log() for n in cluster.nodes), "the oversize request reached a node"
    return (f"upload and download 503 storage_unavailable, documents {before[0]}→{after[0]}, objects "
            f"{before[1]}→{after[1]} (nothing half-written); served again after; 51 MB body: '{status_line}' from "
            "nginx, no node saw it")


# --- 7. load with a node killed ------------------------------------------------------------------------------------

def load_with_kill(cluster: Cluster, total: int, seconds: float, clients: int = 8) -> dict:
    base = cluster.nginx.url
    tag = secrets.token_hex(3)
    market = Client(base, phase="load").api_login("market1")
    customer = market.ok("GET", "/api/v1/customers").json()["items"][0]["id"]
    pairs = [("rep1", "head1"), ("rep1b", "head1"), ("rep2", "head2")]
    plans = [Plan(base, *pairs[i % len(pairs)], market, customer, f"{tag}-{i}") for i in range(clients)]
    outcome = Outcome()
    progress = [0] * clients
    started = time.monotonic()
    threads = [LoadClient(i, plan, total // clients, seconds, outcome, started, tag, progress)
               for i, plan in enumerate(plans)]
    for t in threads:
        t.start()
    victim = cluster.nodes[0]
    # a third in (by requests, or by time on a slow machine)
    wait_for(lambda: sum(progress) >= total * 0.35 or time.monotonic() - started > seconds * 0.7, seconds * 3,
             "a third of the load")
    killed_at = time.monotonic()
    victim.kill()
    print(f"   {victim.name} killed (SIGKILL, every process) after {sum(progress)} requests, "
          f"{killed_at - started:.1f} s in", flush=True)
    for t in threads:
        t.join(timeout=seconds * 4)
    elapsed = time.monotonic() - started
    attempts = outcome.attempts
    failed = [a for a in attempts if not (isinstance(a.status, int) and a.status < 400)]
    after_kill = [a for a in failed if a.started >= killed_at - 1]
    last_error_end = max((a.started + a.seconds for a in after_kill), default=killed_at)
    recovery = max(0.0, last_error_end - killed_at)

    # every write the server confirmed is there exactly once
    notes = cluster.primary.query(
        "SELECT note, count(*) FROM opportunities_followup WHERE note LIKE %s GROUP BY note", f"load-{tag}-%")
    stored = dict(notes)
    lost = [n for n in outcome.accepted_notes if n not in stored]
    doubled = {n: c for n, c in stored.items() if c > 1}
    phantom = [n for n in stored if n not in set(outcome.accepted_notes)]
    # the node that answered (nginx lists every node it tried: "a, b" when it passed the request on)
    served_after = Counter(cluster.node_by_upstream(a.upstream.split(",")[-1].strip())
                           for a in attempts if a.started > last_error_end + 0.5)
    result = {
        "requests": len(attempts), "seconds": elapsed, "rps": len(attempts) / elapsed, "errors": len(failed),
        "error_kinds": Counter(str(a.status) for a in failed), "recovery": recovery,
        "accepted_writes": len(outcome.accepted_notes), "lost": lost, "doubled": doubled, "phantom": phantom,
        "landed_without_answer": outcome.landed_without_answer,
        "passed_on": sum(1 for a in attempts if "," in a.upstream), "unrecovered": outcome.unrecovered,
        "unexpected": outcome.unexpected, "rows": summarize(attempts), "served_after": served_after,
        "killed_after": killed_at - started, "p50": percentile([a.seconds for a in attempts], 0.5) * 1000,
        "p95": percentile([a.seconds for a in attempts], 0.95) * 1000,
    }
    assert not lost, f"accepted writes lost: {lost[:5]}"
    assert not doubled, f"writes done twice: {list(doubled)[:5]}"
    assert not outcome.unrecovered, outcome.unrecovered[:5]
    assert not outcome.unexpected, outcome.unexpected[:5]
    assert set(served_after) == {"node-b"}, served_after
    return result


# --- 8. periodic jobs ----------------------------------------------------------------------------------------------

CLAIM = re.compile(r"periodic job (\w+) claimed by (\S+) at (\S+)")


def periodic(cluster: Cluster) -> str:
    logs = {n.name: n.log() for n in cluster.nodes}
    for name, text in logs.items():
        assert f"periodic schedule ticked by {name}" in text, f"{name} never ticked the schedule"
    claims: dict[str, list[tuple[datetime, str]]] = {}
    for text in logs.values():
        for job, node, at in CLAIM.findall(text):
            claims.setdefault(job, []).append((datetime.fromisoformat(at), node))
    assert len(claims.get("reminders", [])) == 1, claims.get("reminders")
    for job, every in (("webhooks", 60), ("reminders", 86400)):
        times = sorted(t for t, _ in claims.get(job, []))
        gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:], strict=False)]
        assert all(g >= every - 1 for g in gaps), (job, gaps)
        runs = cluster.primary.scalar("SELECT runs FROM core_periodiclease WHERE name = %s", job)
        assert runs == len(times), (job, runs, len(times))

    def reminders_done():
        rows = cluster.primary.query("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                                     "%send_reminders")
        return rows if rows and all(s == "SUCCESSFUL" for (s,) in rows) else None
    rows = wait_for(reminders_done, 30, "the reminders task run by the worker")
    assert len(rows) == 1, rows
    summary = {job: sorted(Counter(node for _, node in items).items()) for job, items in claims.items()}
    return f"claims per job and node {summary}; reminders queued once and run by the worker"


# --- the report ----------------------------------------------------------------------------------------------------

def report(checks: Checks, load: dict | None, cluster: Cluster, total_seconds: float) -> None:
    print("\n" + "=" * 100)
    print("make test-cluster: nginx + 2 app nodes (gunicorn 2 workers each) + task worker + PostgreSQL primary/standby"
          " + Redis + S3 (moto)")
    for what, seconds in cluster.timings.items():
        print(f"  start: {what:<34} {seconds:6.1f} s")
    print()
    print(f"{'check':<44} {'result':<7} {'s':>6}  detail")
    for name, ok, seconds, detail in checks.results:
        print(f"{name:<44} {'ok' if ok else 'FAILED':<7} {seconds:6.1f}  {detail[:400]}")
    other = [r for r in RECORDER.records if r.phase != "load"]
    if other:
        errors = sum(1 for r in other if not (isinstance(r.status, int) and r.status < 500))
        secs = [r.seconds for r in other]
        print(f"\nfunctional checks: {len(other)} requests over nginx, {errors} answered 5xx or failed (expected: "
              f"the 503s of the storage outage), p50 {percentile(secs, 0.5) * 1000:.0f} ms, p95 "
              f"{percentile(secs, 0.95) * 1000:.0f} ms")
    if load:
        print(f"\nmixed load through nginx: {load['requests']} requests in {load['seconds']:.1f} s "
              f"({load['rps']:.1f}/s), p50 {load['p50']:.0f} ms, p95 {load['p95']:.0f} ms; node-a killed "
              f"{load['killed_after']:.1f} s in")
        print(f"{'route':<52} {'requests':>8} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
        for route, n, errors, p50, p95 in load["rows"]:
            print(f"{route:<52} {n:>8} {errors:>7} {p50:>8.0f} {p95:>8.0f}")
        print(f"errors (failed attempts, all retried): {load['errors']} {dict(load['error_kinds'])}; "
              f"node kill recovery: {load['recovery']:.2f} s (kill → end of the last failed attempt); requests nginx "
              f"passed on from the dead node to the other itself: {load['passed_on']}")
        print(f"writes accepted: {load['accepted_writes']}, lost: {len(load['lost'])}, doubled: {len(load['doubled'])},"
              f" landed although unanswered (found by the client before retrying): {load['landed_without_answer']}; "
              f"unrecovered: {len(load['unrecovered'])}, unexpected: {len(load['unexpected'])}")
    failed = [name for name, ok, _, _ in checks.results if not ok]
    print(f"\n{'PASSED' if not failed else 'FAILED: ' + ', '.join(failed)} in {total_seconds:.0f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--load-requests", type=int, default=2000)
    parser.add_argument("--load-seconds", type=float, default=30)
    parser.add_argument("--keep", action="store_true", help="leave the folder with every log behind")
    args = parser.parse_args(argv)
    began = time.monotonic()
    folder = Path(tempfile.mkdtemp(prefix="opsmon-cluster-"))
    os.chmod(folder, 0o755)
    cluster = Cluster(folder)
    checks = Checks()
    load = None
    try:
        if not checks.phase("start the cluster", lambda: cluster.start() and
                            f"primary :{cluster.primary.port}, standby :{cluster.standby.port}, redis "
                            f":{cluster.redis.port}, s3 :{cluster.storage.port}, nodes "
                            f"{[n.port for n in cluster.nodes]}, nginx :{cluster.nginx.port}"):
            return 1
        checks.phase("1 walk opportunity → signed contract", walk, cluster)
        checks.phase("2 twenty identical transitions at once", twenty_at_once, cluster)
        checks.phase("3 login lockout across nodes", lockout, cluster)
        checks.phase("4 replica: read-your-writes, lag, stop, start", replica, cluster)
        checks.phase("5 Redis stopped and started", redis_down, cluster)
        checks.phase("6 object storage cut; body over the limit", storage_down, cluster)
        holder = {}

        def run_load():
            holder["load"] = load_with_kill(cluster, args.load_requests, args.load_seconds)
            r = holder["load"]
            return (f"{r['requests']} requests, {r['errors']} failed attempts all retried, recovery "
                    f"{r['recovery']:.2f} s, {r['accepted_writes']} writes accepted, 0 lost, 0 doubled")
        checks.phase("7 mixed load, node-a killed midway", run_load)
        load = holder.get("load")
        checks.phase("8 periodic jobs once per schedule", periodic, cluster)
    finally:
        cluster.stop()
        report(checks, load, cluster, time.monotonic() - began)
        failed = any(not ok for _, ok, _, _ in checks.results)
        if args.keep or failed:
            print(f"logs: {folder} (serve.log per node, worker.log, nginx/, primary.log, standby.log)")
            for node in cluster.nodes:
                tail = node.log()[-3000:] if failed else ""
                if tail:
                    print(f"--- {node.name} (last lines) ---\n{tail}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if any(not ok for _, ok, _, _ in checks.results) else 0


if __name__ == "__main__":
    sys.exit(main())
