"""The tender intake pages: read from a document or pasted text, review each proposal with its highlighted
sentence, save the ticked ones through the tender analysis; refusals explained on the page, nothing half-saved."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opsmon.bids import services
from opsmon.bids.models import Bid
from opsmon.core import timeline

from .factories import routed_bid
from .test_intake_samples import OPEN_TENDER, WORKS_TENDER, docx_bytes, pdf_bytes, scanned_pdf_bytes


def url(name, bid) -> str:
    return reverse(f"bids:{name}", args=[bid.pk])


def upload(org, bid, name, content, kind="tender"):
    return services.document_upload(actor=org["rep1"], bid=bid, kind=kind, upload=SimpleUploadedFile(name, content))


def review(html: str) -> dict:
    """{field: (ticked, value)} of the review form as the browser shows it."""
    rows = {}
    for row in re.findall(r'<tr data-testid="intake-row" data-field="(\w+)">(.*?)</tr>', html, re.S):
        name, body = row
        ticked = bool(re.search(rf'name="use_{name}"[^>]*checked', body))
        value = re.search(rf'name="value_{name}"[^>]*value="([^"]*)"', body)
        rows[name] = (ticked, value.group(1) if value else None)
    return rows


def apply_data(html: str, **overrides) -> dict:
    """The review form posted back as the browser would: hidden fields, ticked boxes, values, overrides."""
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    data.pop("csrfmiddlewaretoken", None)
    for name, (ticked, value) in review(html).items():
        if ticked:
            data[f"use_{name}"] = "on"
        if value is not None:
            data[f"value_{name}"] = value
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_the_team_gets_read_buttons_for_readable_tender_files_and_a_paste_box(browser, org):
    bid = routed_bid(org)
    upload(org, bid, "招标公告.docx", docx_bytes(OPEN_TENDER))
    upload(org, bid, "图纸.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, kind="other")
    html = browser("rep1").get(url("detail", bid)).content.decode()
    assert html.count('data-testid="intake-read-document"') == 1 and "招标公告.docx v1" in html
    assert 'data-testid="intake-text"' in html
    market = browser("market1").get(url("detail", bid)).content.decode()
    assert 'data-testid="intake-start"' not in market


def test_reading_a_document_shows_each_proposal_with_its_sentence_and_saves_nothing(browser, org):
    bid = routed_bid(org)
    doc = upload(org, bid, "招标公告.docx", docx_bytes(OPEN_TENDER))
    entries = timeline.entries_for(bid).count()
    response = browser("rep1").post(url("intake_read", bid), {"document": doc.pk})
    assert response.status_code == 200
    html = response.content.decode()
    rows = review(html)
    assert rows["project_no"] == (True, "ZB-2024-0517")
    assert rows["budget"] == (True, "3500000.00")
    assert rows["submission_deadline"] == (False, "2024-05-20T09:30")  # before the registration: not ticked
    assert "Before the bid was registered" in html or "登记" in html
    assert rows["method"][0] is True and 'value="open_tender" selected' in html
    assert rows["project_name"][0] is False            # renaming the bid needs a tick of its own
    assert "<mark>ZB-2024-0517</mark>" in html and "<mark>350.000000 万元</mark>" in html
    assert 'src="/static/opsmon/intake.js"' in html and not re.search(r"<script>(?!\s*</script>)", html)
    assert fresh(bid).version == bid.version and timeline.entries_for(bid).count() == entries


def fresh(bid):
    return Bid.objects.get(pk=bid.pk)


def test_accept_two_edit_one_and_save(browser, org):
    bid = routed_bid(org)
    client = browser("rep1")
    html = client.post(url("intake_read", bid), {"text": OPEN_TENDER}).content.decode()
    data = apply_data(html)
    for name in review(html):
        data.pop(f"use_{name}", None)
    data.update({"use_tenderer": "on", "use_project_no": "on", "use_agency": "on",
                 "value_agency": "某某招标有限公司杭州分公司"})
    response = client.post(url("intake_apply", bid), data)
    assert response.status_code == 302 and response["Location"].endswith("#analysis")
    bid = fresh(bid)
    assert (bid.tenderer, bid.tender_no, bid.agency) == ("某某大学", "ZB-2024-0517", "某某招标有限公司杭州分公司")
    assert bid.estimated_price is None and bid.submission_deadline is None      # not ticked, not saved
    entry = list(timeline.entries_for(bid))[-1]
    assert entry.action == "bid.analysis_saved"
    assert "pasted text" in entry.comment or "粘贴" in entry.comment
    html = client.get(url("detail", bid)).content.decode()
    assert "某某招标有限公司杭州分公司" in html and "ZB-2024-0517" in html


def test_a_refused_value_shows_the_review_again_and_saves_nothing(browser, org):
    bid = routed_bid(org)
    client = browser("rep1")
    html = client.post(url("intake_read", bid), {"text": WORKS_TENDER}).content.decode()
    data = apply_data(html, use_submission_deadline="on")  # the user insists on the 2023 deadline
    response = client.post(url("intake_apply", bid), data)
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-field-error="submission_deadline"' in page and 'data-testid="intake-table"' in page
    assert fresh(bid).tenderer == "" and fresh(bid).version == bid.version


def test_a_stale_review_is_refused(browser, org):
    bid = routed_bid(org)
    client = browser("rep1")
    html = client.post(url("intake_read", bid), {"text": OPEN_TENDER}).content.decode()
    services.tender_analysis_save(actor=org["rep1"], bid=fresh(bid), risks="工期紧")
    data = apply_data(html, use_submission_deadline=None, use_opening_at=None)
    response = client.post(url("intake_apply", bid), data)
    assert response.status_code == 409 and fresh(bid).tenderer == ""


@pytest.mark.parametrize(("name", "content", "says"), [
    ("扫描件.pdf", "scanned", "OCR"),
    ("加密.pdf", "encrypted", "password"),
])
def test_an_unreadable_document_is_explained_on_the_page(browser, org, name, content, says):
    bid = routed_bid(org)
    data = scanned_pdf_bytes() if content == "scanned" else pdf_bytes(OPEN_TENDER, encrypt="pw")
    doc = upload(org, bid, name, data)
    client = browser("rep1")
    client.cookies["django_language"] = "en"
    response = client.post(url("intake_read", bid), {"document": doc.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert says in response.content.decode()


def test_empty_paste_is_refused_and_the_text_is_kept(browser, org):
    bid = routed_bid(org)
    response = browser("rep1").post(url("intake_read", bid), {"text": "   "})
    assert response.status_code == 422
    response = browser("rep1").post(url("intake_read", bid), {"text": "欢迎访问。"})
    assert response.status_code == 422 and "欢迎访问。" in response.content.decode()


def test_who_may_use_the_pages(browser, org):
    bid = routed_bid(org)
    assert browser("market1").post(url("intake_read", bid), {"text": OPEN_TENDER}).status_code == 403
    for outsider in ("rep2", "head2"):
        assert browser(outsider).post(url("intake_read", bid), {"text": OPEN_TENDER}).status_code == 404
        assert browser(outsider).get(url("intake", bid)).status_code == 404
    assert browser("rep1").get(url("intake_read", bid)).status_code == 405
    assert browser("rep1").get(url("intake", bid)).status_code == 200


def test_a_document_of_another_bid_cannot_be_read_here(browser, org):
    bid, other = routed_bid(org), routed_bid(org)
    doc = upload(org, other, "招标公告.docx", docx_bytes(OPEN_TENDER))
    assert browser("rep1").post(url("intake_read", bid), {"document": doc.pk}).status_code == 404


def test_the_review_lists_the_lots_of_the_notice(browser, org):
    bid = routed_bid(org)
    html = browser("rep1").post(url("intake_read", bid), {"text": OPEN_TENDER}).content.decode()
    lots = re.findall(r'<tr data-testid="intake-lot" data-number="(\d+)"><td>\d+</td><td>([^<]*)</td>'
                      r'<td class="text-end">([^<]*)</td>', html)
    assert [(n, name) for n, name, _budget in lots] == [("1", "智慧教室设备"), ("2", "录播系统")]
    assert "2,000,000.00" in lots[0][2] or "2000000.00" in lots[0][2]
    plain = browser("rep1").post(url("intake_read", bid), {"text": WORKS_TENDER}).content.decode()
    assert 'data-testid="intake-lots"' not in plain
