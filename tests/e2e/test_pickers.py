"""Issue 20 item 8 in the browser: the opportunity of a new bid is found by typing into a search picker (Tom Select,
served by the app, asking /pick/opportunities/), and a customer takes a fourth contact through "Add a contact"."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_rep_picks_an_opportunity_by_typing_and_adds_a_fourth_contact(page, login, live_server, org):
    from opsmon.bids.models import Bid
    from opsmon.customers.models import Customer
    from opsmon.opportunities.tests.factories import opportunity
    mine = opportunity(org["rep1"], title="拣选器平台")
    other = opportunity(org["rep2"], title="拣选器别部门")
    login("rep1")

    page.goto(f"{live_server.url}/bids/new/")
    picker = page.locator("#id_opportunity-ts-control")
    expect(picker).to_be_visible()
    picker.press_sequentially("拣选器")
    choices = page.locator(".ts-dropdown .option")
    expect(choices).to_have_count(1)
    expect(choices.first).to_contain_text(mine.number)
    assert other.number not in page.locator(".ts-dropdown").inner_text()
    page.screenshot(path=str(ARTIFACTS / "picker-opportunity.png"), full_page=True)
    choices.first.click()
    expect(page.locator("#id_opportunity")).to_have_value(str(mine.pk))
    page.get_by_test_id("register-save").click()
    page.wait_for_url(re.compile(r"/bids/\d+/$"))
    assert Bid.objects.filter(opportunity=mine).exists()

    page.goto(f"{live_server.url}/customers/new/")
    page.fill("#id_name", "四个联系人有限公司")
    page.select_option("#id_customer_type", "soe")
    rows = page.get_by_test_id("contact-row")
    add = page.get_by_test_id("contact-add")
    while rows.count() < 4:
        add.click()
    for i in range(4):
        page.fill(f"#id_contact{i}_name", f"联系人{i + 1}")
    page.screenshot(path=str(ARTIFACTS / "picker-contacts.png"), full_page=True)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("customer-contacts")).to_contain_text("联系人4")
    saved = Customer.objects.get(name="四个联系人有限公司")
    assert saved.contacts.count() == 4
