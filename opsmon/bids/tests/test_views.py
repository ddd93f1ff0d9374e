"""The bid pages and the bond register: each action is one POST that calls one service or changes nothing."""

import io
from datetime import timedelta

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opsmon.bids import services
from opsmon.bids.models import Bid, BidDocument, BidOpening, BidSummary, Bond
from opsmon.contracts.models import Contract

from .factories import ENTRIES_WON, opened_bid, routed_bid, submitted_bid

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SUMMARY = {"person_days": "35", "cost": "42000.50", "bond_note": "投标保证金已退还",
           "outcome_reason": "技术分领先", "lessons": "提前准备资质文件"}


def fresh(bid):
    return Bid.objects.get(pk=bid.pk)


def url(name, obj=None):
    return reverse(f"bids:{name}", args=[obj.pk] if obj is not None else [])


def error_text(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="action-error"')[1].split(">", 1)[1].split("<")[0]


def upload(client, bid, name, content, kind="tender"):
    return client.post(url("document_upload", bid), {"kind": kind, "file": SimpleUploadedFile(name, content)})


def opening_post(rows, *, us=None, winner=None, opened_at="2026-11-27T10:00", blank_rows=6):
    """The opening form as the browser posts it: `rows` filled, then blank rows."""
    data = {"entries-TOTAL_FORMS": str(len(rows) + blank_rows), "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "200", "opening-opened_at": opened_at}
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"entries-{i}-{field}"] = value
    if us is not None:
        data["opening-us"] = str(us)
    if winner is not None:
        data["opening-winner"] = str(winner)
    return data


TWO_BIDDERS = [{"bidder": "我方科技有限公司", "price": "1180000", "score": "92.5", "rank": "1"},
               {"bidder": "甲信息技术有限公司", "price": "1090000", "score": "88", "rank": "2"}]


def won_bid(org):
    return services.bid_mark_won(actor=org["rep1"], bid=opened_bid(org, won=True))


def paid_bond(org, bid, amount="20000"):
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount=amount, method="bank_transfer")
    return services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY, reference="HX-001")


# --- list and navigation --------------------------------------------------------------------------

def test_list_shows_only_visible_bids_and_filters_them(browser, org):
    mine = routed_bid(org)
    other = routed_bid(org, owner="rep2")
    html = browser("rep1").get(url("list")).content.decode()
    assert mine.number in html and other.number not in html
    html = browser("assistant1").get(url("list"), {"q": other.number}).content.decode()
    assert other.number in html and mine.number not in html
    html = browser("market1").get(url("list"), {"status": "submitted"}).content.decode()
    assert other.number not in html and mine.number not in html


def test_list_answers_htmx_with_the_table_only(browser, org):
    bid = routed_bid(org)
    html = browser("rep1").get(url("list"), HTTP_HX_REQUEST="true").content.decode()
    assert bid.number in html and 'data-testid="bid-table"' in html and "<html" not in html


def test_list_query_count_does_not_grow_with_rows(browser, org, django_assert_max_num_queries):
    for _ in range(6):
        routed_bid(org)
    client = browser("head1")
    client.get(url("list"))  # the process's copies of labels, people and departments (core.versions)
    with django_assert_max_num_queries(12):
        response = client.get(url("list"))
    assert response.content.decode().count('data-status="registered"') == 6


