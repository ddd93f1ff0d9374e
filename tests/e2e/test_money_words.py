"""Money as people write it (issue 20, item 9): a rep types 128万 for the estimated amount and reads ¥1,280,000.00
on the opportunity's page; a malformed 1,28,0 is refused next to the field with the typing kept."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.opportunities.tests.factories import customer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_rep_types_wan_and_reads_yuan(page, login, live_server, org):
    client = customer(org["rep1"], name="华东某电网有限公司")
    login("rep1")
    page.goto(f"{live_server.url}/customers/{client.pk}/")
    page.get_by_test_id("customer-new-opportunity").click()
    page.fill("#id_title", "调度自动化系统升级")
    page.select_option("#id_stage", "proposal")
    page.fill("#id_expected_close_date", str(timezone.localdate() + timedelta(days=60)))

    page.fill("#id_estimated_amount", "1,28,0")  # separators out of place: refused, the typing kept
    page.get_by_test_id("save").click()
    expect(page.locator("[data-field-error=estimated_amount], .invalid-feedback, .field-error").first).to_be_visible()
    expect(page.locator("#id_estimated_amount")).to_have_value("1,28,0")

    page.fill("#id_estimated_amount", "128万")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("number")).to_contain_text("SJ-")
    expect(page.locator("body")).to_contain_text("¥1,280,000.00")
    expect(page.locator("body")).not_to_contain_text("CNY")
