"""POST /api/v1/bids/{id}/tender-analysis/extract and /apply through real HTTP: who may, what comes back, what is
refused with which status, and that reading saves nothing."""

from datetime import datetime

import pytest

from opsmon.bids.models import Bid, Bond
from opsmon.core import timeline

from .factories import routed_bid
from .test_intake_samples import AWARD, OPEN_TENDER, WORKS_TENDER, docx_bytes, pdf_bytes, scanned_pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def extract_url(bid) -> str:
    return f"/api/v1/bids/{bid.pk}/tender-analysis/extract"


def apply_url(bid) -> str:
    return f"/api/v1/bids/{bid.pk}/tender-analysis/apply"


def error_of(response):
    return response.json()["error"]


@pytest.fixture
def bid(org):
    return routed_bid(org)


def test_pasted_text_gives_proposals_with_snippets_and_confidence(http, bid):
    response = http("rep1").post(extract_url(bid), json={"text": OPEN_TENDER})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["kind"] == "tender" and body["source"]
    fields = body["fields"]
    assert fields["budget"]["value"] == "3500000.00"
    assert fields["submission_deadline"]["value"] == "2024-05-20T09:30:00+08:00"
    assert fields["method"]["value"] == "open_tender" and fields["method"]["label"] == "公开招标"
    assert fields["scoring_method"]["value"] == "comprehensive"
    for proposal in fields.values():
        if proposal["value"] is not None:
            assert proposal["snippet"][proposal["start"]:proposal["end"]] == proposal["text"]
            assert 0.5 <= proposal["confidence"] <= 1
    assert {a["value"] for a in fields["budget"]["alternatives"]} == {"2000000.00", "1500000.00"}


def test_an_uploaded_file_and_an_uploaded_document_are_read(http, bid):
    rep = http("rep1")
    upload = rep.post(extract_url(bid), files={"file": ("公告.pdf", pdf_bytes(WORKS_TENDER), "application/pdf")})
    assert upload.status_code == 200, upload.text
    assert upload.json()["fields"]["ceiling_price"]["value"] == "12567800.00"
    doc = rep.post(f"/api/v1/bids/{bid.pk}/documents", data={"kind": "tender"},
                   files={"file": ("招标公告.docx", docx_bytes(WORKS_TENDER), "application/octet-stream")}).json()
    by_id = rep.post(extract_url(bid), json={"document_id": doc["id"]})
    assert by_id.status_code == 200, by_id.text
    assert by_id.json()["source"] == "招标公告.docx v1"
    assert by_id.json()["fields"]["tenderer"]["value"] == "某市城市建设投资集团有限公司"


def test_reading_saves_nothing(http, bid):
    before = Bid.objects.get(pk=bid.pk)
    entries = timeline.entries_for(bid).count()
    assert http("rep1").post(extract_url(bid), json={"text": OPEN_TENDER}).status_code == 200
    after = Bid.objects.get(pk=bid.pk)
    assert (after.version, after.tenderer, after.estimated_price, after.submission_deadline) == (
        before.version, before.tenderer, before.estimated_price, before.submission_deadline)
    assert timeline.entries_for(bid).count() == entries


def test_an_award_notice_is_named_and_proposes_no_deadline_or_budget(http, bid):
    body = http("rep1").post(extract_url(bid), json={"text": AWARD}).json()
    assert body["kind"] == "award"
    assert not {"submission_deadline", "opening_at", "budget", "bid_bond"} & set(body["fields"])


def test_who_may_read(http, bid):
    for allowed in ("rep1", "head1", "assistant1"):
        assert http(allowed).post(extract_url(bid), json={"text": OPEN_TENDER}).status_code == 200, allowed
    refused = http("market1").post(extract_url(bid), json={"text": OPEN_TENDER})  # sees every bid, works on none
    assert refused.status_code == 403 and error_of(refused)["code"] == "permission_denied"
    for outsider in ("rep2", "head2", "finance1"):
        response = http(outsider).post(extract_url(bid), json={"text": OPEN_TENDER})
        assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    anonymous = http().post(extract_url(bid), json={"text": OPEN_TENDER}, headers={"Authorization": "Bearer nope"})
    assert anonymous.status_code == 401


def test_a_document_of_another_bid_is_404(http, org, bid):
    other = routed_bid(org, owner="rep2")
    doc = http("rep2").post(f"/api/v1/bids/{other.pk}/documents", data={"kind": "tender"},
                            files={"file": ("x.docx", docx_bytes(OPEN_TENDER), "application/octet-stream")}).json()
    assert http("rep1").post(extract_url(bid), json={"document_id": doc["id"]}).status_code == 404
    assert http("assistant1").post(extract_url(bid), json={"document_id": doc["id"]}).status_code == 404


