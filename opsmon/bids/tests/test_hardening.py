"""Issue 21 on bids: a bid is registered only on an opportunity the user can see, picked by searching (item 11);
tender files are read within limits of pages, expansion, memory and time (item 4). Over the API and the pages."""

import io
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opsmon.bids import extraction
from opsmon.bids.models import Bid
from opsmon.core.tests.test_hardening import Api
from opsmon.opportunities.tests.factories import opportunity

from .factories import routed_bid
from .test_intake_samples import OPEN_TENDER, pdf_bytes

pytestmark = pytest.mark.django_db


# --- item 11 ---------------------------------------------------------------------------------------------------

def test_the_bid_assistant_registers_only_on_an_opportunity_he_can_see(org):
    hidden = opportunity(org["rep1"], title="看不见的商机")
    api = Api(org["assistant1"])
    response = api.post("/api/v1/bids", {"opportunity_id": hidden.pk})
    assert response.status_code == 404, response.content
    assert "看不见的商机" not in response.content.decode()
    assert not Bid.objects.filter(opportunity=hidden).exists()
    shared = opportunity(org["rep1"], title="一起跟进的商机", member_ids=[org["assistant1"].pk])
    response = api.post("/api/v1/bids", {"opportunity_id": shared.pk})
    assert response.status_code == 201, response.content


def test_the_register_page_refuses_an_invisible_opportunity(org, browser):
    hidden = opportunity(org["rep1"], title="看不见的商机")
    page = browser("assistant1").post("/bids/new/", {"opportunity": hidden.pk, "title": ""})
    assert page.status_code == 404
    assert not Bid.objects.filter(opportunity=hidden).exists()


def test_the_picker_searches_visible_opportunities_instead_of_listing_all(org, browser):
    mine = opportunity(org["rep1"], title="检索目标平台")
    other = opportunity(org["rep2"], title="检索目标别部门")
    rep = browser("rep1")
    page = rep.get("/bids/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "检索目标" not in html and 'data-picker-url="/pick/opportunities/?open=1"' in html  # no list
    found = {o["value"] for o in rep.get("/pick/opportunities/", {"q": "检索目标", "open": "1"}).json()}
    assert found == {mine.pk}
    assert browser("assistant1").get("/pick/opportunities/", {"q": "检索目标", "open": "1"}).json() == []
    rep = browser("rep1")  # one client: log back in as rep1
    preset = rep.get("/bids/new/", {"opportunity": mine.pk}).content.decode()
    assert mine.number in preset and other.number not in preset
    assert other.number not in rep.get("/bids/new/", {"opportunity": other.pk}).content.decode()


def test_the_picker_answers_a_few_options_however_many_exist(org, browser):
    for n in range(25):
        opportunity(org["rep1"], title=f"批量商机{n}")
    found = browser("rep1").get("/pick/opportunities/", {"q": "批量商机", "open": "1"}).json()
    assert len(found) == 20


# --- item 4 ----------------------------------------------------------------------------------------------------

def extract(org, bid, content: bytes, name: str):
    api = Api(org["rep1"])
    return api.client.post(f"/api/v1/bids/{bid.pk}/tender-analysis/extract",
                           {"file": SimpleUploadedFile(name, content)}, HTTP_AUTHORIZATION=f"Bearer {api.key}")


def bomb_pdf(megabytes: int) -> bytes:
    """One page whose content stream inflates to `megabytes` MB of no-op operators (a 2.79 GB worker once)."""
    packer = zlib.compressobj(9)
    chunk = b"q Q " * (256 * 1024)
    stream = b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream"]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


@pytest.fixture
def bid(org):
    return routed_bid(org)


def test_an_ordinary_pdf_is_read_in_the_limited_process(org, bid):
    response = extract(org, bid, pdf_bytes(OPEN_TENDER), "公告.pdf")
    assert response.status_code == 200, response.content
    assert response.json()["fields"]["budget"]["value"] == "3500000.00"


def test_a_pdf_that_inflates_past_the_memory_limit_is_413(org, bid, settings):
    settings.EXTRACT_MAX_MEMORY_BYTES = 400 * 1024 * 1024
    response = extract(org, bid, bomb_pdf(700), "公告.pdf")
    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "too_complex"


def test_too_many_pages_is_413(org, bid, settings):
    settings.EXTRACT_MAX_PAGES = 2
    response = extract(org, bid, pdf_bytes(OPEN_TENDER, pages=3), "公告.pdf")
    assert response.status_code == 413, response.content
    error = response.json()["error"]
    assert error["code"] == "too_many_pages" and "2" in error["message"]


def test_reading_is_stopped_after_its_time(org, bid, settings, monkeypatch):
    settings.EXTRACT_MAX_SECONDS = 1
    monkeypatch.setattr(extraction, "CHILD", "opsmon.bids.tests.sleepy_child")
    response = extract(org, bid, pdf_bytes(OPEN_TENDER), "公告.pdf")
    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "too_slow"


def test_a_docx_zip_bomb_is_413_before_it_is_opened(org, bid, settings):
    settings.EXPAND_MAX_BYTES = 1024 * 1024
    content = io.BytesIO()
    with zipfile.ZipFile(content, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document/>" + b" " * (3 * 1024 * 1024))
    response = extract(org, bid, content.getvalue(), "公告.docx")
    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "too_large_expanded"
