"""Receivables in a real browser: finance records an invoice and a collection on a signed contract, sees them in
the contract's money trail, and the overdue money in the dashboard's ageing panel."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.contracts.models import Milestone
from opsmon.contracts.tests.factories import routes, signed

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_finance_records_an_invoice_and_a_collection(page, login, live_server, org):
    routes(org)
    contract = signed(org)  # 1,000,000: 30% down payment, 70% on a date
    second = contract.milestones.get(position=2)
    Milestone.objects.filter(pk=second.pk).update(due_on=timezone.localdate() - timedelta(days=40))
    ARTIFACTS.mkdir(exist_ok=True)

    login("finance1")
    page.goto(f"{live_server.url}/contracts/{contract.pk}/")
    trail = page.get_by_test_id("receivables")
    expect(trail.get_by_test_id("receivable-milestone")).to_have_count(2)
    form = page.get_by_test_id("invoice-form")
    form.locator("select[name='invoice-milestone']").select_option(str(second.pk))
    form.locator("input[name='invoice-number']").fill("FP-20261201")
    form.locator("input[name='invoice-amount']").fill("700000.00")
    page.get_by_test_id("invoice-save").click()
    page.wait_for_url(re.compile(rf"/contracts/{contract.pk}/"))
    row = trail.locator(f"[data-milestone='{second.pk}']")
    expect(row.get_by_test_id("invoiced")).to_contain_text("700")
    expect(trail.get_by_test_id("invoice")).to_contain_text("FP-20261201")

    form = page.get_by_test_id("collection-form")
    form.locator("select[name='collection-milestone']").select_option(str(second.pk))
    form.locator("input[name='collection-amount']").fill("200000.00")
    form.locator("input[name='collection-reference']").fill("BOC-778899")
    page.get_by_test_id("collection-save").click()
    page.wait_for_url(re.compile(rf"/contracts/{contract.pk}/"))
    expect(row.get_by_test_id("collected")).to_contain_text("200")
    expect(row.get_by_test_id("outstanding")).to_contain_text("500")
    expect(row.get_by_test_id("overdue")).to_contain_text("40")
    expect(trail.get_by_test_id("collection")).to_contain_text("BOC-778899")
    page.screenshot(path=str(ARTIFACTS / "receivables-contract.png"), full_page=True)

    page.goto(f"{live_server.url}/insights/")
    panel = page.get_by_test_id("card-receivables-ageing")
    expect(panel.get_by_test_id("bucket-31-90").get_by_test_id("bucket-count")).to_have_text("1")
    expect(panel.get_by_test_id("bucket-31-90").get_by_test_id("bucket-amount")).to_contain_text("500")
    page.screenshot(path=str(ARTIFACTS / "receivables-ageing.png"), full_page=True)

    page.goto(f"{live_server.url}/receivables/?overdue=on")
    rows = page.get_by_test_id("receivable-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(contract.number)
    expect(rows.first.get_by_test_id("bucket")).to_have_text("31-90")
    page.screenshot(path=str(ARTIFACTS / "receivables-list.png"), full_page=True)
