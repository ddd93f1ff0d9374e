import re

import pytest
from playwright.sync_api import expect

from opsmon.bids import demo as bids_demo
from opsmon.contracts import demo as contracts_demo
from opsmon.contracts.models import Contract
from opsmon.opportunities import demo as opportunities_demo
from opsmon.projects import demo as projects_demo

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


@pytest.fixture
def demo(org):
    """The demo records after the demo users: contracts in every state, made through the services."""
    for load in (opportunities_demo.load, projects_demo.load, bids_demo.load, contracts_demo.load):
        load()
    return org


def test_decider_approves_a_step_and_the_owner_compares_versions(page, login, live_server, demo):
    in_review = Contract.objects.get(title="银行核心系统运维可视化")  # technical approved, finance waiting
    amended = Contract.objects.get(title="配电自动化主站运维监控平台（主站升级）")  # signed, amended to version 2
    ARTIFACTS.mkdir(exist_ok=True)

    # The finance reviewer finds the contract in the list and sees the round with his step current.
    login("finance1")
    page.get_by_role("link", name=re.compile("Contracts|合同")).first.click()
    page.wait_for_url(f"{live_server.url}/contracts/")
    page.get_by_test_id("contract-table").get_by_role("link", name=in_review.number).click()
    page.wait_for_url(f"{live_server.url}/contracts/{in_review.pk}/")
    steps = page.get_by_test_id("review-step")
    expect(steps).to_have_count(4)
    expect(steps.nth(1)).to_have_attribute("data-step-status", "current")
    expect(steps.nth(2)).to_have_attribute("data-step-status", "waiting")

    # He approves with a comment: his step is approved and the legal step becomes current.
    page.get_by_test_id("decide-form").locator("textarea").fill("付款节点合理，同意。")
    page.screenshot(path=str(ARTIFACTS / "contract-decide.png"), full_page=True)
    page.get_by_test_id("approve").click()
    page.wait_for_url(re.compile(rf"/contracts/{in_review.pk}/"))
    expect(steps.nth(1)).to_have_attribute("data-step-status", "approved")
    expect(steps.nth(2)).to_have_attribute("data-step-status", "current")
    expect(steps.nth(1).get_by_test_id("decider-comment")).to_have_text("付款节点合理，同意。")
    expect(page.get_by_test_id("decide-form")).to_have_count(0)
    expect(page.get_by_test_id("contract-status").locator(".badge")).to_have_attribute("data-status", "in_review")
    log_out(page)

    # The owner opens the amended contract and compares its two versions side by side.
    login("rep1")
    page.goto(f"{live_server.url}/contracts/{amended.pk}/")
    expect(page.get_by_test_id("contract-version")).to_have_text("V2")
    page.get_by_test_id("version").filter(has_text="V2").get_by_test_id("compare-version").click()
    page.wait_for_url(re.compile(rf"/contracts/{amended.pk}/versions/\?a=1&b=2"))
    amount = page.get_by_test_id("diff-amount")
    expect(amount).to_have_attribute("data-changed", "true")
    expect(amount).to_have_class(re.compile(r"\btable-warning\b"))
    expect(amount.locator("td").nth(0)).to_have_text("¥1,180,000.00")
    expect(amount.locator("td").nth(1)).to_have_text("¥1,300,000.00")
    expect(page.get_by_test_id("diff-end_on")).to_have_attribute("data-changed", "true")
    expect(page.get_by_test_id("diff-tax_rate")).to_have_count(0)  # only what changed is shown
    expect(page.get_by_test_id("milestone-diff-row")).to_have_count(0)
    expect(page.get_by_test_id("milestones-unchanged")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "contract-versions.png"), full_page=True)