def test_bad_input_answers_in_the_error_format(http, bid, settings):
    rep = http("rep1")
    cases = [
        (("empty.pdf", b""), 422, "unreadable_empty"),
        (("招标文件.pdf", bytes(range(256)) * 20), 422, "unreadable_damaged"),
        (("加密.pdf", pdf_bytes(OPEN_TENDER, encrypt="pw")), 422, "unreadable_encrypted"),
        (("扫描件.pdf", scanned_pdf_bytes()), 422, "unreadable_scanned"),
    ]
    for (name, content), status, code in cases:
        response = rep.post(extract_url(bid), files={"file": (name, content, "application/pdf")})
        assert response.status_code == status, (name, response.text)
        assert error_of(response)["code"] == code and error_of(response)["message"] and "file" in \
            error_of(response)["fields"]
    assert rep.post(extract_url(bid), json={}).status_code == 422
    assert rep.post(extract_url(bid), json={"text": "   "}).status_code == 422
    malformed = rep.post(extract_url(bid), data=b"{not json", headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and error_of(malformed)["code"] == "malformed"
    settings.UPLOAD_MAX_BYTES = 1024
    big = rep.post(extract_url(bid), files={"file": ("big.pdf", pdf_bytes(OPEN_TENDER), "application/pdf")})
    assert big.status_code == 413 and error_of(big)["code"] == "too_large"
    assert Bid.objects.get(pk=bid.pk).version == bid.version


def test_apply_saves_through_the_analysis_and_records_the_source(http, bid):
    rep = http("rep1")
    read = rep.post(extract_url(bid), json={"text": OPEN_TENDER}).json()["fields"]
    proposed = {name: p["value"] for name, p in read.items()}
    values = {"tenderer": proposed["tenderer"], "project_no": proposed["project_no"],
              "agency": "某某招标有限公司（杭州分公司）", "method": proposed["method"],
              "budget": proposed["budget"], "submission_deadline": "2027-05-20T09:30:00+08:00"}
    response = rep.post(apply_url(bid), json={"version": bid.version, "values": values, "proposed": proposed,
                                              "source": "招标公告.pdf v1"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["bid"]["tenderer"] == "某某大学" and body["bid"]["tender_no"] == "ZB-2024-0517"
    assert body["bid"]["agency"] == "某某招标有限公司（杭州分公司）"
    assert body["bid"]["estimated_price"] == "3500000.00" and body["bid"]["tender_method"]["code"] == "open_tender"
    assert datetime.fromisoformat(body["bid"]["submission_deadline"]) == datetime.fromisoformat(
        "2027-05-20T09:30:00+08:00")
    assert set(body["edited"]) == {"agency", "submission_deadline"}
    assert set(body["from_document"]) == {"tenderer", "project_no", "budget", "method"}
    entry = rep.get(f"/api/v1/bids/{bid.pk}/timeline").json()[-1]
    assert entry["action"] == "bid.analysis_saved"
    assert "招标公告.pdf v1" in entry["comment"] and "招标代理机构" in entry["comment"]  # the edited field, in zh-Hans
    assert entry["changes"]["tenderer"] == ["", "某某大学"]


def test_apply_is_all_or_nothing_and_checks_the_version(http, bid):
    rep = http("rep1")
    stale = rep.post(apply_url(bid), json={"version": bid.version + 5, "values": {"tenderer": "某某大学"}})
    assert stale.status_code == 409 and error_of(stale)["code"] == "stale_version"
    bad = rep.post(apply_url(bid), json={"version": bid.version, "values": {
        "tenderer": "某某大学", "submission_deadline": "2011-05-18T09:30:00+08:00"}})
    assert bad.status_code == 422 and "submission_deadline" in error_of(bad)["fields"]
    unknown = rep.post(apply_url(bid), json={"version": bid.version, "values": {"decision": "bid"}})
    assert unknown.status_code == 422
    assert Bid.objects.get(pk=bid.pk).tenderer == "" and Bid.objects.get(pk=bid.pk).version == bid.version
    assert http("market1").post(apply_url(bid), json={"version": bid.version,
                                                      "values": {"tenderer": "x公司"}}).status_code == 403


def test_the_bid_bond_is_planned_only_by_the_bond_keeper(http, bid):
    refused = http("rep1").post(apply_url(bid), json={"version": bid.version, "values": {
        "tenderer": "某某大学", "bid_bond": "35000.00"}})
    assert refused.status_code == 200 and refused.json()["bond_id"] is None and refused.json()["notes"]
    version = Bid.objects.get(pk=bid.pk).version
    planned = http("assistant1").post(apply_url(bid), json={"version": version, "values": {"bid_bond": "35000.00"},
                                                           "proposed": {"bid_bond": "35000.00"},
                                                           "bond_method": "bank_transfer"})
    assert planned.status_code == 200, planned.text
    bond = Bond.objects.get(pk=planned.json()["bond_id"])
    assert (bond.kind, bond.status, bond.amount) == ("bid", "planned", 35000)


def test_the_answer_lists_the_lots_apart_from_the_tenders_budget(http, bid):
    body = http("rep1").post(extract_url(bid), json={"text": OPEN_TENDER}).json()
    assert body["fields"]["budget"]["value"] == "3500000.00"
    assert body["lots"] == [
        {"number": "1", "name": "智慧教室设备", "budget": "2000000.00", "ceiling": None},
        {"number": "2", "name": "录播系统", "budget": "1500000.00", "ceiling": None},
    ]
    single = http("rep1").post(extract_url(bid), json={"text": WORKS_TENDER}).json()
    assert single["lots"] == []
