import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.bids import services
from opsmon.bids.tests.factories import submitted_bid

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BIDDERS = [("我方科技有限公司", "1180000", "92.5", "1"), ("甲信息技术有限公司", "1090000", "88", "2")]


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_owner_uploads_the_tender_document_and_records_the_opening(page, login, live_server, org, tmp_path):
    bid = submitted_bid(org)
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="30000", method="bank_transfer")
    services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=timezone.localdate(), reference="HX-20261127")
    detail = f"{live_server.url}/bids/{bid.pk}/"
    pdf = tmp_path / "招标文件.pdf"
    pdf.write_bytes(PDF)
    ARTIFACTS.mkdir(exist_ok=True)

    # The owner finds the bid in the list and uploads the tender document.
    login("rep1")
    page.goto(f"{live_server.url}/bids/")
    page.get_by_test_id("bid-table").get_by_role("link", name=bid.number).click()
    page.wait_for_url(detail)
    page.select_option("#id_kind", "tender")
    page.set_input_files("#id_file", str(pdf))
    page.get_by_test_id("upload").click()
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/"))
    expect(page.get_by_test_id("document-table")).to_contain_text("招标文件.pdf")
    expect(page.get_by_test_id("document-preview")).to_have_count(1)

    # He records the opening: two bidders, us first and the winner; the empty rows stay empty.
    page.fill("#id_opening-opened_at", "2026-11-27T10:00")
    for i, (bidder, price, score, rank) in enumerate(BIDDERS):
        page.fill(f"#id_entries-{i}-bidder", bidder)
        page.fill(f"#id_entries-{i}-price", price)
        page.fill(f"#id_entries-{i}-score", score)
        page.fill(f"#id_entries-{i}-rank", rank)
    page.get_by_test_id("opening-us-0").check()
    page.get_by_test_id("opening-winner-0").check()
    page.get_by_test_id("opening-save").click()
    expect(page.locator("[data-testid=bid-status] .badge")).to_have_attribute("data-status", "opened")
    table = page.get_by_test_id("opening-table")
    expect(table.get_by_test_id("opening-entry")).to_have_count(2)
    expect(table).to_contain_text("甲信息技术有限公司")
    expect(page.get_by_test_id("opening-winner")).to_have_text("我方科技有限公司")
    expect(page.get_by_test_id("mark-won")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "bid-detail.png"), full_page=True)
    log_out(page)

    # The bid assistant sees the bond in the register with the money still out.
    login("assistant1")
    page.get_by_role("link", name=re.compile("Bond register|保证金台账")).click()
    page.wait_for_url(f"{live_server.url}/bonds/")
    expect(page.get_by_test_id("bond-row")).to_have_count(1)
    expect(page.get_by_test_id("money-out")).to_contain_text("¥30,000.00")
    page.screenshot(path=str(ARTIFACTS / "bond-register.png"), full_page=True)

    # From the register to the bid, where the assistant keeps the bond.
    page.get_by_test_id("bond-row").get_by_role("link", name=bid.number).click()
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/"))
    page.get_by_test_id("bond-refund-panel").locator("summary").click()
    expect(page.get_by_test_id("bond-refund-form")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "bid-detail-bonds.png"), full_page=True)


def test_the_register_form_finds_the_opportunity_by_searching(page, login, live_server, org):
    """Issue 21: the form lists no opportunity until the user searches; the search (htmx, served by the app)
    offers only open opportunities he can see; picking one registers the bid."""
    from opsmon.bids.models import Bid
    from opsmon.opportunities.tests.factories import opportunity
    mine = opportunity(org["rep1"], title="检索登记平台")
    other = opportunity(org["rep2"], title="检索登记别部门")
    login("rep1")
    page.goto(f"{live_server.url}/bids/new/")
    expect(page.locator("#id_opportunity option")).to_have_count(1)
    page.locator("#id_opportunity-ts-control").press_sequentially("检索登记")  # the search picker (issue 20)
    expect(page.locator(".ts-dropdown .option")).to_have_count(1)
    assert other.number not in page.locator(".ts-dropdown").inner_text()
    page.locator(".ts-dropdown .option").first.click()
    expect(page.locator("#id_opportunity")).to_have_value(str(mine.pk))
    page.get_by_test_id("register-save").click()
    page.wait_for_url(re.compile(r"/bids/\d+/$"))
    assert Bid.objects.filter(opportunity=mine).exists()
