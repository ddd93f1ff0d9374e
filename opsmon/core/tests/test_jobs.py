"""Long work as jobs (issue 18, item 4): imports and exports above EXPORT_JOB_ROWS run in the task worker; the
request answers 202 {job_id} (API) or the job's page (web) at once, GET /api/v1/jobs/{id} shows the progress to its
creator only, and an export's file downloads through the same check."""

import io
import json
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from opsmon.core import jobs
from opsmon.core.errors import NotFound
from opsmon.core.models import Job, StoredFile
from opsmon.opportunities import excel
from opsmon.opportunities.excel import reading
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests import factories

XLSX = excel.XLSX_CONTENT_TYPE
HEADER = ["商机名称", "客户名称", "预计金额", "预计成交日期", "商机阶段"]


def workbook(rows) -> bytes:
    wb = Workbook()
    wb.active.append(HEADER)
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def good(n: int, **change) -> list:
    row = {"title": f"作业导入项目{n}", "customer": f"作业客户{n}", "amount": 1000 + n,
           "close": timezone.localdate() + timedelta(days=30), "stage": "qualified", **change}
    return list(row.values())


def rows_of(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))


def finish(client, accepted: dict, status: str = "done") -> dict:
    deadline = time.monotonic() + 30
    while True:
        body = client.get(f"/api/v1/jobs/{accepted['job_id']}").json()
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert body["status"] == status, body
    return body


# --- services -------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_errors_found_so_far_are_recorded_while_the_rows_are_read(org, monkeypatch):
    monkeypatch.setattr(reading, "PROGRESS_EVERY", 2)
    seen = []
    rows = [good(1), good(2, amount=-1), good(3), good(4), good(5, stage="nonsense"), good(6)]
    with pytest.raises(excel.ImportRefused) as refused:
        excel.import_opportunities(actor=org["rep1"], fileobj=io.BytesIO(workbook(rows)),
                                   on_errors=lambda found: seen.append([r["row"] for r in found]))
    assert seen == [[3], [3, 6]]  # at rows 2 and 6 (4 brought nothing new)
    assert [r["row"] for r in refused.value.rows] == [3, 6]


@pytest.mark.django_db
def test_a_refused_import_job_lists_every_error_and_saves_nothing(org, django_capture_on_commit_callbacks):
    rows = [good(n) for n in range(5)] + [good(9, amount=-9), good(10, stage="nonsense")]
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.import_job_create(actor=org["rep1"],
                                      upload=SimpleUploadedFile("商机.xlsx", workbook(rows), content_type=XLSX))
    job.refresh_from_db()
    assert (job.kind, job.status, job.done, job.total) == ("opportunities.import", "failed", 7, 7)
    assert [(e["row"], e["column"]) for e in job.errors] == [(7, "预计金额"), (8, "商机阶段")]
    assert job.result == {} and job.result_file is None and job.finished_at and job.message
    assert not Opportunity.objects.exists()


@pytest.mark.django_db
def test_a_job_is_run_once_and_belongs_to_its_creator(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = excel.import_job_create(actor=org["rep1"],
                                      upload=SimpleUploadedFile("商机.xlsx", workbook([good(1)]), content_type=XLSX))
    jobs.run(job.pk)  # a second run of a finished job does nothing
    assert Opportunity.objects.count() == 1 and jobs.get(actor=org["rep1"], pk=job.pk).created_count == 1
    for other in ("rep2", "head1", "admin"):
        with pytest.raises(NotFound):
            jobs.get(actor=org[other], pk=job.pk)


@pytest.mark.django_db(transaction=True)
def test_finished_jobs_are_purged_after_the_keep_days_with_the_files_only_they_held(org, settings):
    settings.JOB_KEEP_DAYS = 30
    made = []
    for n in range(3):
        made.append(excel.import_job_create(
            actor=org["rep1"], upload=SimpleUploadedFile(f"商机{n}.xlsx", workbook([good(n)]), content_type=XLSX)))
    old, recent, shared = (Job.objects.get(pk=j.pk) for j in made)
    assert old.status == recent.status == "done"
    now = timezone.now()
    Job.objects.filter(pk=old.pk).update(finished_at=now - timedelta(days=31))
    Job.objects.filter(pk=recent.pk).update(finished_at=now - timedelta(days=29))
    # an old job whose upload a recent job still refers to: the job goes, the file stays
    Job.objects.filter(pk=shared.pk).update(finished_at=now - timedelta(days=40), file=recent.file)
    unfinished = Job.objects.create(kind="opportunities.import", created_by=org["rep2"], status="saving")
    Job.objects.filter(pk=unfinished.pk).update(created_at=now - timedelta(days=90))
    old_path = old.file.file.path

    assert jobs.purge(now=now) == 2
    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, unfinished.pk}
    assert not StoredFile.objects.filter(pk=old.file_id).exists() and not Path(old_path).exists()
    assert StoredFile.objects.filter(pk=recent.file_id).exists() and Path(recent.file.file.path).exists()
    assert jobs.purge(now=now) == 0


