"""The database goes away and comes back (issue 8, part 5b): while it is away every request that needs it gets
503, as JSON `{"error": {"code": "unavailable"}}` under /api/ and as a page elsewhere, never a 500 and never a
hang; when it is back the app serves again by itself (same processes, same sessions), and the task worker works.

SQLite: the folder holding the database file (and its WAL) is moved away and back. PostgreSQL: the shared server
is never stopped; the app reaches it through a TCP proxy of the test's own that is closed (connections refused,
open ones cut) and reopened, and, for a host that is down without refusing, made to swallow connections.
"""

import io
import re
import shutil
import time
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from .harness import Api, Browser, TcpProxy, move_away, with_port

pytestmark = pytest.mark.reliability

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
QUICK = 3.0  # seconds: a 503 comes at once when the database refuses


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def follow_up() -> dict:
    return {"happened_at": datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat(), "kind": "visit",
            "note": "数据库中断测试。"}


class Users:
    """What a user has open when the database goes: an API token, a logged-in browser, a form with its CSRF token."""

    def __init__(self, server):
        self.server = server
        self.api = server.api("rep1")
        self.opportunity = self.api.one("/api/v1/opportunities", q="数据中心动环监控改造")["id"]
        self.browser = server.browser("rep1")
        self.stranger = Browser(server.url)  # on the login page, not logged in yet
        self.login_token = self.stranger.csrf_form_token("/login/")


def assert_unavailable(users: Users, limit: float = QUICK) -> list[float]:
    """Every kind of request answers 503 in its own format within `limit` seconds; answers the timings."""
    api, browser, path = users.api, users.browser, f"/api/v1/opportunities/{users.opportunity}"
    timings = []
    for method, url, body in (("GET", "/api/v1/me", None), ("GET", "/api/v1/opportunities", None),
                              ("POST", f"{path}/follow-ups", follow_up())):
        response, seconds = timed(lambda method=method, url=url, body=body: api.request(method, url, json=body))
        assert response.status_code == 503, (url, response.status_code, response.text[:300])
        assert response.json()["error"]["code"] == "unavailable", response.text
        timings.append(seconds)
    response, seconds = timed(lambda: Api(users.server.url).post(
        "/api/v1/auth/token", json={"username": "rep1", "password": "opsmon-demo"}))
    assert (response.status_code, response.json()["error"]["code"]) == (503, "unavailable"), response.text
    timings.append(seconds)
    for page in ("/", "/opportunities/"):
        response, seconds = timed(lambda page=page: browser.request("GET", page))
        assert response.status_code == 503, (page, response.status_code)
        assert response.headers["Content-Type"].startswith("text/html") and "503" in response.text
        timings.append(seconds)
    response, seconds = timed(lambda: users.stranger.request("POST", "/login/", data={
        "username": "rep2", "password": "opsmon-demo", "csrfmiddlewaretoken": users.login_token}))
    assert response.status_code == 503 and "503" in response.text, response.status_code
    timings.append(seconds)
    response = api.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"
    assert max(timings) < limit, timings
    return timings


def assert_recovered(users: Users, timeout: float = 60, *, task_worker: bool = True) -> float:
    """The same processes serve again by themselves: API, the open browser session, writes, the task worker."""
    started = time.monotonic()
    while users.api.get("/api/v1/me").status_code != 200:
        assert time.monotonic() - started < timeout, "not serving again"
        time.sleep(0.2)
    recovered = time.monotonic() - started
    path = f"/api/v1/opportunities/{users.opportunity}/follow-ups"
    assert users.api.post(path, json=follow_up()).status_code == 201
    assert users.browser.request("GET", "/opportunities/").status_code == 200
    assert users.server.process.poll() is None  # `opsmon serve` itself never went down
    if not task_worker:
        return recovered

    wb = Workbook(write_only=True)  # the task worker: a background import runs to its end
    ws = wb.create_sheet("商机")
    ws.append(["商机名称", "客户名称", "预计金额", "预计成交日期"])
    ws.append(["中断恢复后的导入", "国网福建省电力有限公司", 1000, "2099-01-01"])
    content = io.BytesIO()
    wb.save(content)
    token = users.browser.csrf_form_token("/opportunities/import/")
    response = users.browser.request("POST", "/opportunities/import/", data={"csrfmiddlewaretoken": token},
                                     files={"file": ("恢复.xlsx", content.getvalue(), XLSX)})
    assert response.status_code == 302, response.text[-1000:]
    job = int(re.search(r"/import/(\d+)/", response.headers["Location"]).group(1))
    deadline = time.monotonic() + 60
    while (status := users.api.get(f"/api/v1/opportunities/import-jobs/{job}").json()["status"]) != "done":
        assert status != "failed" and time.monotonic() < deadline, status
        time.sleep(0.5)
    assert '" 500 ' not in users.server.log()
    return recovered


def test_sqlite_file_away_answers_503_and_recovers(prod_server, databases):
    if databases.vendor != "sqlite":
        pytest.skip("the SQLite run covers this; the PostgreSQL run has the proxy tests")
    server = prod_server()
    users = Users(server)
    folder = server.db.path.parent
    away = move_away(folder)
    try:
        time.sleep(1.5)  # the task worker notices too, and is restarted by `opsmon serve` while the file is away
        timings = assert_unavailable(users)
    finally:
        shutil.move(away, folder)
    recovered = assert_recovered(users)
    print(f"\nSQLite away: 503 within {max(timings) * 1000:.0f} ms; serving again {recovered:.1f} s after it came back")


def test_postgres_stopped_answers_503_and_recovers(prod_server, databases, demo_template):
    if databases.vendor != "postgresql":
        pytest.skip("PostgreSQL only (run with DATABASE_URL=postgres://…)")
    proxy = TcpProxy(urlsplit(databases.suite_url).port or 5432).open()
    try:
        db = databases.new("down", template=demo_template)
        server = prod_server(db, database_url=with_port(db.url, proxy.port))
        users = Users(server)

        proxy.close()  # refused, and every open connection cut: the server was stopped
        timings = assert_unavailable(users)
        proxy.open()
        recovered = assert_recovered(users)
        print(f"\nPostgreSQL stopped: 503 within {max(timings) * 1000:.0f} ms; serving again {recovered:.1f} s after")

        proxy.swallow()  # the host is gone without a word: connections are accepted and never answered
        response, seconds = timed(lambda: users.api.get("/api/v1/me"))
        assert (response.status_code, response.json()["error"]["code"]) == (503, "unavailable"), response.text
        assert seconds < 15, seconds  # connect_timeout (5 s), not the kernel's two minutes
        proxy.forward()
        assert_recovered(users, task_worker=False)
        print(f"PostgreSQL unreachable: 503 after {seconds:.1f} s")
    finally:
        proxy.close()
