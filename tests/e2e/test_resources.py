"""Project resources through the pages: the owner asks for resources on his project, his department head trims and
grants them from his inbox, the technical lead logs effort on the project, and the bid's summary report starts from
what was logged."""

import re

import pytest
from playwright.sync_api import expect

from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.projects import services as projects
from opsmon.resources.models import ResourceRequest
from opsmon.resources.tests import factories

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_request_grant_log_and_bid_summary(page, login, live_server, org):
    project = factories.project(org)
    bid = Bid.objects.get(pk=projects.project_route(actor=org["rep1"], project=project, to="bidding")["bid_id"])
    detail = f"{live_server.url}/projects/{project.pk}/"
    ARTIFACTS.mkdir(exist_ok=True)

    # The owner asks for a business person and a travel budget, and submits.
    login("rep1")
    page.goto(detail)
    page.get_by_test_id("file-request").click()
    page.fill("#id_days_business", "4")
    page.fill("#id_amount_travel", "3,000")
    page.fill("#id_note", "客户交流与方案汇报")
    page.get_by_test_id("save-request").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "draft")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "in_review")
    log_out(page)

    # The head finds it in his inbox, trims the days and grants.
    request = ResourceRequest.objects.get(project=project)
    line = request.people.get()
    login("head1")
    page.get_by_test_id("header-inbox").click()
    expect(page.get_by_test_id("inbox-table")).to_contain_text(project.number)
    page.goto(f"{live_server.url}/resources/requests/{request.pk}/")
    page.fill(f"#id_people_{line.pk}", "3")
    page.fill("#id_comment", "先安排 3 天")
    page.screenshot(path=str(ARTIFACTS / "resources-grant.png"), full_page=True)
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("request-status")).to_have_attribute("data-status", "granted")
    expect(page.get_by_test_id("people-line").get_by_test_id("granted")).to_have_text("3.0")
    log_out(page)

    # The technical lead logs a day and a half on the project's page.
    login("lead1")
    page.goto(detail)
    page.select_option("#id_kind", "tech_lead")
    page.fill("#id_days", "1.5")
    page.fill("#id_note", "方案编写")
    page.get_by_test_id("log-effort").click()
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/"))
    expect(page.get_by_test_id("effort-log")).to_contain_text("方案编写")
    expect(page.get_by_test_id("used-days")).to_have_text("1.5")
    expect(page.get_by_test_id("granted-days")).to_have_text("3.0")
    log_out(page)

    # The bid is abandoned: its summary report starts from the logged effort, shown beside the field.
    bids.bid_abandon(actor=org["rep1"], bid=bid, reason="客户取消招标")
    login("rep1")
    page.goto(f"{live_server.url}/bids/{bid.pk}/")
    expect(page.locator("#id_person_days")).to_have_value("1.5")
    expect(page.get_by_test_id("logged-days")).to_contain_text("1.5")
    page.screenshot(path=str(ARTIFACTS / "resources-bid-summary.png"), full_page=True)