def test_pages_need_login(client, org):
    bid = routed_bid(org)
    for path in (url("list"), url("detail", bid), url("register"), url("bond_register")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize(("username", "sees_register"), [
    ("rep1", False), ("head1", False), ("assistant1", True), ("market1", True), ("admin", True)])
def test_navigation_has_bids_for_all_and_the_bond_register_for_some(browser, org, username, sees_register):
    html = browser(username).get(url("list")).content.decode()
    assert f'href="{url("list")}"' in html
    assert (f'href="{url("bond_register")}"' in html) is sees_register


# --- registration ---------------------------------------------------------------------------------

def test_assistant_registers_a_bid_against_an_opportunity_he_sees(browser, org):
    """Found by the form's search (issue 21: only opportunities he can see, never the whole list)."""
    from opsmon.opportunities.tests import factories
    opportunity = factories.opportunity(org["rep2"], member_ids=[org["assistant1"].pk])
    client = browser("assistant1")
    assert opportunity.number not in client.get(url("register")).content.decode()
    found = client.get("/pick/opportunities/", {"q": opportunity.number}).json()
    assert [o["value"] for o in found] == [opportunity.pk]
    response = client.post(url("register"), {"opportunity": opportunity.pk, "title": "二次招标"})
    bid = Bid.objects.get(opportunity=opportunity)
    assert response.status_code == 302 and response["Location"] == url("detail", bid)
    assert (bid.title, bid.owner, bid.status) == ("二次招标", org["rep2"], "registered")


def test_rep_registers_for_his_own_opportunity_only(browser, org):
    from opsmon.opportunities.tests import factories
    mine, other = factories.opportunity(org["rep1"]), factories.opportunity(org["rep2"])
    client = browser("rep1")
    found = {o["value"] for o in client.get("/pick/opportunities/", {"q": "SJ"}).json()}
    assert mine.pk in found and other.pk not in found
    assert client.post(url("register"), {"opportunity": mine.pk, "title": ""}).status_code == 302
    assert Bid.objects.get(opportunity=mine).title == mine.title
    assert client.post(url("register"), {"opportunity": other.pk}).status_code == 404
    assert not Bid.objects.filter(opportunity=other).exists()


def test_market_head_may_not_register(browser, org):
    from opsmon.opportunities.tests import factories
    opportunity = factories.opportunity(org["rep1"])
    response = browser("market1").post(url("register"), {"opportunity": opportunity.pk})
    assert response.status_code == 403 and 'role="alert"' in response.content.decode()
    assert not Bid.objects.filter(opportunity=opportunity).exists()


# --- detail and visibility -----------------------------------------------------------------------

@pytest.mark.parametrize("username", ["rep1", "head1", "assistant1", "market1", "admin"])
def test_detail_renders_for_who_may_see_it(browser, org, username):
    bid = submitted_bid(org)
    html = browser(username).get(url("detail", bid)).content.decode()
    assert bid.number in html and bid.opportunity.number in html and bid.project.number in html
    # the opportunity and project link only for who may open them; the bid assistant reads their numbers as text
    opens = username != "assistant1"
    assert (f'href="{reverse("opportunities:detail", args=[bid.opportunity_id])}"' in html) is opens
    assert (f'href="{reverse("projects:detail", args=[bid.project_id])}"' in html) is opens
    assert ('data-testid="analysis-form"' in html) is (username in ("rep1", "head1", "assistant1"))
    assert ('data-testid="opening-form"' in html) is (username in ("rep1", "head1"))
    assert ('data-testid="bond-form"' in html) is (username in ("assistant1", "admin"))


def test_detail_of_a_fresh_bid_offers_start_preparation_only_to_the_team(browser, org):
    bid = routed_bid(org)
    html = browser("rep1").get(url("detail", bid)).content.decode()
    assert 'data-testid="start-preparation"' in html and 'data-testid="abandon-form"' in html
    market = browser("market1").get(url("detail", bid)).content.decode()
    assert 'data-testid="start-preparation"' not in market and 'data-testid="no-actions"' in market


ACTIONS = [
    ("analysis", {"tenderer": "x", "version": "1"}), ("start_preparation", {}), ("submit", {}),
    ("mark_won", {}), ("mark_lost", {}), ("close", {}), ("abandon", {"abandon-reason": "流标"}),
    ("create_contract", {}), ("document_upload", {"kind": "tender"}), ("opening", opening_post(TWO_BIDDERS, us=0,
                                                                                                  winner=0)),
    ("summary", SUMMARY), ("bond_create", {"bond-kind": "bid", "bond-amount": "1000", "bond-currency": "CNY",
                                           "bond-method": "bank_transfer"}),
]


@pytest.mark.parametrize("username", ["rep2", "head2"])
def test_other_department_gets_404_on_the_bid_its_documents_and_its_actions(browser, org, username):
    bid = submitted_bid(org)
    doc = services.document_upload(actor=org["rep1"], bid=bid, kind="tender",
                                   upload=SimpleUploadedFile("招标文件.pdf", PDF))
    bond = paid_bond(org, bid)
    services.opening_record(actor=org["rep1"], bid=bid, opened_at=timezone.now(), entries=ENTRIES_WON,
                            winner=ENTRIES_WON[0]["bidder"])
    bid = fresh(bid)
    client = browser(username)
    for path in (url("detail", bid), url("document_download", doc), url("document_preview", doc),
                 url("summary_docx", bid)):
        assert client.get(path).status_code == 404, path
    for name, data in ACTIONS:
        assert client.post(url(name, bid), data).status_code == 404, name
    for name in ("bond_pay", "bond_refund", "bond_forfeit", "bond_convert"):
        assert client.post(url(name, bond), {}).status_code == 404, name
    assert fresh(bid).version == bid.version and fresh(bid).status == "opened"
    assert BidDocument.objects.filter(bid=bid).count() == 1 and Bond.objects.get(pk=bond.pk).status == "paid"


def test_actions_are_post_only(browser, org):
    bid = routed_bid(org)
    assert browser("rep1").get(url("start_preparation", bid)).status_code == 405
    assert browser("rep1").get(url("opening", bid)).status_code == 405


# --- tender analysis ----------------------------------------------------------------------------

def analysis_data(bid, **changes):
    base = {"tenderer": bid.tenderer, "agency": bid.agency, "tender_no": bid.tender_no,
            "tender_method": bid.tender_method, "estimated_price": "", "ceiling_price": "", "currency": bid.currency,
            "submission_deadline": "", "opening_at": "", "qualification_requirements": "", "scoring_method": "",
            "risks": "", "decision": "", "decision_reason": "", "version": str(bid.version)}
    return {**base, **changes}


def test_team_saves_the_tender_analysis_in_beijing_time(browser, org):
    bid = routed_bid(org)
    deadline = (timezone.localtime() + timedelta(days=7)).replace(second=0, microsecond=0)
    response = browser("rep1").post(url("analysis", bid), analysis_data(
        bid, tenderer="某市公共资源交易中心", tender_method="open_tender", estimated_price="1,200,000",
        submission_deadline=deadline.strftime("%Y-%m-%dT%H:%M"), scoring_method="comprehensive", decision="bid"))
    assert response.status_code == 302
    bid = fresh(bid)
    assert bid.tenderer == "某市公共资源交易中心" and str(bid.estimated_price) == "1200000.00"
    assert bid.submission_deadline == deadline and bid.decision == "bid"
    html = browser("rep1").get(url("detail", bid)).content.decode()
    assert deadline.strftime("%Y-%m-%d %H:%M") in html and "¥1,200,000.00" in html  # money: sign and grouping
    assert f'value="{deadline.strftime("%Y-%m-%dT%H:%M")}"' in html


def test_saving_one_field_leaves_the_others_untouched(browser, org):
    bid = submitted_bid(org)  # its deadline carries seconds, which a datetime-local input cannot show
    minute = timezone.localtime(bid.submission_deadline).strftime("%Y-%m-%dT%H:%M")
    data = analysis_data(bid, estimated_price="1200000.00", submission_deadline=minute, opening_at=minute,
                         tenderer="某市公共资源交易中心")
    client = browser("rep1")
    response = client.post(url("analysis", bid), data)
    assert response.status_code == 302 and fresh(bid).version == bid.version  # nothing changed
    assert client.post(url("analysis", bid), {**data, "agency": "某招标代理"}).status_code == 302
    saved = fresh(bid)
    assert saved.agency == "某招标代理" and saved.submission_deadline == bid.submission_deadline


def test_bad_tender_analysis_is_refused_next_to_the_field(browser, org):
    bid = routed_bid(org)
    response = browser("rep1").post(url("analysis", bid), analysis_data(
        bid, decision="no_bid", estimated_price="-5"))
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-field-error="decision_reason"' in html and 'data-field-error="estimated_price"' in html
    assert fresh(bid).version == bid.version and fresh(bid).decision == ""


def test_a_stale_tender_analysis_form_is_refused(browser, org):
    bid = routed_bid(org)
    stale = analysis_data(bid, tenderer="旧")
    services.tender_analysis_save(actor=org["head1"], bid=bid, tenderer="新")
    response = browser("rep1").post(url("analysis", bid), stale)
    assert response.status_code == 409 and error_text(response)
    assert fresh(bid).tenderer == "新"


def test_the_market_head_may_not_edit_the_analysis(browser, org):
    bid = routed_bid(org)
    response = browser("market1").post(url("analysis", bid), analysis_data(bid, tenderer="x"))
    assert response.status_code == 403 and fresh(bid).tenderer == ""


# --- workflow ------------------------------------------------------------------------------------

def test_preparation_and_submission_through_the_buttons(browser, org):
    bid = routed_bid(org)
    services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=timezone.now() + timedelta(days=2))
    client = browser("rep1")
    assert client.post(url("start_preparation", bid)).status_code == 302
    assert fresh(bid).status == "preparing"
    assert client.post(url("submit", bid)).status_code == 302
    assert fresh(bid).status == "submitted"
    response = client.post(url("submit", bid))
    assert response.status_code == 409 and fresh(bid).status == "submitted"


