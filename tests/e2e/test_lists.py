"""A rep filters the opportunity list, saves the filter, comes back to it and exports exactly what it shows."""

import openpyxl
import pytest
from playwright.sync_api import expect

from opsmon.opportunities.tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_rep_filters_saves_the_filter_and_exports_what_it_shows(page, login, live_server, org, tmp_path):
    big = factories.opportunity(org["rep1"], title="省级调度平台", estimated_amount="9000000.00")
    small = factories.opportunity(org["rep1"], title="运维小项目", estimated_amount="20000.00")
    login("rep1")
    page.goto(live_server.url + "/opportunities/")
    expect(page.get_by_test_id(f"row-{small.number}")).to_be_visible()

    # filter: a bad amount is refused next to its field, then a good one narrows the list
    filters = page.get_by_test_id("list-filters")
    filters.locator("[name=amount_min]").fill("abc")
    page.get_by_test_id("list-filter").click()
    expect(page.locator("[data-field-error=amount_min]")).to_be_visible()
    page.get_by_test_id("list-filters").locator("[name=amount_min]").fill("5000000")
    page.get_by_test_id("list-filter").click()
    expect(page.get_by_test_id(f"row-{big.number}")).to_be_visible()
    expect(page.get_by_test_id(f"row-{small.number}")).to_have_count(0)

    # save it, reset, and come back to it through the saved filter
    save = page.get_by_test_id("save-filter")
    save.locator("[name=name]").fill("大额商机")
    save.locator("button").click()
    saved = page.get_by_test_id("saved-filter").filter(has_text="大额商机")
    expect(saved).to_be_visible()
    page.get_by_role("link", name="重置").or_(page.get_by_role("link", name="Reset")).first.click()
    expect(page.get_by_test_id(f"row-{small.number}")).to_be_visible()
    page.get_by_test_id("saved-filter").filter(has_text="大额商机").get_by_role("link").click()
    expect(page.get_by_test_id(f"row-{small.number}")).to_have_count(0)
    expect(page.get_by_test_id(f"row-{big.number}")).to_be_visible()

    # export: the workbook holds exactly the rows the filtered list shows
    with page.expect_download() as download:
        page.get_by_test_id("list-export").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [big.number]
