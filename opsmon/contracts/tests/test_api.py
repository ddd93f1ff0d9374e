"""Contracts through real HTTP: the full won-bid → signed → amended path, a rejection round, bad input,
scoping, and real parallel clicks on one review step."""

import io
import threading
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from opsmon.bids.models import Bid
from opsmon.bids.services import bid_mark_won
from opsmon.bids.tests.factories import opened_bid
from opsmon.contracts import services
from opsmon.contracts.tests.factories import PDF, draft, routes, signed, submitted
from opsmon.core.models import TimelineEntry

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    routes(org)
    return org


def terms_json(amount):
    start = timezone.localdate()
    return {"contract_type": "system_integration", "amount": amount, "tax_rate": "13",
            "start_on": start.isoformat(), "end_on": (start + timedelta(days=365)).isoformat(),
            "terms": "乙方按技术规范书交付。",
            "milestones": [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "30"},
                           {"name": "验收款", "due_on": (start + timedelta(days=200)).isoformat(), "percentage": "70"}]}


def approve_current(clients, contract_id, comment="无异议"):
    """Approve the current step as the first of its deciders we hold a client for; returns the response."""
    owner = clients["rep1"]
    detail = owner.get(f"/api/v1/contracts/{contract_id}").json()
    step = detail["current_step"]
    rounds = owner.get(f"/api/v1/contracts/{contract_id}/reviews").json()
    deciders = [d["user"]["username"] for r in rounds for s in r["steps"] if s["id"] == step["id"]
                for d in s["deciders"] if not d["decision"]]
    return clients[deciders[0]].post(f"/api/v1/contracts/{contract_id}/reviews/{step['id']}/approve",
                                     json={"comment": comment})