def test_submission_after_the_deadline_shows_why(browser, org):
    bid = routed_bid(org)
    services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=timezone.now() + timedelta(days=2))
    bid = services.bid_start_preparation(actor=org["rep1"], bid=fresh(bid))
    Bid.objects.filter(pk=bid.pk).update(submission_deadline=timezone.now() - timedelta(hours=1))  # time passed
    response = browser("rep1").post(url("submit", bid))
    assert response.status_code == 409
    assert "截止" in error_text(response) or "deadline" in error_text(response)
    assert fresh(bid).status == "preparing"


def test_abandon_needs_a_reason(browser, org):
    bid = routed_bid(org)
    client = browser("rep1")
    response = client.post(url("abandon", bid), {"abandon-reason": " "})
    assert response.status_code == 422 and 'data-field-error="reason"' in response.content.decode()
    assert fresh(bid).status == "registered"
    assert client.post(url("abandon", bid), {"abandon-reason": "流标"}).status_code == 302
    bid = fresh(bid)
    assert (bid.status, bid.abandon_reason) == ("abandoned", "流标")
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="bid-voided"' in html and 'data-testid="summary-form"' in html


def test_owner_marks_won_creates_the_contract_files_the_summary_and_closes(browser, org):
    bid = opened_bid(org, won=True)
    client = browser("rep1")
    assert client.post(url("mark_lost", bid)).status_code == 409  # the opening names us as the winner
    assert client.post(url("mark_won", bid)).status_code == 302 and fresh(bid).status == "won"
    assert client.post(url("close", bid)).status_code == 409  # no summary yet
    assert client.post(url("create_contract", bid)).status_code == 302
    contract = Contract.objects.get(bid=bid)
    html = client.get(url("detail", bid)).content.decode()
    assert contract.number in html and 'data-testid="create-contract"' not in html
    assert client.post(url("summary", bid), SUMMARY).status_code == 302
    assert BidSummary.objects.get(bid=bid).lessons == "提前准备资质文件"
    assert client.post(url("close", bid)).status_code == 302
    bid = fresh(bid)
    assert bid.closed
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="bid-closed"' in html and 'data-testid="summary-form"' not in html