def test_an_export_job_keeps_the_filters_it_was_asked_with():
    from decimal import Decimal

    from opsmon.opportunities.excel import jobs as opportunity_jobs
    from opsmon.opportunities.selectors import OpportunityFilters

    asked = OpportunityFilters(q="电力", stage="commit", owner=3, amount_min=Decimal("1000.50"),
                               close_from=timezone.localdate(), followup_due=True, ordering="-estimated_amount")
    kept = opportunity_jobs._encode(asked)
    assert kept == json.loads(json.dumps(kept)) and opportunity_jobs._decode(kept) == asked


# --- live HTTP --------------------------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_an_api_import_answers_202_then_the_job_shows_the_result(http, org):
    rep = http("rep1")
    response = rep.post("/api/v1/opportunities/import",
                        files={"file": ("商机.xlsx", workbook([good(n) for n in range(3)]), XLSX)})
    assert response.status_code == 202, response.text
    job = finish(rep, response.json())
    assert (job["done"], job["total"], job["percent"], job["result"]["created"]) == (3, 3, 100, 3)
    assert job["file_name"] == "商机.xlsx" and job["result_url"] is None
    assert set(job["result"]["ids"]) == set(Opportunity.objects.values_list("pk", flat=True))
    assert http("rep2").get(f"/api/v1/jobs/{job['id']}").status_code == 404
    assert http().get(f"/api/v1/jobs/{job['id']}").status_code == 401


