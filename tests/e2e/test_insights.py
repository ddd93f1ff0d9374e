"""The decision-support dashboard in a real browser: demo users of several roles see charts drawn with data,
a funnel stage opens its list, and nothing is fetched from outside the app (the `page` fixture checks)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.demo import LOADERS
from opsmon.opportunities.models import Opportunity

from .conftest import ARTIFACTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# username: the charts that must be drawn with data from the demo records that user may see
ROLES = {
    "market1": ["funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"],
    "head1": ["funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"],
    "rep2": ["funnel", "pipeline", "signed-by-month"],
    "assistant1": ["win-rate", "bonds", "deadlines"],
    "lead1": ["funnel"],
    "finance1": ["signed-by-month"],
    "admin": ["funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"],
}


@pytest.fixture
def demo(org):
    for loader in LOADERS[1:]:
        loader()
    return org


def log_out(page):
    page.locator("form[action='/logout/'] button").click()
    page.wait_for_url(re.compile(r"/login/"))


def open_dashboard(page, live_server):
    page.get_by_role("link", name=re.compile("辅助决策|Decision support")).click()
    page.wait_for_url(f"{live_server.url}/insights/")
    expect(page.locator("[data-chart][data-state=loading]")).to_have_count(0)


def points(page, name) -> int:
    return int(page.get_by_test_id(f"chart-{name}").get_attribute("data-points") or 0)


def test_every_role_sees_charts_drawn_with_its_data(page, login, live_server, demo):
    ARTIFACTS.mkdir(exist_ok=True)
    for username, charts in ROLES.items():
        login(username)
        open_dashboard(page, live_server)
        assert page.locator("[data-chart][data-state=error]").count() == 0
        for name in charts:
            chart = page.get_by_test_id(f"chart-{name}")
            expect(chart).to_have_attribute("data-state", "ready")
            assert points(page, name) > 0, (username, name)
            expect(chart.locator("canvas")).to_have_count(1)
        page.screenshot(path=str(ARTIFACTS / f"insights-{username}.png"), full_page=True)
        log_out(page)


def test_numbers_follow_the_viewer_and_a_funnel_stage_opens_its_list(page, login, live_server, demo):
    login("market1")
    open_dashboard(page, live_server)
    everyone = page.get_by_test_id("detail-funnel").locator("tbody tr").first.inner_text()
    # Clicking the widest segment of the funnel (the opportunities, drawn first at the top) opens its list.
    box = page.get_by_test_id("chart-funnel").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.325, box["y"] + 40)
    page.wait_for_url(re.compile(r"/insights/funnel/opportunities/\?"))
    rows = page.get_by_test_id("funnel-stage-row")
    total = rows.count()
    # the demo's opportunities of this year (the dashboard's default period), every one of them
    assert total == Opportunity.objects.filter(created_at__year=timezone.localdate().year).count() > 10
    log_out(page)

    login("rep2")
    open_dashboard(page, live_server)
    mine = page.get_by_test_id("detail-funnel").locator("tbody tr").first.inner_text()
    assert mine != everyone
    page.get_by_test_id("funnel-link-opportunities").click()
    page.wait_for_url(re.compile(r"/insights/funnel/opportunities/\?"))
    assert 0 < page.get_by_test_id("funnel-stage-row").count() < total
    expect(page.get_by_test_id("funnel-stage-table")).not_to_contain_text("李娜")  # rep1's records stay hidden


def test_changing_the_win_rate_dimension_redraws_from_the_same_data(page, login, live_server, demo):
    login("market1")
    open_dashboard(page, live_server)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if "/api/v1/insights/" in r.url else None)
    page.get_by_test_id("win-rate-dimension").select_option("competitors")
    expect(page.get_by_test_id("chart-win-rate")).to_have_attribute("data-state", "ready")
    assert points(page, "win-rate") == 2  # the two competitors of the demo's openings
    assert requests == []
