"""Tender intake in the browser: a real announcement uploaded as the bid's tender document, read, two proposals
accepted as they are, one edited, saved, and seen in the tender analysis and the timeline."""

import re

import pytest
from playwright.sync_api import expect

from opsmon.bids.tests.factories import routed_bid
from opsmon.bids.tests.test_intake_samples import DATA_DIR, docx_bytes

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(not (DATA_DIR / "028.txt").is_file(),
                                 reason=f"the real announcements are not there: {DATA_DIR}")]


def test_read_a_real_announcement_accept_two_edit_one_and_save(page, login, live_server, org, tmp_path):
    bid = routed_bid(org)
    notice = tmp_path / "招标公告.docx"
    notice.write_bytes(docx_bytes((DATA_DIR / "028.txt").read_text(encoding="utf-8")))
    ARTIFACTS.mkdir(exist_ok=True)

    # The owner uploads the announcement as the bid's tender document.
    login("rep1")
    page.goto(f"{live_server.url}/bids/{bid.pk}/")
    page.select_option("#id_kind", "tender")
    page.set_input_files("#id_file", str(notice))
    page.get_by_test_id("upload").click()
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/"))

    # He asks OpsMon to read it: every proposal comes with the sentence it was read from.
    page.get_by_test_id("intake-read-document").click()
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/intake/read/"))
    table = page.get_by_test_id("intake-table")
    expect(table).to_be_visible()
    tenderer_row = table.locator("[data-field=tenderer]")
    expect(tenderer_row.locator("mark")).to_have_text("中山市人力资源和社会保障局")
    expect(table.locator("[data-field=project_no] mark")).to_have_text("442000-2026-00917")
    expect(table.locator("[data-field=budget] input[name=value_budget]")).to_have_value("2550000.00")
    page.screenshot(path=str(ARTIFACTS / "intake-review.png"), full_page=True)

    # He keeps two values as read, corrects the agency and leaves everything else as it is.
    for box in table.locator("input[type=checkbox][name^=use_]").all():
        box.uncheck()
    tenderer_row.locator("input[name=use_tenderer]").check()
    table.locator("input[name=use_project_no]").check()
    table.locator("input[name=value_agency]").fill("广东省电信规划设计院有限公司中山分公司")
    expect(table.locator("input[name=use_agency]")).to_be_checked()  # typing a value ticks its row
    page.get_by_test_id("intake-save").click()

    # Back on the bid: the analysis shows the three values, the timeline says where they came from.
    page.wait_for_url(re.compile(rf"/bids/{bid.pk}/#analysis"))
    analysis = page.get_by_test_id("analysis")
    expect(page.get_by_test_id("analysis-tenderer")).to_have_text("中山市人力资源和社会保障局")
    expect(analysis).to_contain_text("442000-2026-00917")
    expect(analysis).to_contain_text("广东省电信规划设计院有限公司中山分公司")
    expect(page.get_by_test_id("analysis-estimated-price")).to_have_text("—")
    entry = page.get_by_test_id("timeline-entry").first
    expect(entry).to_contain_text("招标公告.docx v1")
    page.screenshot(path=str(ARTIFACTS / "intake-saved.png"), full_page=True)
