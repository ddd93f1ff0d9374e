from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rep_records_customer_and_opportunity_follows_up_and_asks_for_conversion(page, login, live_server):
    login("rep1")

    # a customer with one contact, through the customer pages
    page.click("nav a[href='/customers/']")
    page.get_by_test_id("customer-new").click()
    page.fill("#id_name", "华东某电网有限公司")
    page.select_option("#id_customer_type", "soe")
    page.select_option("#id_industry", "energy")
    page.fill("#id_contact0_name", "王工")
    page.fill("#id_contact0_phone", "13800000000")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("customer-name")).to_have_text("华东某电网有限公司")
    expect(page.get_by_test_id("customer-contacts")).to_contain_text("王工")

    # an opportunity for it, the customer already chosen
    page.get_by_test_id("customer-new-opportunity").click()
    expect(page.locator("#id_customer_id option:checked")).to_have_text("华东某电网有限公司")
    page.fill("#id_title", "调度自动化系统升级")
    page.select_option("#id_stage", "proposal")
    page.fill("#id_estimated_amount", "1250000")
    page.fill("#id_expected_close_date", str(timezone.localdate() + timedelta(days=60)))
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("number")).to_contain_text("SJ-")
    expect(page.get_by_test_id("status")).to_have_text("跟踪中")

    # a follow-up
    page.locator("[data-testid=action-follow_up] summary").click()
    page.select_option("#id_follow_up-kind", "visit")
    page.fill("#id_follow_up-note", "拜访信息中心，确认需求")
    page.fill("#id_follow_up-next_step", "提交技术方案")
    page.get_by_test_id("follow-up-save").click()
    expect(page.get_by_test_id("follow-up-list")).to_contain_text("拜访信息中心，确认需求")
    expect(page.get_by_test_id("follow-up-list")).to_contain_text("拜访")

    # the request for conversion
    page.locator("[data-testid=action-request_conversion] summary").click()
    page.fill("#id_request_conversion-comment", "客户预算已落实")
    page.get_by_test_id("submit-request_conversion").click()
    expect(page.get_by_test_id("status")).to_have_text("待转立项")
    expect(page.get_by_test_id("timeline")).to_contain_text("客户预算已落实")
    number = page.get_by_test_id("number").inner_text()

    # the card on the board, dragged to the next stage (board.js → htmx.ajax → the same service)
    page.click("nav a[href='/opportunities/']")
    page.get_by_test_id("nav-board").click()
    card = page.get_by_test_id(f"card-{number}")
    expect(page.get_by_test_id("column-proposal")).to_contain_text(number)
    card.drag_to(page.locator("[data-testid=column-negotiation] [data-dropzone]"))
    expect(page.get_by_test_id("column-negotiation")).to_contain_text(number)
    expect(page.get_by_test_id("board-notice")).to_be_visible()

    # the list shows the status, and the detail the moved stage
    page.click("nav a[href='/opportunities/']")
    row = page.get_by_test_id(f"row-{number}")
    expect(row.locator("[data-status]")).to_have_text("待转立项")
    row.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("stage")).to_contain_text("75%")
    expect(page.get_by_test_id("status")).to_have_text("待转立项")
