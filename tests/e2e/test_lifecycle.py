"""Outcomes flow back, in the browser: the owner marks his bid lost; its project and opportunity show closed."""

import re

import pytest
from playwright.sync_api import expect

from opsmon.bids.tests.factories import opened_bid

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_bid_marked_lost_leaves_its_project_and_opportunity_closed(page, login, live_server, org):
    bid = opened_bid(org, won=False)
    login("rep1")
    page.goto(f"{live_server.url}/bids/{bid.pk}/")
    page.get_by_test_id("mark-lost").click()
    page.get_by_test_id("confirm-ok").click()  # the in-page confirmation (issue 20)
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/"))
    expect(page.locator("[data-testid=bid-status] .badge")).to_have_attribute("data-status", "lost")

    # The project: lost, the cause named, nothing left to do on it.
    page.get_by_test_id("bid-project").get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/projects/{bid.project_id}/"))
    expect(page.locator("[data-testid=project-status] .badge")).to_have_attribute("data-status", "lost")
    expect(page.get_by_test_id("project-close-reason")).to_contain_text(bid.number)
    expect(page.locator("[data-testid=actions] [data-action]")).to_have_count(0)
    expect(page.locator(".timeline, [data-testid=timeline]").first).to_contain_text(bid.number)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project-lost.png"), full_page=True)

    # The opportunity: closed, outcome lost, read-only (no edit, no follow-up, no reopen).
    page.get_by_test_id("project-opportunity").get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/opportunities/{bid.opportunity_id}/"))
    expect(page.locator("[data-testid=status] .badge")).to_have_attribute("data-status", "closed")
    expect(page.get_by_test_id("outcome")).to_have_attribute("data-outcome", "lost")
    expect(page.get_by_test_id("close-reason")).to_be_visible()
    expect(page.locator("[data-action]")).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "opportunity-lost.png"), full_page=True)
