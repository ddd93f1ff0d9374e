"""Issue 20, daily use on a phone: at 390 px every main page fits the screen (no page-level horizontal scroll: wide
tables scroll inside their card), and the navigation collapses behind a menu button."""

import pytest
from playwright.sync_api import expect

from opsmon.bids.tests.factories import opened_bid
from opsmon.contracts.tests.factories import draft
from opsmon.guarantees.tests.factories import contract_letter

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LISTS = ["/", "/opportunities/", "/customers/", "/projects/", "/bids/", "/bonds/", "/contracts/", "/receivables/",
         "/guarantee-letters/", "/insights/", "/notifications/", "/inbox/"]


def overflow(page) -> int:
    """How far the page is wider than the window (0 when it fits)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_every_main_page_fits_a_390px_screen(phone, login, live_server, org):
    bid = opened_bid(org)
    contract = draft(org)
    letter = contract_letter(org, contract=contract)
    details = [f"/opportunities/{bid.opportunity_id}/", f"/customers/{bid.opportunity.customer_id}/",
               f"/projects/{bid.project_id}/", f"/bids/{bid.pk}/", f"/contracts/{contract.pk}/",
               f"/guarantee-letters/{letter.pk}/"]
    login("rep1")
    wide = {}
    for path in LISTS + details:
        response = phone.goto(live_server.url + path)
        assert response is not None and response.status == 200, path
        phone.wait_for_load_state("load")
        if (extra := overflow(phone)) > 0:
            wide[path] = extra
    ARTIFACTS.mkdir(exist_ok=True)
    phone.goto(f"{live_server.url}/bids/{bid.pk}/")
    phone.screenshot(path=str(ARTIFACTS / "narrow-bid.png"), full_page=True)
    assert wide == {}, f"pages wider than 390px (extra px): {wide}"


def test_the_navigation_collapses_behind_a_menu_button(phone, login, live_server, org):
    login("rep1")
    link = phone.locator("header nav a.nav-link[href='/opportunities/']")
    expect(link).to_be_hidden()
    phone.get_by_test_id("nav-toggle").click()
    expect(link).to_be_visible()
    assert overflow(phone) <= 0
    link.click()
    phone.wait_for_url(f"{live_server.url}/opportunities/")


def test_detail_pages_use_two_columns_at_1200px(page, login, live_server, org):
    bid = opened_bid(org)
    login("rep1")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/bids/{bid.pk}/")
    main = page.get_by_test_id("detail-main").bounding_box()
    side = page.get_by_test_id("detail-side").bounding_box()
    assert side["x"] > main["x"] + main["width"] - 1 and abs(side["y"] - main["y"]) < 2
    assert page.get_by_test_id("detail-main").get_by_test_id("actions").is_visible()
    page.set_viewport_size({"width": 1000, "height": 900})
    main = page.get_by_test_id("detail-main").bounding_box()
    side = page.get_by_test_id("detail-side").bounding_box()
    assert side["y"] >= main["y"] + main["height"] - 1  # one column below 1200px
