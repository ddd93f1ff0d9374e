"""Killing the task worker in the middle of a 10,000-row Excel import (issue 8, part 5a): nothing of the file is
saved (no opportunity, no customer, no timeline entry), the job shows "failed" to its owner instead of hanging
in "saving", no task stays RUNNING, a new worker takes over and the same file then imports completely.

The worker is SIGKILLed while it is inside the import's one transaction with rows already written: on SQLite
it holds the write lock, on PostgreSQL its backend has a transaction id.
"""

import contextlib
import io
import os
import re
import secrets
import signal
import sqlite3
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook

from .conftest import LONG

pytestmark = pytest.mark.reliability

ROWS = 10_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(rows: int, tag: str) -> bytes:
    """The import template's columns; a new customer every 20 rows, so customers are created too."""
    close = datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=120)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商机")
    ws.append(["商机名称", "客户名称", "统一社会信用代码", "客户类型", "预计金额", "币种", "预计成交日期", "商机来源",
               "行业", "地区", "商机阶段", "描述"])
    for i in range(rows):
        ws.append([f"可靠性导入 {tag} {i}", f"可靠性客户{tag}-{i // 20}有限公司", None, "国有企业", 10000 + i,
                   "CNY", close, "招标公告", "energy", "110000", "qualified", "终止测试"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def saved(db, tag: str) -> dict:
    """What exists of the file `tag`: opportunities, customers, and timeline entries of either."""
    return {
        "opportunities": db.scalar("SELECT COUNT(*) FROM opportunities_opportunity WHERE title LIKE %s",
                                   f"可靠性导入 {tag} %"),
        "customers": db.scalar("SELECT COUNT(*) FROM customers_customer WHERE name LIKE %s", f"可靠性客户{tag}-%"),
        "timeline": db.scalar("SELECT COUNT(*) FROM core_timelineentry WHERE action IN "
                              "('opportunity.imported', 'customer.imported') AND comment LIKE %s", f"%{tag}%"),
    }


def in_write_transaction(db) -> bool:
    """Someone (the worker: nobody else writes now) is inside a write transaction that has not committed."""
    if db.vendor == "sqlite":
        with contextlib.closing(sqlite3.connect(db.path, timeout=0, isolation_level=None)) as probe:
            try:
                probe.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # database is locked: the write lock is held
                return True
            probe.execute("ROLLBACK")
            return False
    # Not "any backend with a transaction id": the supervisor's periodic claims have one too. The import's
    # transaction is the one holding the INSERT lock on the tables it fills, until it ends.
    return bool(db.scalar("SELECT COUNT(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
                          "WHERE l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid() AND l.database = "
                          "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                          "AND c.relname IN ('customers_customer', 'opportunities_opportunity')"))


def upload(browser, name: str, content: bytes) -> int:
    token = browser.csrf_form_token("/opportunities/import/")
    response = browser.request("POST", "/opportunities/import/", data={"csrfmiddlewaretoken": token},
                               files={"file": (name, content, XLSX)})
    assert response.status_code == 302, response.text[-2000:]
    return int(re.search(r"/import/(\d+)/", response.headers["Location"]).group(1))


def wait_job(api, job_id: int, statuses, timeout: float = 120, server=None) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/api/v1/opportunities/import-jobs/{job_id}").json()
        if job["status"] in statuses:
            return job
        time.sleep(0.3)
    log = server.log()[-6000:] if server else ""
    pytest.fail(f"job {job_id} still {job['status']} after {timeout} s\n{log}")


def kill_mid_save(server, browser, content: bytes, name: str, delay: float = 0.05) -> tuple[int, float]:
    """Upload, wait until the worker is inside the saving transaction, let it write for `delay` seconds, SIGKILL
    it; answers (job id, seconds since the job said "saving")."""
    db = server.db
    job_id = upload(browser, name, content)
    worker = server.task_worker_pid()
    deadline = time.monotonic() + 180
    saving_since = None
    while time.monotonic() < deadline:
        status = db.scalar("SELECT status FROM core_job WHERE id = %s", job_id)
        if status in ("done", "failed"):
            pytest.fail(f"the import ended ({status}) before the worker could be killed in it")
        if status == "saving":
            saving_since = saving_since or time.monotonic()
            if in_write_transaction(db):
                time.sleep(delay)  # let it write rows
                assert in_write_transaction(db), "the import committed before it could be killed; lower the delay"
                os.kill(worker, signal.SIGKILL)
                return job_id, time.monotonic() - saving_since
        time.sleep(0.01)
    pytest.fail("the import never reached its saving transaction")


def test_killing_the_worker_mid_import_saves_nothing_and_fails_the_job(demo_server):
    tag = secrets.token_hex(3)
    content = workbook(ROWS, tag)
    db, api, browser = demo_server.db, demo_server.api("rep1"), demo_server.browser("rep1")
    assert saved(db, tag) == {"opportunities": 0, "customers": 0, "timeline": 0}
    worker = demo_server.task_worker_pid()

    for attempt, delay in enumerate((0.02, 0.1, 0.2) if LONG else (0.05,)):
        job_id, into_saving = kill_mid_save(demo_server, browser, content, f"可靠性{tag}.xlsx", delay)
        job = wait_job(api, job_id, ("failed", "done"), timeout=60, server=demo_server)
        print(f"\nkilled the task worker {into_saving * 1000:.0f} ms into saving {ROWS} rows "
              f"(attempt {attempt + 1}); the job shows: {job['status']}, {job['message']!r}")
        assert job["status"] == "failed" and job["created_count"] == 0 and job["message"]
        assert saved(db, tag) == {"opportunities": 0, "customers": 0, "timeline": 0}
        assert db.scalar("SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING' "
                         "AND task_path LIKE '%%jobs.run_job'") == 0
        deadline = time.monotonic() + 30  # `opsmon serve` starts a new worker
        while demo_server.task_worker_pid() in (None, worker) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert demo_server.task_worker_pid() not in (None, worker)
        worker = demo_server.task_worker_pid()

    started = time.monotonic()
    job = wait_job(api, upload(browser, f"可靠性{tag}.xlsx", content), ("failed", "done"), server=demo_server)
    print(f"the same file again: {job['status']}, {job['created_count']} rows in {time.monotonic() - started:.1f} s")
    assert (job["status"], job["created_count"]) == ("done", ROWS), job
    assert saved(db, tag) == {"opportunities": ROWS, "customers": ROWS // 20, "timeline": ROWS + ROWS // 20}


@pytest.mark.skipif(not LONG, reason="make test-reliability-long")
def test_killing_the_web_workers_does_not_stop_an_api_import(demo_server):
    """The API import runs in the task worker (issue 18), not in the request: it answers 202 at once; SIGKILL every
    gunicorn worker while the job saves, and the job still ends done with every row of the file."""
    import requests

    tag = secrets.token_hex(3)
    content, name = workbook(ROWS, tag), f"可靠性接口{tag}.xlsx"
    db, api = demo_server.db, demo_server.api("rep1")
    response = api.post("/api/v1/opportunities/import", files={"file": (name, content, XLSX)}, timeout=300)
    assert response.status_code == 202, response.text[:500]
    job_id = response.json()["job_id"]
    deadline = time.monotonic() + 180
    while db.scalar("SELECT status FROM core_job WHERE id = %s", job_id) != "saving":
        assert time.monotonic() < deadline, "the import never reached its saving transaction"
        time.sleep(0.01)
    for pid in demo_server.gunicorn_workers():
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while True:  # gunicorn's master starts new workers
        with contextlib.suppress(requests.RequestException):
            if api.get("/api/v1/me").status_code == 200:
                break
        assert time.monotonic() < deadline
        time.sleep(0.2)
    job = wait_job(api, job_id, ("failed", "done"), server=demo_server)
    assert (job["status"], job["created_count"]) == ("done", ROWS), job
    assert saved(db, tag) == {"opportunities": ROWS, "customers": ROWS // 20, "timeline": ROWS + ROWS // 20}


def test_an_import_does_not_wait_for_the_schedules_worker(demo_server):
    """Users' jobs have a worker of their own (issue 18: a reminders run over a large database took minutes and an
    import queued behind it waited that long). With the schedule's worker frozen (SIGSTOP: as busy as it gets),
    an import still runs to the end; the schedule's work waits for its own worker."""
    tag = secrets.token_hex(3)
    db, api, browser = demo_server.db, demo_server.api("rep1"), demo_server.browser("rep1")
    schedule_worker, jobs_worker = demo_server.task_worker_pid("default"), demo_server.task_worker_pid("jobs")
    assert schedule_worker and jobs_worker and schedule_worker != jobs_worker
    os.kill(schedule_worker, signal.SIGSTOP)
    try:
        deadline = time.monotonic() + 10  # not frozen inside a write of its own (its poll is read-only on SQLite)
        while in_write_transaction(db) and time.monotonic() < deadline:
            os.kill(schedule_worker, signal.SIGCONT)
            time.sleep(0.05)
            os.kill(schedule_worker, signal.SIGSTOP)
        job = wait_job(api, upload(browser, f"队列{tag}.xlsx", workbook(200, tag)), ("failed", "done"), timeout=60,
                       server=demo_server)
        assert (job["status"], job["created_count"]) == ("done", 200), job
        assert saved(db, tag)["opportunities"] == 200
    finally:
        os.kill(schedule_worker, signal.SIGCONT)