def test_won_bid_to_signed_contract_to_version_2(http, org):
    bid = bid_mark_won(actor=org["head1"], bid=opened_bid(org, won=True))
    clients = {name: http(name) for name in ("rep1", "lead1", "finance1", "legal1", "head1", "rep2")}
    rep = clients["rep1"]
    created = rep.post(f"/api/v1/bids/{bid.pk}/create-contract")
    assert created.status_code == 200, created.text
    cid = created.json()["contract_id"]
    contract = rep.get(f"/api/v1/contracts/{cid}").json()
    assert (contract["status"], contract["bid"]["number"], contract["amount"]) == ("drafting", bid.number, "1180000.00")
    patched = rep.patch(f"/api/v1/contracts/{cid}", json={"version": contract["version"], **terms_json("1180000.00")})
    assert patched.status_code == 200, patched.text
    assert [m["percentage"] for m in patched.json()["milestones"]] == ["30.00", "70.00"]
    submitted_ = rep.post(f"/api/v1/contracts/{cid}/submit-review")
    assert submitted_.json()["status"] == "in_review"
    assert submitted_.json()["current_step"]["kind"]["code"] == "technical"
    # the other department does not even see it
    assert clients["rep2"].get(f"/api/v1/contracts/{cid}").status_code == 404
    for expected in ("in_review", "in_review", "in_review", "approved"):
        response = approve_current(clients, cid)
        assert response.status_code == 200, response.text
        assert response.json()["status"] == expected
    no_file = rep.post(f"/api/v1/contracts/{cid}/sign", data={"signed_on": timezone.localdate().isoformat()})
    assert no_file.status_code == 422 and "signed_copy" in no_file.json()["error"]["fields"]
    day = timezone.localdate() - timedelta(days=1)
    signed_ = rep.post(f"/api/v1/contracts/{cid}/sign", data={"signed_on": day.isoformat()},
                       files={"signed_copy": ("合同扫描件.pdf", PDF, "application/pdf")})
    assert signed_.status_code == 200, signed_.text
    assert (signed_.json()["status"], signed_.json()["signed_on"]) == ("signed", day.isoformat())
    assert Bid.objects.get(pk=bid.pk).contract_signed_on == day
    files = rep.get(f"/api/v1/contracts/{cid}/attachments").json()["items"]
    assert [(f["kind"], f["name"]) for f in files] == [("signed_copy", "合同扫描件.pdf")]
    assert rep.get(files[0]["download_url"]).content == PDF
    assert clients["rep2"].get(files[0]["download_url"]).status_code == 404
    # a signed contract changes only through an amendment
    refused = rep.patch(f"/api/v1/contracts/{cid}", json={"version": signed_.json()["version"], "title": "改名"})
    assert refused.status_code == 409
    nothing = rep.post(f"/api/v1/contracts/{cid}/amendments", json={"changes": {"amount": "1180000"}, "reason": "无"})
    assert nothing.status_code == 422 and "changes" in nothing.json()["error"]["fields"]
    amendment = rep.post(f"/api/v1/contracts/{cid}/amendments",
                         json={"changes": {"amount": "1300000.00"}, "reason": "增加两个站点"})
    assert amendment.status_code == 201, amendment.text
    assert amendment.json()["changes"] == {"amount": "1300000.00"}
    for _ in range(4):
        assert approve_current(clients, cid).status_code == 200
    final = rep.get(f"/api/v1/contracts/{cid}").json()
    assert (final["terms_version"], final["amount"], final["status"]) == (2, "1300000.00", "signed")
    versions = rep.get(f"/api/v1/contracts/{cid}/versions").json()
    assert [(v["number"], v["terms"]["amount"], v["amendment"]) for v in versions] == \
        [(1, "1180000.00", None), (2, "1300000.00", 1)]
    assert versions[1]["changes"] == {"amount": ["1180000.00", "1300000.00"]}
    assert rep.get(f"/api/v1/contracts/{cid}/amendments").json()[0]["status"] == "approved"
    rounds = rep.get(f"/api/v1/contracts/{cid}/reviews").json()
    assert [(r["round"], r["amendment"], r["status"]) for r in rounds] == [(1, None, "approved"), (2, 1, "approved")]
    sheet = rep.get(f"/api/v1/contracts/{cid}/review-sheet.docx")
    assert sheet.status_code == 200
    doc = Document(io.BytesIO(sheet.content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert final["number"] in cells and "V2" in cells and cells.count("同意") == 8
    assert "赵磊" in cells and "吴敏" in cells and "郑涛" in cells and "张伟" in cells  # lead1, finance1, legal1, head1
    export = rep.get("/api/v1/contracts/export.xlsx?status=signed")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "合同编号" and [r[0] for r in rows[1:]] == [final["number"]] and rows[1][4] == 1300000
    assert rep.post(f"/api/v1/contracts/{cid}/archive").json()["status"] == "archived"


def test_a_rejection_round_through_the_api(http, org):
    contract = submitted(org)
    lead, rep = http("lead1"), http("rep1")
    step = rep.get(f"/api/v1/contracts/{contract.pk}").json()["current_step"]
    url = f"/api/v1/contracts/{contract.pk}/reviews/{step['id']}"
    assert rep.post(url + "/approve", json={}).status_code == 403  # the owner
    assert http("finance1").post(url + "/approve", json={}).status_code == 403  # not this step's decider
    no_comment = lead.post(url + "/reject", json={"comment": ""})
    assert no_comment.status_code == 422 and "comment" in no_comment.json()["error"]["fields"]
    rejected = lead.post(url + "/reject", json={"comment": "验收标准不明确"})
    assert rejected.json()["status"] == "drafting"
    assert lead.post(url + "/approve", json={}).status_code == 409  # the round is over
    timeline = rep.get(f"/api/v1/contracts/{contract.pk}/timeline").json()
    assert (timeline[-1]["action"], timeline[-1]["comment"]) == ("contract.review_rejected", "验收标准不明确")
    assert rep.post(f"/api/v1/contracts/{contract.pk}/submit-review").json()["status"] == "in_review"
    rounds = rep.get(f"/api/v1/contracts/{contract.pk}/reviews").json()
    assert [(r["round"], r["status"]) for r in rounds] == [(1, "rejected"), (2, "in_review")]
    assert rounds[0]["steps"][0]["deciders"][0]["comment"] == "验收标准不明确"


@pytest.mark.parametrize("bad, field", [
    ({"tax_rate": "101"}, "tax_rate"),
    ({"start_on": "2027-01-02", "end_on": "2027-01-01"}, "end_on"),
    ({"milestones": [{"name": "全款", "condition": "验收后", "amount": "1.00"}]}, "milestones"),
    ({"amount": "-5"}, "amount"),
])
def test_bad_input_is_422_naming_the_field(http, org, bad, field):
    contract = draft(org)
    rep = http("rep1")
    response = rep.patch(f"/api/v1/contracts/{contract.pk}", json={"version": contract.version, **bad})
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["fields"]
    assert rep.get(f"/api/v1/contracts/{contract.pk}").json()["version"] == contract.version


def test_create_directly_against_an_opportunity_and_list_filters(http, org):
    from opsmon.opportunities.tests.factories import opportunity
    mine, theirs = opportunity(org["rep1"]), opportunity(org["rep2"])
    rep = http("rep1")
    created = rep.post("/api/v1/contracts", json={"opportunity_id": mine.pk, **terms_json("1250000.00")})
    assert created.status_code == 201, created.text
    assert created.json()["number"].startswith("HT-") and created.json()["customer"]["id"] == mine.customer_id
    assert rep.post("/api/v1/contracts", json={"opportunity_id": theirs.pk}).status_code == 404
    assert http("finance1").post("/api/v1/contracts", json={"opportunity_id": mine.pk}).status_code == 404
    listed = rep.get("/api/v1/contracts?status=drafting&contract_type=system_integration").json()
    assert [c["id"] for c in listed["items"]] == [created.json()["id"]]
    assert http("rep2").get("/api/v1/contracts").json()["count"] == 0
    assert http("market1").get("/api/v1/contracts?amount_min=1000000").json()["count"] == 1


def test_review_routes_are_admin_only(http, org):
    admin = http("admin")
    assert len([r for r in admin.get("/api/v1/review-routes").json() if r["kind"] == "contract"]) == 3
    assert http("market1").get("/api/v1/review-routes").status_code == 403
    bad = admin.post("/api/v1/review-routes", json={"name": "重叠", "min_amount": "0", "max_amount": "100",
                                                    "steps": [{"kind": "finance", "decider_kind": "owner_head"}]})
    assert bad.status_code == 422 and "min_amount" in bad.json()["error"]["fields"]
    ok = admin.post("/api/v1/review-routes", json={
        "name": "运维合同", "contract_type": "operations",
        "steps": [{"kind": "finance", "decider_kind": "users", "users": [org["finance1"].pk, org["legal1"].pk],
                   "mode": "all"}]})
    assert ok.status_code == 201, ok.text
    assert ok.json()["steps"][0]["mode"] == "all"


def _parallel(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_parallel_clicks_on_one_step_one_wins(http, org):
    """或签 step with two deciders, each clicking several times at once: one approval, the rest 409."""
    services.route_save(actor=org["admin"], name="运维合同", contract_type="operations", steps=[
        {"kind": "business", "decider_kind": "users", "users": [org["finance1"].pk, org["legal1"].pk]},
        {"kind": "management", "decider_kind": "owner_head"}])
    contract = submitted(org, contract_type="operations")
    clients = [http("finance1"), http("legal1")] * 5
    step = clients[0].get(f"/api/v1/contracts/{contract.pk}").json()["current_step"]
    url = f"/api/v1/contracts/{contract.pk}/reviews/{step['id']}/approve"
    responses = _parallel([lambda c=c: c.post(url, json={"comment": "同意"}) for c in clients])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 9, [r.text for r in responses if r.status_code not in (200, 409)]
    entries = TimelineEntry.objects.filter(object_id=contract.pk, action="contract.step_approved")
    assert entries.count() == 1
    rounds = clients[0].get(f"/api/v1/contracts/{contract.pk}/reviews").json()
    first = rounds[0]["steps"][0]
    assert first["status"] == "approved" and sum(1 for d in first["deciders"] if d["decision"]) == 1
    assert rounds[0]["steps"][1]["status"] == "current"


def test_parallel_signing_of_one_contract_one_wins(http, org):
    contract = signed(org)
    rep, head = http("rep1"), http("head1")
    responses = _parallel([lambda c=c: c.post(f"/api/v1/contracts/{contract.pk}/terminate", json={"reason": "解除"})
                           for c in [rep, head] * 4])
    assert sorted(r.status_code for r in responses) == [200] + [409] * 7
    assert TimelineEntry.objects.filter(object_id=contract.pk, action="contract.terminated").count() == 1
