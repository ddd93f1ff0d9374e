"""Won path and lost path end to end through real HTTP; uploads with hostile files; the .docx report."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document

from opsmon.accounts.models import User
from opsmon.bids import rules
from opsmon.bids.models import Bid
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import approved_project

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def error_of(response):
    return response.json()["error"]


@pytest.fixture
def bid_id(org):
    project = approved_project(org)
    return projects.project_route(actor=org["rep1"], project=project, to="bidding")["bid_id"]


def prepare_and_submit(rep, bid_id):
    now = timezone.now()
    analysis = rep.put(f"/api/v1/bids/{bid_id}/tender-analysis", json={
        "tenderer": "某市轨道交通集团", "agency": "某招标代理有限公司", "tender_no": "GZ-2026-0815",
        "tender_method": "open_tender", "estimated_price": "1200000.00", "ceiling_price": "1300000.00",
        "submission_deadline": (now + timedelta(days=7)).isoformat(),
        "opening_at": (now + timedelta(days=7)).isoformat(),
        "qualification_requirements": "具有电子与智能化工程专业承包二级及以上资质", "scoring_method": "comprehensive",
        "decision": "bid"})
    assert analysis.status_code == 200, analysis.text
    assert analysis.json()["tender_method"]["label"] == "公开招标"
    assert rep.post(f"/api/v1/bids/{bid_id}/start-preparation").json()["status"] == "preparing"
    assert rep.post(f"/api/v1/bids/{bid_id}/submit").json()["status"] == "submitted"


def test_won_path(http, bid_id):
    rep, assistant = http("rep1"), http("assistant1")
    upload = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                      files={"file": ("招标文件.pdf", PDF, "application/pdf")})
    assert upload.status_code == 201, upload.text
    again = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                     files={"file": ("招标文件.pdf", PDF + b"% v2\n", "application/pdf")})
    assert again.json()["version"] == 2
    docs = rep.get(f"/api/v1/bids/{bid_id}/documents").json()
    assert [(d["name"], d["version"]) for d in docs["items"]] == [("招标文件.pdf", 2), ("招标文件.pdf", 1)]
    download = rep.get(docs["items"][1]["download_url"])
    assert download.status_code == 200 and download.content == PDF
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert rep.get(docs["items"][1]["download_url"] + "?inline=true").headers["Content-Disposition"] \
        .startswith("inline")

    bond = assistant.post(f"/api/v1/bids/{bid_id}/bonds", json={"kind": "bid", "amount": "24000.00",
                                                                "method": "bank_transfer"})
    assert bond.status_code == 201 and bond.json()["warnings"] == []
    bond_id = bond.json()["id"]
    assert assistant.post(f"/api/v1/bonds/{bond_id}/pay", json={"paid_on": str(timezone.localdate()),
                                                                "reference": "HX001"}).json()["status"] == "paid"
    prepare_and_submit(rep, bid_id)
    opening = rep.put(f"/api/v1/bids/{bid_id}/opening", json={
        "opened_at": timezone.now().isoformat(), "winner": "我方科技有限公司",
        "entries": [{"bidder": "我方科技有限公司", "price": "1180000.00", "score": 92.5, "rank": 1, "is_us": True},
                    {"bidder": "甲信息技术有限公司", "price": "1090000.00", "score": 88, "rank": 2}]})
    assert opening.status_code == 200, opening.text
    assert rep.post(f"/api/v1/bids/{bid_id}/mark-won").json()["status"] == "won"
    contract = rep.post(f"/api/v1/bids/{bid_id}/create-contract")
    assert contract.status_code == 200 and contract.json()["number"].startswith("HT-")
    assert rep.post(f"/api/v1/bids/{bid_id}/create-contract").status_code == 409
    converted = assistant.post(f"/api/v1/bonds/{bond_id}/convert-to-performance")
    assert converted.json()["status"] == "converted_to_performance"
    assert rep.post(f"/api/v1/bids/{bid_id}/close").status_code == 409  # summary missing
    summary = rep.put(f"/api/v1/bids/{bid_id}/summary", json={
        "person_days": 35, "cost": "42000.00", "outcome_reason": "技术方案得分第一", "lessons": "资质文件提前准备",
        "bond_note": "投标保证金已转为履约保证金"})
    assert summary.status_code == 200, summary.text
    report = rep.get(f"/api/v1/bids/{bid_id}/summary.docx")
    assert report.status_code == 200
    doc = Document(io.BytesIO(report.content))
    assert "投标总结报告" in doc.paragraphs[0].text
    opening_table = doc.tables[-1]
    rows = [[c.text for c in r.cells] for r in opening_table.rows]
    assert rows[0] == ["排名", "投标人", "报价", "得分", "我方"]
    assert rows[1][:3] == ["1", "我方科技有限公司", "¥1,180,000.00"] and rows[1][4] == "是"
    assert rows[2][1] == "甲信息技术有限公司"
    closed = rep.post(f"/api/v1/bids/{bid_id}/close")
    assert closed.status_code == 200 and closed.json()["closed"] is True
    assert rep.put(f"/api/v1/bids/{bid_id}/tender-analysis", json={"risks": "x"}).status_code == 409
    actions = [e["action"] for e in rep.get(f"/api/v1/bids/{bid_id}/timeline").json()]
    assert actions[-1] == "bid.closed" and "bid.mark_won" in actions


def test_lost_path_voids_the_bid_and_the_bond_becomes_due(http, bid_id):
    rep, assistant, market = http("rep1"), http("assistant1"), http("market1")
    bond_id = assistant.post(f"/api/v1/bids/{bid_id}/bonds", json={
        "kind": "bid", "amount": "30000.00", "method": "bank_guarantee"}).json()["id"]
    assistant.post(f"/api/v1/bonds/{bond_id}/pay", json={"paid_on": str(timezone.localdate())})
    prepare_and_submit(rep, bid_id)
    warned = assistant.get(f"/api/v1/bids/{bid_id}/bonds").json()["items"][0]["warnings"]
    assert warned and "2%" in warned[0]  # 30,000 > 2% of 1,200,000
    rep.put(f"/api/v1/bids/{bid_id}/opening", json={
        "opened_at": timezone.now().isoformat(), "winner": "甲信息技术有限公司",
        "entries": [{"bidder": "甲信息技术有限公司", "price": "1090000.00", "rank": 1},
                    {"bidder": "我方科技有限公司", "price": "1180000.00", "rank": 2, "is_us": True}]})
    assert rep.post(f"/api/v1/bids/{bid_id}/mark-won").status_code == 409
    lost = rep.post(f"/api/v1/bids/{bid_id}/mark-lost").json()
    assert lost["status"] == "lost" and lost["voided"] is True
    register = market.get("/api/v1/bonds?kind=bid").json()
    assert register["money_out"] == {"CNY": "30000.00"}
    assert register["items"][0]["refund_due_on"] == str(timezone.localdate() + timedelta(days=5))
    assert register["items"][0]["overdue"] is False
    assert rep.get("/api/v1/bonds").json()["count"] == 1  # his own bid's bond
    assert http("rep2").get("/api/v1/bonds").json()["count"] == 0
    refund = assistant.post(f"/api/v1/bonds/{bond_id}/refund", json={
        "refunded_on": str(timezone.localdate()), "amount": "30000.01"})
    assert refund.status_code == 422 and "amount" in error_of(refund)["fields"]
    refunded = assistant.post(f"/api/v1/bonds/{bond_id}/refund", json={
        "refunded_on": str(timezone.localdate()), "amount": "30000.00", "interest": "21.50"}).json()
    assert (refunded["status"], refunded["refund_interest"]) == ("refunded", "21.50")
    assert market.get("/api/v1/bonds").json()["money_out"] == {}
    assert rep.post(f"/api/v1/bonds/{bond_id}/forfeit", json={"reason": "x"}).status_code == 403
    late_doc = assistant.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "result"},
                              files={"file": ("中标结果公告.pdf", PDF, "application/pdf")})
    assert late_doc.status_code == 201
    refused = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "result"},
                       files={"file": ("x.pdf", PDF, "application/pdf")})
    assert refused.status_code in (403, 409)
    export = market.get("/api/v1/bonds/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_hostile_uploads_are_refused_and_nothing_is_kept(http, bid_id, settings):
    rep = http("rep1")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.bin", b"\x00" * (30 * 1024 * 1024))
    cases = [
        ("发票.pdf", PNG, 422),                     # forged extension
        ("run.pdf", b"\x7fELF" + b"\x00" * 100, 422),  # an executable named .pdf
        ("bomb.zip", bomb.getvalue(), 422),          # zip bomb
        ("empty.pdf", b"", 422),
        ("x.svg", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", 422),
    ]
    for name, content, status in cases:
        response = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                            files={"file": (name, content, "application/octet-stream")})
        assert response.status_code == status, (name, response.text)
    settings.UPLOAD_MAX_BYTES = 1024
    big = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                   files={"file": ("big.pdf", PDF + b"0" * 4096, "application/pdf")})
    assert big.status_code == 413 and error_of(big)["code"] == "too_large"
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    traversal = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                         files={"file": ("../../../etc/招标\x07文件.pdf", PDF, "application/pdf")})
    assert traversal.status_code == 201 and traversal.json()["name"] == "招标文件.pdf"
    assert rep.get(f"/api/v1/bids/{bid_id}/documents").json()["count"] == 1
    bad_kind = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "secret"},
                        files={"file": ("a.pdf", PDF, "application/pdf")})
    assert bad_kind.status_code == 422


def test_documents_and_bids_are_404_outside_the_scope(http, bid_id):
    rep = http("rep1")
    doc = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                   files={"file": ("招标文件.pdf", PDF, "application/pdf")}).json()
    for outsider in (http("rep2"), http("head2"), http("finance1")):
        assert outsider.get(f"/api/v1/bids/{bid_id}").status_code == 404
        assert outsider.get(doc["download_url"]).status_code == 404
        assert outsider.get(f"/api/v1/bids/{bid_id}/documents").status_code == 404
        assert outsider.get(f"/api/v1/bids/{bid_id}/timeline").status_code == 404
        assert bid_id not in [b["id"] for b in outsider.get("/api/v1/bids").json()["items"]]
    assert http("assistant1").get(doc["download_url"]).status_code == 200


def test_bad_workflow_input(http, bid_id):
    rep = http("rep1")
    past = rep.put(f"/api/v1/bids/{bid_id}/tender-analysis",
                   json={"submission_deadline": (timezone.now() - timedelta(days=3)).isoformat()})
    assert past.status_code == 422 and "submission_deadline" in error_of(past)["fields"]
    assert rep.post(f"/api/v1/bids/{bid_id}/submit").status_code == 409  # not preparing
    rep.post(f"/api/v1/bids/{bid_id}/start-preparation")
    no_deadline = rep.post(f"/api/v1/bids/{bid_id}/submit")
    assert no_deadline.status_code == 422
    assert rep.post(f"/api/v1/bids/{bid_id}/abandon", json={"reason": ""}).status_code == 422
    assert rep.post(f"/api/v1/bids/{bid_id}/mark-won").status_code == 409
    assert Bid.objects.get(pk=bid_id).status == "preparing"


def test_details_and_action_answers_carry_the_callers_allowed_actions(http, bid_id):
    rep, market, assistant = http("rep1"), http("market1"), http("assistant1")
    detail = rep.get(f"/api/v1/bids/{bid_id}").json()
    assert detail["allowed_actions"] == rules.allowed_actions(User.objects.get(username="rep1"),
                                                              Bid.objects.get(pk=bid_id))
    assert {"save_analysis", "start_preparation", "abandon"} <= set(detail["allowed_actions"])
    assert "submit" not in detail["allowed_actions"] and "plan_bond" not in detail["allowed_actions"]
    assert market.get(f"/api/v1/bids/{bid_id}").json()["allowed_actions"] == []  # he reads, he does not act
    assert "plan_bond" in assistant.get(f"/api/v1/bids/{bid_id}").json()["allowed_actions"]
    started = rep.post(f"/api/v1/bids/{bid_id}/start-preparation").json()
    assert started["status"] == "preparing" and "start_preparation" not in started["allowed_actions"]
    assert "submit" not in started["allowed_actions"]  # no submission deadline yet
    bond = assistant.post(f"/api/v1/bids/{bid_id}/bonds", json={"kind": "bid", "amount": "1000.00",
                                                                "method": "bank_transfer"}).json()
    assert bond["allowed_actions"] == ["pay"]
    assert rep.get(f"/api/v1/bids/{bid_id}/bonds").json()["items"][0]["allowed_actions"] == []
    paid = assistant.post(f"/api/v1/bonds/{bond['id']}/pay", json={"paid_on": str(timezone.localdate())}).json()
    assert paid["allowed_actions"] == ["refund", "forfeit"]  # converting needs a won bid
    upload = rep.post(f"/api/v1/bids/{bid_id}/documents", data={"kind": "tender"},
                      files={"file": ("招标文件.pdf", PDF, "application/pdf")})
    assert "abandon" in upload.json()["allowed_actions"]


@pytest.mark.parametrize(("method", "path", "body"), [
    ("patch", "/api/v1/bids/{bid}", {"version": 1, "title": "x", "titel": "typo"}),
    ("put", "/api/v1/bids/{bid}/tender-analysis", {"risks": "x", "riskz": "typo"}),
    ("post", "/api/v1/bids/{bid}/abandon", {"reason": "流标", "reasn": "typo"}),
    ("post", "/api/v1/bids/{bid}/bonds", {"kind": "bid", "amount": "1.00", "method": "bank_transfer", "amout": "2"}),
    ("put", "/api/v1/bids/{bid}/summary", {"person_days": 1, "cost": "1", "outcome_reason": "x", "lessons": "y",
                                           "lesson": "typo"}),
    ("post", "/api/v1/bids/{bid}/tender-analysis/apply", {"version": 1, "values": {}, "sourc": "typo"}),
])
def test_an_unknown_field_in_a_body_is_a_422_naming_it(http, bid_id, method, path, body):
    response = getattr(http("rep1"), method)(path.format(bid=bid_id), json=body)
    assert response.status_code == 422, response.text
    typo = next(k for k in body if k in ("titel", "riskz", "reasn", "amout", "lesson", "sourc"))
    assert any(typo in field for field in error_of(response)["fields"]), response.text
    assert Bid.objects.get(pk=bid_id).version == 1 and Bid.objects.get(pk=bid_id).status == "registered"


def test_bond_bodies_refuse_unknown_fields_too(http, bid_id):
    assistant = http("assistant1")
    bond = assistant.post(f"/api/v1/bids/{bid_id}/bonds", json={"kind": "bid", "amount": "1.00",
                                                                "method": "bank_transfer"}).json()
    response = assistant.post(f"/api/v1/bonds/{bond['id']}/pay", json={"paid_on": str(timezone.localdate()),
                                                                       "status": "refunded"})
    assert response.status_code == 422 and "status" in str(error_of(response)["fields"])
