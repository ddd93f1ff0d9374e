"""Suppliers in a real browser: buyer1 registers a supplier and files its business licence; phead1 (another user)
qualifies it; the status and the timeline show it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.suppliers.models import Supplier
from opsmon.suppliers.tests.factories import PDF, credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_buyer_registers_a_supplier_and_the_head_qualifies_it(page, login, live_server, org):
    today = timezone.localdate()
    code = credit_code()
    login("buyer1")
    page.goto(f"{live_server.url}/suppliers/")
    page.get_by_test_id("supplier-new").click()
    page.fill("#id_name", "北京浏览器测试科技有限公司")
    page.fill("#id_credit_code", code[:-1] + ("0" if code[-1] != "0" else "1"))  # a typo first
    page.get_by_test_id("supplier-categories").get_by_label("软件").check()
    page.get_by_test_id("save").click()
    expect(page.locator("[data-field-error='credit_code']")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("北京浏览器测试科技有限公司")  # the input is kept
    page.fill("#id_credit_code", code)
    page.get_by_test_id("save").click()
    page.wait_for_url(re.compile(r"/suppliers/\d+/$"))
    supplier = Supplier.objects.get(credit_code=code)
    expect(page.get_by_test_id("supplier-status")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("licence-missing")).to_be_visible()

    page.get_by_test_id("supplier-add_qualification-panel").locator("summary").click()
    page.select_option("#id_qualification-kind", "business_licence")
    page.fill("#id_qualification-number", "YYZZ-E2E-1")
    page.fill("#id_qualification-valid_from", (today - timedelta(days=30)).isoformat())
    page.fill("#id_qualification-valid_to", (today + timedelta(days=700)).isoformat())
    page.set_input_files("#id_qualification-file", {"name": "营业执照.pdf", "mimeType": "application/pdf",
                                                    "buffer": PDF})
    page.get_by_test_id("supplier-add_qualification").click()
    page.wait_for_url(re.compile(rf"/suppliers/{supplier.pk}/"))
    expect(page.get_by_test_id("supplier-qualification")).to_contain_text("YYZZ-E2E-1")
    expect(page.locator("[data-action='qualify']")).to_have_count(0)  # the buyer does not qualify

    page.context.clear_cookies()
    login("phead1")
    page.goto(f"{live_server.url}/suppliers/{supplier.pk}/")
    page.get_by_test_id("supplier-qualify-panel").locator("summary").click()
    page.fill("#id_qualify-comment", "营业执照已核验")
    page.get_by_test_id("supplier-qualify").click()
    page.wait_for_url(re.compile(rf"/suppliers/{supplier.pk}/$"))
    expect(page.get_by_test_id("supplier-status")).to_have_attribute("data-status", "qualified")
    expect(page.get_by_test_id("timeline")).to_contain_text("营业执照已核验")
    assert Supplier.objects.get(pk=supplier.pk).status == "qualified"