@pytest.mark.django_db(transaction=True)
def test_a_large_api_export_is_a_job_whose_file_only_its_creator_downloads(http, org, settings):
    settings.EXPORT_JOB_ROWS = 2
    factories.opportunity(org["rep1"], title="=HYPERLINK(\"http://x\")", stage="commit")
    for _i in range(2):
        factories.opportunity(org["rep1"], stage="commit")
    factories.opportunity(org["rep1"], stage="proposal")
    rep = http("rep1")
    small = rep.get("/api/v1/opportunities/export.xlsx?stage=proposal")  # under the threshold: the file at once
    assert small.status_code == 200 and small.headers["Content-Type"] == XLSX
    response = rep.get("/api/v1/opportunities/export.xlsx?stage=commit", headers={"Accept-Language": "en"})
    assert response.status_code == 202, response.text
    job = finish(rep, response.json())
    assert (job["kind"], job["done"], job["total"], job["result"]) == ("opportunities.export", 3, 3, {"rows": 3})
    assert job["result_url"] == f"/api/v1/jobs/{job['id']}/download"
    download = rep.get(job["result_url"])
    assert download.status_code == 200 and download.headers["Content-Type"] == XLSX
    assert "attachment" in download.headers["Content-Disposition"] and "opportunities" in \
        download.headers["Content-Disposition"]
    rows = rows_of(download.content)
    assert rows[0][:2] == ("Number", "Title") and len(rows) == 4  # in the asker's language
    sheet = load_workbook(io.BytesIO(download.content)).worksheets[0]
    formula = [c for c in sheet["B"] if c.value == "=HYPERLINK(\"http://x\")"]
    assert formula and formula[0].data_type == "s"  # formula-like text stays text
    for other in ("rep2", "head1", "admin"):
        assert http(other).get(job["result_url"]).status_code == 404
        assert http(other).get(f"/api/v1/jobs/{job['id']}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_contract_and_bond_api_exports_become_jobs_above_the_threshold_too(http, org, settings):
    from opsmon.contracts.tests.factories import draft

    numbers = {draft(org, owner="rep1").number for _i in range(2)}
    settings.EXPORT_JOB_ROWS = 1
    rep = http("rep1")
    response = rep.get("/api/v1/contracts/export.xlsx")
    assert response.status_code == 202, response.text
    job = finish(rep, response.json())
    assert (job["kind"], job["total"]) == ("contracts.export", 2)
    rows = rows_of(rep.get(job["result_url"]).content)
    assert numbers <= {value for row in rows for value in row}
    assert http("rep2").get(job["result_url"]).status_code == 404
    assert rep.get("/api/v1/bonds/export.xlsx").status_code == 200  # no bonds: under the threshold


@pytest.mark.django_db(transaction=True)
def test_progress_moves_while_a_job_runs(http, org):
    """A job's rows done, total and errors so far are visible to a poll while it runs, each step as it happens."""
    step, polled = threading.Event(), threading.Event()

    def steps(job, progress):
        progress(total=3)
        for n in (1, 2, 3):
            step.wait(10)
            step.clear()
            progress(done=n, errors=[{"row": n + 1, "column": "A", "message": "bad"}] if n >= 2 else None)
            polled.set()
        step.wait(10)  # the test has looked at the last step
        return jobs.Outcome(result={"steps": 3})

    jobs.register("test.steps", "steps", steps)
    try:
        job = Job.objects.create(kind="test.steps", created_by=org["rep1"])
        worker = threading.Thread(target=jobs.run, args=(job.pk,))
        worker.start()
        rep = http("rep1")
        seen = []
        for _n in range(3):
            step.set()
            assert polled.wait(10)
            polled.clear()
            body = rep.get(f"/api/v1/jobs/{job.pk}").json()
            seen.append((body["status"], body["done"], body["total"], len(body["errors"]), body["percent"]))
        step.set()
        worker.join(10)
        body = rep.get(f"/api/v1/jobs/{job.pk}").json()
    finally:
        jobs.KINDS.pop("test.steps", None)
    assert seen == [("running", 1, 3, 0, 30), ("running", 2, 3, 1, 60), ("running", 3, 3, 1, 90)]
    assert (body["status"], body["percent"], body["result"]) == ("done", 100, {"steps": 3})


@pytest.mark.django_db(transaction=True)
def test_the_api_supplier_import_is_a_job_too(http, org):
    from opsmon.suppliers.models import Supplier
    from opsmon.suppliers.tests.factories import credit_code
    from opsmon.suppliers.tests.test_import import book

    buyer = http("buyer1")
    codes = [credit_code(), credit_code()]
    content = book([["甲公司", codes[0], "hardware", "yes", "", "", ""],
                    ["乙公司", codes[1], "hardware", "", "", "", ""]])
    response = buyer.post("/api/v1/suppliers/import", files={"file": ("供应商.xlsx", content.getvalue(), XLSX)})
    assert response.status_code == 202, response.text
    job = finish(buyer, response.json())
    assert job["kind"] == "suppliers.import" and job["result"]["created"] == 2
    assert set(job["result"]["ids"]) == set(Supplier.objects.filter(credit_code__in=codes).values_list("pk", flat=True))
    before = Supplier.objects.count()
    bad = book([["丙公司", credit_code(), "hardware", "", "", "", ""], ["", codes[0], "nothing", "maybe", "", "", ""]])
    response = buyer.post("/api/v1/suppliers/import", files={"file": ("供应商.xlsx", bad.getvalue(), XLSX)})
    job = finish(buyer, response.json(), "failed")
    assert {e["row"] for e in job["errors"]} == {3} and len(job["errors"]) >= 3
    assert Supplier.objects.count() == before
    refused = buyer.post("/api/v1/suppliers/import", files={"file": ("供应商.xlsx", b"plain text", XLSX)})
    assert refused.status_code == 422 and Job.objects.filter(kind="suppliers.import").count() == 2


# --- the web ----------------------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_large_list_export_opens_the_job_page_then_downloads(browser, org, settings):
    settings.EXPORT_JOB_ROWS = 2
    for _i in range(3):
        factories.opportunity(org["rep1"])
    client = browser("rep1")
    response = client.get(reverse("opportunities:export"), {"stage": "qualified"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job", args=[job.pk])
    assert job.params["list"] == "opportunities" and job.params["query"] == "stage=qualified"
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in partial and 'data-status="queued"' in partial and "<html" not in partial
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 404  # not made yet
    jobs.run(job.pk)  # the task worker's part
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="done"' in page and "hx-trigger" not in page
    assert reverse("job_download", args=[job.pk]) in page
    download = client.get(reverse("job_download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == XLSX
    assert len(rows_of(b"".join(download.streaming_content))) == 4
    job.refresh_from_db()
    assert StoredFile.objects.filter(pk=job.result_file_id).exists()
    other = browser("rep2")
    assert other.get(reverse("job", args=[job.pk])).status_code == 404
    assert other.get(reverse("job_download", args=[job.pk])).status_code == 404
