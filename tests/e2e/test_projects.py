import re

import pytest
from playwright.sync_api import expect

from opsmon.projects.tests.factories import REVIEW, converted_project

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TEXT_FIELDS = ("technical_assessment", "implementation_assessment", "risks", "estimated_effort_days")


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_project_from_lead_assignment_to_bidding_through_the_pages(page, login, live_server, org):
    project = converted_project(org)
    detail = f"{live_server.url}/projects/{project.pk}/"
    ARTIFACTS.mkdir(exist_ok=True)

    # The head finds the project in his inbox and assigns the technical lead.
    login("head1")
    page.get_by_test_id("header-inbox").click()
    expect(page.get_by_test_id("inbox-table")).to_contain_text(project.number)
    page.screenshot(path=str(ARTIFACTS / "inbox.png"), full_page=True)
    page.get_by_test_id("inbox-table").get_by_role("link").first.click()
    page.wait_for_url(detail)
    page.select_option("#id_tech_lead", label=str(org["lead1"]))
    page.get_by_test_id("assign-lead").click()
    expect(page.get_by_test_id("project-tech-lead")).to_have_text(str(org["lead1"]))
    expect(page.locator("[data-testid=project-status] .badge")).to_have_attribute("data-status", "feasibility")
    log_out(page)

    # The lead writes and submits the review.
    login("lead1")
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    page.goto(detail)
    for field in TEXT_FIELDS:
        page.fill(f"#id_{field}", REVIEW[field])
    page.select_option("#id_conclusion", REVIEW["conclusion"])
    page.screenshot(path=str(ARTIFACTS / "project-review-form.png"), full_page=True)
    page.get_by_test_id("review-save").click()
    expect(page.locator("#id_risks")).to_have_value(REVIEW["risks"])
    page.get_by_test_id("review-submit").click()
    expect(page.locator("[data-testid=project-status] .badge")).to_have_attribute("data-status", "pending_approval")
    expect(page.get_by_test_id("review")).to_contain_text(REVIEW["risks"])
    log_out(page)

    # The head approves.
    login("head1")
    page.goto(detail)
    page.fill("#id_comment", "同意立项")
    page.screenshot(path=str(ARTIFACTS / "project-decision.png"), full_page=True)
    page.get_by_test_id("approve").click()
    page.get_by_test_id("confirm-ok").click()  # the in-page confirmation (issue 20)
    expect(page.locator("[data-testid=project-status] .badge")).to_have_attribute("data-status", "approved")
    log_out(page)

    # The owner routes it to bidding, confirming in the panel htmx loads, and sees the bid number.
    login("rep1")
    page.goto(detail)
    page.get_by_test_id("route-bidding").click()
    expect(page.get_by_test_id("route-confirm")).to_contain_text(project.number)
    assert page.url == detail  # the confirmation came into the page, not as a new one
    page.screenshot(path=str(ARTIFACTS / "project-route-confirm.png"), full_page=True)
    page.get_by_test_id("route-confirm-button").click()
    expect(page.get_by_test_id("project-bid-number")).to_have_text(re.compile(r"^TB-\d{4}-\d{6}$"))
    expect(page.locator("[data-testid=project-status] .badge")).to_have_attribute("data-status", "bidding")
    page.screenshot(path=str(ARTIFACTS / "project-detail.png"), full_page=True)
