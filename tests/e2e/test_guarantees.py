"""Guarantee letters (保函) in a real browser: the bid assistant finds a letter about to expire in his inbox, opens
it and extends it; the new period shows in its history and the flag is gone."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.guarantees.models import GuaranteeLetter
from opsmon.guarantees.tests.factories import bond_letter

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_assistant_extends_an_expiring_letter_from_his_inbox(page, login, live_server, org):
    today = timezone.localdate()
    letter = bond_letter(org, number="BG-E2E-0001", valid_to=today + timedelta(days=9))
    new_end = today + timedelta(days=120)

    login("assistant1")
    page.goto(f"{live_server.url}/inbox/")
    row = page.locator("[data-kind='guarantee.expiring']")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("BG-E2E-0001")
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(rf"/guarantee-letters/{letter.pk}/$"))
    expect(page.get_by_test_id("letter-flag")).to_be_visible()

    page.get_by_test_id("letter-extend-panel").locator("summary").click()
    page.fill("#id_extend-valid_to", new_end.isoformat())
    page.fill("#id_extend-note", "开标推迟，保函延期")
    page.get_by_test_id("letter-extend").click()
    page.wait_for_url(re.compile(rf"/guarantee-letters/{letter.pk}/$"))
    expect(page.get_by_test_id("letter-valid-to")).to_have_text(new_end.isoformat())
    expect(page.get_by_test_id("letter-period")).to_have_count(2)
    expect(page.get_by_test_id("letter-periods")).to_contain_text("开标推迟，保函延期")
    expect(page.get_by_test_id("letter-flag")).to_have_count(0)
    assert GuaranteeLetter.objects.get(pk=letter.pk).valid_to == new_end

    page.goto(f"{live_server.url}/inbox/")
    expect(page.locator("[data-kind^='guarantee.']")).to_have_count(0)
