"""Purchase requests through the pages: the project's owner asks for equipment from the project's Purchasing
section (a blank row ignored, a bad quantity refused with his input kept), his department head returns it from his
inbox, the owner fixes and resubmits it, and the head approves both steps (the route's and the budget step: the
project has no approved budget); the project's page then shows the commitment."""

import re

import pytest
from playwright.sync_api import expect

from opsmon.procurement.models import PurchaseRequest
from opsmon.procurement.tests import factories

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_create_return_resubmit_approve(page, login, live_server, org):
    project = factories.project(org)
    ARTIFACTS.mkdir(exist_ok=True)

    login("rep1")
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    page.get_by_test_id("project-request-new").click()
    page.fill("#id_title", "机房交换机")
    page.fill("#id_lines-0-item", "万兆交换机")
    page.select_option("#id_lines-0-unit", "set")
    page.fill("#id_lines-0-qty", "0")
    page.fill("#id_lines-0-est_unit_price", "12500.5")
    page.select_option("#id_lines-0-category", "hardware")
    page.get_by_test_id("request-save").click()
    expect(page.locator("[data-field-error='qty']")).to_be_visible()
    expect(page.locator("#id_lines-0-item")).to_have_value("万兆交换机")  # the input is kept
    page.fill("#id_lines-0-qty", "3")
    page.get_by_test_id("request-save").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "draft")
    expect(page.get_by_test_id("request-total")).to_contain_text("37,501.50")
    page.get_by_test_id("request-submit").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "submitted")
    expect(page.get_by_test_id("budget-warning")).to_be_visible()
    log_out(page)

    request = PurchaseRequest.objects.get()
    login("head1")
    page.get_by_test_id("header-inbox").click()
    expect(page.get_by_test_id("inbox-table")).to_contain_text(request.number)
    page.goto(f"{live_server.url}/procurement/requests/{request.pk}/")
    page.fill("#id_comment", "请写明端口数量")
    page.get_by_test_id("decide-return").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "returned")
    log_out(page)

    login("rep1")
    page.goto(f"{live_server.url}/procurement/requests/{request.pk}/")
    expect(page.get_by_test_id("reviews")).to_contain_text("请写明端口数量")
    page.get_by_test_id("request-edit").click()
    page.fill("#id_lines-0-spec", "48 口")
    page.get_by_test_id("request-save").click()
    page.get_by_test_id("request-submit").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "submitted")
    log_out(page)

    login("head1")
    page.goto(f"{live_server.url}/procurement/requests/{request.pk}/")
    page.get_by_test_id("decide-approve").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "submitted")
    page.fill("#id_comment", "超预算同意：客户已确认")
    page.screenshot(path=str(ARTIFACTS / "purchase-request-budget-step.png"), full_page=True)
    page.get_by_test_id("decide-approve").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "approved")
    expect(page.locator("[data-testid='review-round']")).to_have_count(2)
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("cost-committed")).to_contain_text("37,501.50")
