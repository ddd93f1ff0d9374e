"""The Excel endpoints, the web import and `opsmon serve`'s task worker, through real HTTP."""

import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from opsmon.core.models import Job, StoredFile
from opsmon.opportunities import excel
from opsmon.opportunities.models import Opportunity

from . import factories

pytestmark = pytest.mark.django_db(transaction=True)
XLSX = excel.XLSX_CONTENT_TYPE
HEADER = ["商机名称", "客户名称", "预计金额", "预计成交日期", "商机阶段"]


def workbook(rows, header=HEADER) -> bytes:
    wb = Workbook()
    wb.active.append(header)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good(n: int) -> list:
    return [f"接口导入项目{n}", f"接口客户{n}", 5000 + n, timezone.localdate() + timedelta(days=20), "qualified"]


def error_of(response):
    body = response.json()
    assert set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def job_of(client, response, status: str = "done") -> dict:
    """Poll the job a 202 answered until it ends (the test settings run it right after the request's commit)."""
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert set(accepted) == {"job_id", "status", "url"} and accepted["url"] == f"/api/v1/jobs/{accepted['job_id']}"
    deadline = time.monotonic() + 30
    while True:
        body = client.get(accepted["url"]).json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert body["status"] == status, body
    return body


def sheet(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def test_export_answers_an_xlsx_with_the_list_filters_and_the_callers_language(http, org):
    factories.opportunity(org["rep1"], stage="proposal")
    wanted = factories.opportunity(org["rep1"], stage="commit", estimated_amount="2500.75")
    factories.opportunity(org["rep2"], stage="commit")
    rep = http("rep1")
    response = rep.get("/api/v1/opportunities/export.xlsx?stage=commit")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == XLSX and "attachment" in response.headers["Content-Disposition"]
    rows = sheet(response.content)
    assert rows[0][:3] == ("商机编号", "商机名称", "客户名称")
    assert [r[0] for r in rows[1:]] == [wanted.number]
    assert rows[1][rows[0].index("预计金额")] == 2500.75
    english = sheet(rep.get("/api/v1/opportunities/export.xlsx", headers={"Accept-Language": "en"}).content)
    assert english[0][:3] == ("Number", "Title", "Customer") and len(english) == 3
    assert rep.get("/api/v1/opportunities/export.xlsx?amount_min=-1").status_code == 422
    assert http().get("/api/v1/opportunities/export.xlsx").status_code == 401


def test_template_downloads_and_imports_unchanged(http):
    rep = http("rep2")
    template = rep.get("/api/v1/opportunities/import-template.xlsx")
    assert template.status_code == 200 and template.headers["Content-Type"] == XLSX
    assert load_workbook(io.BytesIO(template.content)).sheetnames == ["商机", "说明"]
    response = rep.post("/api/v1/opportunities/import", files={"file": ("模板.xlsx", template.content, XLSX)})
    assert job_of(rep, response)["result"]["created"] == 1


def test_import_answers_the_ids_of_what_it_created(http, org):
    rep = http("rep1")
    response = rep.post("/api/v1/opportunities/import",
                        files={"file": ("商机.xlsx", workbook([good(1), good(2)]), XLSX)})
    job = job_of(rep, response)
    assert (job["kind"], job["done"], job["total"], job["percent"], job["errors"]) == (
        "opportunities.import", 2, 2, 100, [])
    body = job["result"]
    assert body["created"] == 2 and len(body["ids"]) == 2
    detail = rep.get(f"/api/v1/opportunities/{body['ids'][0]}").json()
    assert detail["title"] == "接口导入项目1" and detail["stage"]["code"] == "qualified"
    assert detail["owner"]["username"] == "rep1" and detail["estimated_amount"] == "5001.00"
    timeline = rep.get(f"/api/v1/opportunities/{body['ids'][0]}/timeline").json()
    assert [e["action"] for e in timeline] == ["opportunity.imported"]
    assert http("rep2").get(f"/api/v1/opportunities/{body['ids'][0]}").status_code == 404


def test_a_refused_import_fails_its_job_with_every_row_error_and_saves_nothing(http):
    rep = http("rep1")
    bad = good(2)
    bad[2] = -3
    bad[4] = "nonsense"
    response = rep.post("/api/v1/opportunities/import",
                        files={"file": ("商机.xlsx", workbook([good(1), bad, good(3), bad]), XLSX)},
                        headers={"Accept-Language": "en"})
    job = job_of(rep, response, "failed")
    assert "nothing was imported" in job["message"] and job["result"] == {} and job["result_url"] is None
    assert [(r["row"], r["column"]) for r in job["errors"]] == [
        (3, "预计金额"), (3, "商机阶段"), (5, "预计金额"), (5, "商机阶段")]
    assert all(r["message"] for r in job["errors"]) and job["error_count"] == 4
    assert Opportunity.objects.count() == 0


@pytest.mark.parametrize(("name", "content", "expect"), [
    ("商机.xlsx", b"just some text", "xlsx"),
    ("商机.pdf", b"%PDF-1.4 whatever", ""),
])
def test_files_that_are_no_workbook_are_422_at_once_and_keep_nothing(http, name, content, expect):
    response = http("rep1").post("/api/v1/opportunities/import", files={"file": (name, content, XLSX)},
                                 headers={"Accept-Language": "en"})
    assert response.status_code == 422, response.text
    error = error_of(response)
    assert error["code"] == "import_refused" and error["message"]
    assert expect in error["message"] + " ".join(r["message"] for r in response.json()["rows"])
    assert not Job.objects.exists() and not StoredFile.objects.exists()


def test_a_file_over_the_upload_limit_is_413_at_once(http, settings):
    settings.UPLOAD_MAX_BYTES = 2000
    response = http("rep1").post("/api/v1/opportunities/import",
                                 files={"file": ("商机.xlsx", workbook([good(n) for n in range(50)]), XLSX)})
    assert response.status_code == 413, response.text
    assert not Job.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize(("content", "expect"), [
    (workbook([good(1)], header=[*HEADER, "备注"]), "备注"),
    (workbook([], header=HEADER[1:]), "missing"),
])
def test_a_workbook_with_bad_headers_fails_its_job_with_a_clear_message(http, content, expect):
    rep = http("rep1")
    response = rep.post("/api/v1/opportunities/import", files={"file": ("商机.xlsx", content, XLSX)},
                        headers={"Accept-Language": "en"})
    job = job_of(rep, response, "failed")
    assert expect in job["message"] + " ".join(r["message"] for r in job["errors"])


def test_import_without_a_file_or_credentials_is_refused(http):
    missing = http("rep1").post("/api/v1/opportunities/import", data={"x": "1"})
    assert missing.status_code == 422 and error_of(missing)["code"] == "invalid"
    anonymous = http().post("/api/v1/opportunities/import", files={"file": ("a.xlsx", workbook([good(1)]), XLSX)})
    assert anonymous.status_code in (401, 403)  # without a token ninja checks the (absent) session's CSRF first
    assert Opportunity.objects.count() == 0


def test_a_session_needs_the_csrf_token_to_import(http):
    browser = http()
    assert browser.login_session("rep1").status_code == 302
    files = {"file": ("a.xlsx", workbook([good(1)]), XLSX)}
    assert browser.post("/api/v1/opportunities/import", files=files, csrf=False).status_code == 403
    assert browser.post("/api/v1/opportunities/import", files=files).status_code == 202


def test_import_job_progress_is_visible_to_its_creator_only(http, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    job = excel.import_job_create(actor=org["rep1"], upload=SimpleUploadedFile("作业.xlsx", workbook([good(1)])))
    job.refresh_from_db()
    response = http("rep1").get(f"/api/v1/opportunities/import-jobs/{job.pk}")
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["created_count"], body["file_name"], body["percent"]) == ("done", 1, "作业.xlsx", 100)
    assert http("rep2").get(f"/api/v1/opportunities/import-jobs/{job.pk}").status_code == 404
    assert http("admin").get(f"/api/v1/opportunities/import-jobs/{job.pk}").status_code == 404
    assert http("rep1").get("/api/v1/opportunities/import-jobs/999999").status_code == 404
    assert http("rep1").get(f"/api/v1/jobs/{job.pk}").json()["result"]["created"] == 1
    for other in ("rep2", "admin"):
        assert http(other).get(f"/api/v1/jobs/{job.pk}").status_code == 404


def test_openapi_documents_the_excel_endpoints_and_their_refusals(http):
    paths = http().get("/api/v1/openapi.json").json()["paths"]
    export = paths["/api/v1/opportunities/export.xlsx"]["get"]["responses"]
    assert XLSX in export["200"]["content"]
    assert "/api/v1/opportunities/import-template.xlsx" in paths
    responses = paths["/api/v1/opportunities/import"]["post"]["responses"]
    assert {"202", "401", "413", "422"} <= set(responses)
    assert "ImportRefusedOut" in str(responses["422"]) and "JobAccepted" in str(responses["202"])
    assert "JobAccepted" in str(export["202"])
    assert "/api/v1/opportunities/import-jobs/{job_id}" in paths
    job = paths["/api/v1/jobs/{job_id}"]["get"]["responses"]
    assert "JobOut" in str(job["200"]) and "404" in job
    assert XLSX in paths["/api/v1/jobs/{job_id}/download"]["get"]["responses"]["200"]["content"]


def test_web_import_through_a_browser_session_ends_on_the_result_page(http):
    browser = http()
    assert browser.login_session("rep1").status_code == 302
    page = browser.get("/opportunities/import/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = browser.post("/opportunities/import/", data={"csrfmiddlewaretoken": token},
                            files={"file": ("商机.xlsx", workbook([good(1), good(2), good(3)]), XLSX)},
                            headers={"Referer": browser.base + "/opportunities/import/"})
    assert response.status_code == 302, response.text
    job_page = browser.get(response.headers["Location"])
    assert 'data-status="done"' in job_page.text and "3" in job_page.text
    assert "Content-Security-Policy" in job_page.headers
    export = browser.get("/opportunities/export.xlsx?stage=qualified")
    assert export.status_code == 200 and len(sheet(export.content)) == 4


# --- `opsmon serve`: gunicorn plus the task worker ----------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> dict[int, str]:
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and stat.rsplit(")", 1)[1].split()[0] != "Z":
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_serve_runs_the_task_worker_beside_gunicorn_and_stops_both(tmp_path):
    """A web import is finished by the worker `opsmon serve` started; SIGTERM ends gunicorn and the worker."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "opsmon.settings.development", "DEBUG": "false",
           "OPSMON_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media"), "PYTHONUNBUFFERED": "1"}
    opsmon = [sys.executable, "-m", "opsmon.cli"]
    subprocess.run([*opsmon, "migrate", "-v0"], env=env, check=True, timeout=300)
    subprocess.run([*opsmon, "demo", "--if-empty"], env=env, check=True, timeout=120, capture_output=True)
    server = subprocess.Popen([*opsmon, "serve", "--port", str(port), "--workers", "1", "--no-migrate"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if requests.get(base + "/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:  # not listening yet, or still booting its worker
                time.sleep(0.5)
        children = _children(server.pid)
        assert any("gunicorn" in c for c in children.values()), children
        assert any("db_worker" in c for c in children.values()), children

        session = requests.Session()
        login = session.get(base + "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        session.post(base + "/login/", data={"username": "rep1", "password": "opsmon-demo",
                                             "csrfmiddlewaretoken": token}, headers={"Referer": base + "/login/"})
        page = session.get(base + "/opportunities/import/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = session.post(base + "/opportunities/import/", data={"csrfmiddlewaretoken": token},
                                files={"file": ("商机.xlsx", workbook([good(n) for n in range(50)]), XLSX)},
                                headers={"Referer": base + "/opportunities/import/"}, allow_redirects=False)
        assert response.status_code == 302, response.text
        status, deadline = "", time.monotonic() + 60
        while status not in ("done", "failed") and time.monotonic() < deadline:
            time.sleep(0.5)
            partial = session.get(base + response.headers["Location"], headers={"HX-Request": "true"}).text
            status = re.search(r'data-status="(\w+)"', partial).group(1)
        assert status == "done", partial
        assert "50" in partial
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            raise
    assert code == 0
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(Path(f"/proc/{pid}").exists() for pid in children)