def test_only_owner_or_head_marks_the_result(browser, org):
    bid = opened_bid(org, won=False)
    response = browser("assistant1").post(url("mark_lost", bid))
    assert response.status_code == 403 and error_text(response)
    assert fresh(bid).status == "opened"
    assert browser("head1").post(url("mark_lost", bid)).status_code == 302 and fresh(bid).status == "lost"


# --- documents -----------------------------------------------------------------------------------

def test_upload_of_a_pdf_is_listed_downloaded_and_previewed(browser, org):
    bid = routed_bid(org)
    client = browser("rep1")
    assert upload(client, bid, "招标文件.pdf", PDF).status_code == 302
    assert upload(client, bid, "招标文件.pdf", PDF + b"%v2").status_code == 302
    docs = list(BidDocument.objects.filter(bid=bid).order_by("version"))
    assert [d.version for d in docs] == [1, 2]
    html = client.get(url("detail", bid)).content.decode()
    assert "招标文件.pdf" in html and html.count('data-testid="document-version"') == 2
    assert docs[1].file.sha256[:12] in html and url("document_preview", docs[0]) in html
    download = client.get(url("document_download", docs[0]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    preview = browser("market1").get(url("document_preview", docs[0]))
    assert preview.status_code == 200 and preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Type"] == "application/pdf"


def test_a_png_named_pdf_is_refused_on_the_page(browser, org):
    bid = routed_bid(org)
    response = upload(browser("rep1"), bid, "伪装.pdf", PNG)
    assert response.status_code == 422 and 'data-field-error="file"' in response.content.decode()
    assert not BidDocument.objects.filter(bid=bid).exists()


def test_an_oversize_upload_is_refused_with_413(browser, org, settings):
    settings.UPLOAD_MAX_BYTES = 64
    bid = routed_bid(org)
    response = upload(browser("rep1"), bid, "big.pdf", PDF + b"0" * 100)
    assert response.status_code == 413 and error_text(response)
    assert not BidDocument.objects.filter(bid=bid).exists()


def test_market_head_cannot_upload(browser, org):
    bid = routed_bid(org)
    assert 'data-testid="upload-form"' not in browser("market1").get(url("detail", bid)).content.decode()
    assert upload(browser("market1"), bid, "a.pdf", PDF).status_code == 403
    assert not BidDocument.objects.filter(bid=bid).exists()


def test_a_voided_bid_takes_only_the_result_notice_from_the_assistant(browser, org):
    bid = services.bid_mark_lost(actor=org["rep1"], bid=opened_bid(org, won=False))
    assert 'data-testid="upload-form"' not in browser("rep1").get(url("detail", bid)).content.decode()
    assert upload(browser("rep1"), bid, "结果.pdf", PDF, kind="result").status_code == 409
    client = browser("assistant1")
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="upload-form"' in html and 'value="tender"' not in html
    assert upload(client, bid, "中标结果公告.pdf", PDF, kind="result").status_code == 302
    assert BidDocument.objects.get(bid=bid).kind == "result"


# --- opening -------------------------------------------------------------------------------------

def test_owner_records_the_opening_ignoring_empty_rows(browser, org):
    bid = submitted_bid(org)
    client = browser("rep1")
    assert client.get(url("detail", bid)).content.decode().count('data-testid="opening-row"') == 8
    response = client.post(url("opening", bid), opening_post(TWO_BIDDERS, us=0, winner=0))
    assert response.status_code == 302
    opening = BidOpening.objects.get(bid=bid)
    entries = list(opening.entries.order_by("rank"))
    assert opening.winner == "我方科技有限公司" and fresh(bid).status == "opened"
    assert [(e.bidder, str(e.price), e.is_us) for e in entries] == [
        ("我方科技有限公司", "1180000.00", True), ("甲信息技术有限公司", "1090000.00", False)]
    assert timezone.localtime(opening.opened_at).strftime("%Y-%m-%d %H:%M") == "2026-11-27 10:00"
    html = client.get(url("detail", bid)).content.decode()
    assert html.count('data-testid="opening-entry"') == 2 and "1180000.00" in html
    assert html.count('data-testid="opening-row"') == 10  # the two recorded rows plus eight empty ones


def test_duplicate_ranks_are_refused_on_the_row(browser, org):
    bid = submitted_bid(org)
    rows = [TWO_BIDDERS[0], {**TWO_BIDDERS[1], "rank": "1"}]
    response = browser("rep1").post(url("opening", bid), opening_post(rows, us=0, winner=0))
    html = response.content.decode()
    assert response.status_code == 422 and 'data-field-error="rank"' in html
    assert "甲信息技术有限公司" in html  # the typed rows come back
    assert fresh(bid).status == "submitted" and not BidOpening.objects.filter(bid=bid).exists()


def test_no_row_marked_as_us_is_refused(browser, org):
    bid = submitted_bid(org)
    response = browser("rep1").post(url("opening", bid), opening_post(TWO_BIDDERS, winner=1))
    assert response.status_code == 422 and 'data-testid="opening-error"' in response.content.decode()
    assert not BidOpening.objects.filter(bid=bid).exists()


def test_a_winner_on_an_empty_row_is_refused(browser, org):
    bid = submitted_bid(org)
    response = browser("rep1").post(url("opening", bid), opening_post(TWO_BIDDERS, us=0, winner=5))
    assert response.status_code == 422 and 'data-field-error="winner"' in response.content.decode()
    assert not BidOpening.objects.filter(bid=bid).exists()


# --- summary report ------------------------------------------------------------------------------

def test_summary_form_errors_and_the_docx_with_the_opening_table(browser, org):
    bid = won_bid(org)
    client = browser("rep1")
    assert client.get(url("summary_docx", bid)).status_code == 404  # no summary yet
    response = client.post(url("summary", bid), {**SUMMARY, "lessons": ""})
    assert response.status_code == 422 and 'data-field-error="lessons"' in response.content.decode()
    assert client.post(url("summary", bid), SUMMARY).status_code == 302
    response = browser("market1").get(url("summary_docx", bid))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('-summary.docx"')
    document = docx.Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    for entry in ENTRIES_WON:
        assert entry["bidder"] in cells
    assert "¥1,180,000.00" in cells and bid.number in cells


def test_summary_is_not_offered_before_the_result(browser, org):
    bid = submitted_bid(org)
    assert 'data-testid="summary-form"' not in browser("rep1").get(url("detail", bid)).content.decode()
    assert browser("rep1").post(url("summary", bid), SUMMARY).status_code == 409
    assert not BidSummary.objects.filter(bid=bid).exists()


# --- bonds ---------------------------------------------------------------------------------------

def test_assistant_plans_pays_and_refunds_a_bond(browser, org):
    bid = submitted_bid(org)
    client = browser("assistant1")
    response = client.post(url("bond_create", bid), {"bond-kind": "bid", "bond-amount": "30000",
                                                     "bond-currency": "CNY", "bond-method": "bank_transfer",
                                                     "bond-due_on": str(TODAY)})
    assert response.status_code == 302
    bond = Bond.objects.get(bid=bid)
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="bond-amount">¥30,000.00' in html
    assert 'data-testid="bond-warning"' in html  # 2% of 1,200,000 = 24,000
    prefix = f"bond{bond.pk}-pay"
    assert client.post(url("bond_pay", bond), {f"{prefix}-paid_on": str(TODAY),
                                               f"{prefix}-reference": "HX-1"}).status_code == 302
    assert Bond.objects.get(pk=bond.pk).status == "paid"
    prefix = f"bond{bond.pk}-refund"
    response = client.post(url("bond_refund", bond), {f"{prefix}-refunded_on": str(TODAY),
                                                      f"{prefix}-amount": "30000.01", f"{prefix}-interest": "0"})
    assert response.status_code == 422 and 'data-field-error="amount"' in response.content.decode()
    assert Bond.objects.get(pk=bond.pk).status == "paid"
    assert client.post(url("bond_refund", bond), {f"{prefix}-refunded_on": str(TODAY), f"{prefix}-amount": "30000",
                                                  f"{prefix}-interest": "12.34"}).status_code == 302
    bond = Bond.objects.get(pk=bond.pk)
    assert (bond.status, str(bond.refund_interest)) == ("refunded", "12.34")


def test_bond_actions_are_refused_for_a_sales_rep(browser, org):
    bid = submitted_bid(org)
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="1000", method="bank_transfer")
    client = browser("rep1")
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="bond-form"' not in html and 'data-testid="bond-pay-form"' not in html
    response = client.post(url("bond_create", bid), {"bond-kind": "bid", "bond-amount": "1000",
                                                     "bond-currency": "CNY", "bond-method": "bank_transfer"})
    assert response.status_code == 403
    response = client.post(url("bond_pay", bond), {f"bond{bond.pk}-pay-paid_on": str(TODAY)})
    assert response.status_code == 403 and error_text(response)
    response = client.post(url("bond_forfeit", bond), {f"bond{bond.pk}-forfeit-reason": "违约"})
    assert response.status_code == 403
    assert Bond.objects.filter(bid=bid).count() == 1 and Bond.objects.get(pk=bond.pk).status == "planned"


def test_forfeit_and_conversion_of_bonds(browser, org):
    bid = won_bid(org)
    first, second = paid_bond(org, bid), paid_bond(org, bid, amount="5000")
    client = browser("assistant1")
    html = client.get(url("detail", bid)).content.decode()
    assert 'data-testid="bond-convert"' in html
    assert client.post(url("bond_forfeit", first), {f"bond{first.pk}-forfeit-reason": ""}).status_code == 422
    assert client.post(url("bond_forfeit", first), {f"bond{first.pk}-forfeit-reason": "中标后放弃"}).status_code == 302
    assert Bond.objects.get(pk=first.pk).status == "forfeited"
    assert client.post(url("bond_convert", second)).status_code == 302
    second = Bond.objects.get(pk=second.pk)
    assert second.status == "converted_to_performance" and second.converted_to.kind == "performance"


def test_overdue_refund_is_flagged_on_the_detail_and_the_register(browser, org):
    bid = opened_bid(org, won=False)
    bond = paid_bond(org, bid)
    services.bid_mark_lost(actor=org["rep1"], bid=fresh(bid))
    Bid.objects.filter(pk=bid.pk).update(result_known_on=TODAY - timedelta(days=10))
    client = browser("assistant1")
    assert 'data-testid="bond-overdue"' in client.get(url("detail", bid)).content.decode()
    html = client.get(url("bond_register"), {"overdue": "on"}).content.decode()
    assert html.count('data-testid="bond-row"') == 1 and 'data-testid="bond-overdue"' in html
    assert bond.bid.number in html


# --- bond register -------------------------------------------------------------------------------

def test_register_totals_filters_scope_and_export(browser, org):
    mine, other = submitted_bid(org), submitted_bid(org, owner="rep2")
    paid_bond(org, mine, amount="20000")
    paid_bond(org, mine, amount="1500.50")
    paid_bond(org, other, amount="3000")
    services.bond_create(actor=org["assistant1"], bid=other, kind="bid", amount="999", method="bank_transfer")
    client = browser("assistant1")
    html = client.get(url("bond_register")).content.decode()
    assert html.count('data-testid="bond-row"') == 4
    assert "¥24,500.50" in html  # money out: the paid bonds, not the planned one
    html = client.get(url("bond_register"), {"status": "planned"}).content.decode()
    assert html.count('data-testid="bond-row"') == 1 and "999.00" in html
    department = org["rep2"].department
    html = client.get(url("bond_register"), {"department": department.pk}).content.decode()
    assert html.count('data-testid="bond-row"') == 2 and "¥3,000.00" in html
    assert f"department={department.pk}" in html  # the export link keeps the filters
    # A rep sees only the bonds of his bids.
    html = browser("rep2").get(url("bond_register")).content.decode()
    assert html.count('data-testid="bond-row"') == 2 and mine.number not in html
    response = browser("assistant1").get(url("bond_export"), {"department": department.pk})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "投标编号" and len(rows) == 3 and {r[0] for r in rows[1:]} == {other.number}


def test_register_answers_htmx_with_the_table_only(browser, org):
    paid_bond(org, submitted_bid(org))
    html = browser("market1").get(url("bond_register"), HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="bond-register"' in html and "<html" not in html
