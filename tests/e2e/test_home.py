"""The workbench in the browser (issue 20): a head goes from his workbench's inbox count to the record in two clicks
and converts it; the rep finds the notification and, by opening the opportunity, reads it."""

import re

import pytest
from playwright.sync_api import expect

from opsmon.opportunities import services as opportunities
from opsmon.opportunities.tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_from_the_workbench_to_the_decision_and_the_reps_notification(page, login, live_server, org):
    opportunity = factories.opportunity(org["rep1"])
    opportunities.opportunity_request_conversion(actor=org["rep1"], opportunity=opportunity, comment="预算已落实")

    login("head1")
    inbox = page.get_by_test_id("home-inbox")
    expect(inbox.get_by_test_id("home-inbox-total")).to_have_text("1")
    inbox.locator('[data-kind="opportunity.decide_conversion"]').click()
    page.wait_for_url(re.compile(r"/inbox/\?kind=opportunity.decide_conversion"))
    expect(page.get_by_test_id("inbox-table")).to_contain_text(opportunity.number)
    page.get_by_test_id("inbox-table").get_by_role("link").first.click()
    page.wait_for_url(f"{live_server.url}/opportunities/{opportunity.pk}/")
    action = page.get_by_test_id("action-keep_tracking")
    action.locator("summary").click()
    action.locator("textarea").fill("等客户批复")
    page.get_by_test_id("submit-keep_tracking").click()
    expect(page.get_by_test_id("action-keep_tracking")).to_have_count(0)
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))

    login("rep1")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    expect(page.get_by_test_id("home-recent")).to_contain_text(opportunity.number)
    page.get_by_test_id("home-recent").get_by_role("link", name=re.compile(opportunity.number)).click()
    page.wait_for_url(f"{live_server.url}/opportunities/{opportunity.pk}/")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)  # opening the record read its notification
