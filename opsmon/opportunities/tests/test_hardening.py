"""Issue 21 on opportunities: who changes the team (item 6), and the Excel import against damaged files, bombs,
hostile text and sizes that do not belong in one request (items 2, 4, 5, 13). Over the API (test client with a
token) and through the page's background job."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from openpyxl import Workbook

from opsmon.core import jobs
from opsmon.core.models import Job as ImportJob
from opsmon.core.tests.test_hardening import Api
from opsmon.opportunities import excel
from opsmon.opportunities.models import Opportunity

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The messages are checked in English (the catalogue gives every one its Chinese text too)."""
    settings.LANGUAGE_CODE = "en-us"
    with translation.override("en-us"):
        yield
HEADER = ["商机名称", "客户名称", "预计金额", "预计成交日期", "商机阶段"]
UNREADABLE = "not a readable Excel workbook"


def row(n: int, title=None) -> list:
    return [title or f"加固导入项目{n}", f"加固客户{n}", 5000 + n, timezone.localdate() + timedelta(days=20),
            "qualified"]


def workbook(rows, header=HEADER, extra_columns: int = 0) -> bytes:
    wb = Workbook()
    wb.active.append([*header, *(f"附加{i}" for i in range(extra_columns))])
    for values in rows:
        wb.active.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(api: Api, content: bytes, name="商机.xlsx"):
    return api.client.post("/api/v1/opportunities/import", {"file": SimpleUploadedFile(name, content)},
                           HTTP_AUTHORIZATION=f"Bearer {api.key}")


def finished(response) -> ImportJob:
    """The job a 202 answered, run to its end here (the test's transaction never commits, so nothing queued it)."""
    assert response.status_code == 202, response.content
    jobs.run(response.json()["job_id"])
    return ImportJob.objects.get(pk=response.json()["job_id"])


def bad_crc(content: bytes) -> bytes:
    """The same workbook with one byte of the sheet's compressed data changed: the zip's directory is intact, so
    it passes the upload's type check, and the damage shows only while the rows are read."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    damaged = bytearray(content)
    damaged[start + info.compress_size // 2] ^= 0xFF
    return bytes(damaged)


def bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (20 * 1024 * 1024))
    return buf.getvalue()


# --- item 6: the team ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "status"), [("rep1", 200), ("head1", 200), ("rep1b", 403), ("rep2", 403),
                                             ("head2", 404)])
def test_only_the_owner_and_his_heads_change_the_team(org, who, status):
    o = factories.opportunity(org["rep1"], member_ids=[org["rep1b"].pk, org["rep2"].pk])
    response = Api(org[who]).client.patch(
        f"/api/v1/opportunities/{o.pk}", data={"version": o.version, "member_ids": [org["rep1b"].pk, org["lead1"].pk]},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {Api(org[who]).key}")
    assert response.status_code == status, response.content
    members = set(Opportunity.objects.get(pk=o.pk).members.values_list("username", flat=True))
    assert members == ({"rep1b", "lead1"} if status == 200 else {"rep1b", "rep2"})
    if status == 403:
        assert response.json()["error"]["code"] == "team_owner_only"


def test_a_plain_member_still_edits_the_rest_and_sees_the_team_read_only(org, browser):
    o = factories.opportunity(org["rep1"], member_ids=[org["rep1b"].pk])
    api = Api(org["rep1b"])
    response = api.client.patch(f"/api/v1/opportunities/{o.pk}", data={"version": o.version, "title": "改名"},
                                content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {api.key}")
    assert response.status_code == 200, response.content
    page = browser("rep1b").get(f"/opportunities/{o.pk}/edit/")
    assert page.status_code == 200
    assert page.context["form"].fields["member_ids"].disabled
    owner_page = browser("rep1").get(f"/opportunities/{o.pk}/edit/")
    assert not owner_page.context["form"].fields["member_ids"].disabled


# --- items 5 and 4: damaged files and bombs ------------------------------------------------------------------

def test_a_bad_crc_fails_the_job_not_500(org):
    job = finished(upload(Api(org["rep1"]), bad_crc(workbook([row(1), row(2)]))))
    assert job.status == "failed" and UNREADABLE in job.message
    assert not Opportunity.objects.filter(title__startswith="加固导入项目").exists()


def test_a_truncated_file_is_422(org):
    content = workbook([row(1)])
    response = upload(Api(org["rep1"]), content[: len(content) // 2])
    assert response.status_code == 422, response.content
    assert UNREADABLE in response.json()["error"]["message"]


def test_the_background_import_fails_a_damaged_file_with_the_same_message(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        job = excel.import_job_create(actor=org["rep1"], upload=SimpleUploadedFile(
            "商机.xlsx", bad_crc(workbook([row(1)]))))
    jobs.run(job.pk)
    job = ImportJob.objects.get(pk=job.pk)
    assert job.status == "failed" and UNREADABLE in job.message


def test_a_zip_bomb_is_refused_before_it_is_unpacked(org):
    response = upload(Api(org["rep1"]), bomb())
    assert response.status_code == 422, response.content
    assert response.json()["error"]["fields"]["file"]
    assert not ImportJob.objects.exists()  # refused in the request: no job, no file kept


def test_too_many_columns_are_refused(org, settings):
    settings.IMPORT_MAX_COLUMNS = 8
    job = finished(upload(Api(org["rep1"]), workbook([row(1)], extra_columns=10)))
    assert job.status == "failed" and "columns" in job.message


# --- item 2: hostile text in a file ---------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["标题\x7f删除", "\u202e反向标题", "\u200b\u200b"])
def test_hostile_text_in_a_cell_is_a_row_error(org, title):
    job = finished(upload(Api(org["rep1"]), workbook([row(1), row(2, title=title)])))
    assert job.status == "failed" and [(r["row"], r["column"]) for r in job.errors] == [(3, "商机名称")]
    assert not Opportunity.objects.filter(title__startswith="加固导入项目").exists()


# --- item 13, then issue 18: no import runs in a request any more -----------------------------------------------

def test_the_api_import_is_a_job_whatever_the_request_limits(org, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    settings.IMPORT_SYNC_MAX_SECONDS = 1
    job = finished(upload(Api(org["rep1"]), workbook([row(n) for n in range(4)])))
    assert (job.status, job.created_count, job.done, job.total) == ("done", 4, 4, 4)


def test_the_background_job_is_not_bound_by_the_request_limits(org, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False):
        job = excel.import_job_create(actor=org["rep1"], upload=SimpleUploadedFile(
            "商机.xlsx", workbook([row(n) for n in range(3)])))
    jobs.run(job.pk)
    assert ImportJob.objects.get(pk=job.pk).status == "done"
