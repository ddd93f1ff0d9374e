"""The everyday dashboards in a real browser (issue 20): the executive picks a period preset, sees the cohort and
the period funnel labelled apart, clicks a cohort bar and a chart's bar and lands on the list of exactly the
records they count; the market development and management pages open from the dashboard's own tabs."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opsmon.demo import LOADERS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(org):
    for loader in LOADERS[1:]:
        loader()
    return org


def test_preset_cohort_and_click_through(page, login, live_server, demo):
    year = timezone.localdate().year
    login("ceo1")
    page.goto(live_server.url + "/insights/")
    page.get_by_test_id("preset-year").click()
    page.wait_for_url(re.compile(rf"/insights/\?.*from={year}-01-01&to={year}-12-31"))
    expect(page.get_by_test_id("preset-year")).to_have_attribute("aria-current", "true")

    # the two funnels are labelled so they cannot be confused
    expect(page.get_by_test_id("cohort-label")).to_be_visible()
    expect(page.get_by_test_id("cohort-label")).to_contain_text("100")
    expect(page.get_by_test_id("funnel-period-label")).to_be_visible()
    counts = [int(c) for c in page.get_by_test_id("cohort-count").all_inner_texts()]
    assert counts[0] > 0 and counts == sorted(counts, reverse=True)  # a cohort never grows

    # a cohort bar opens the list of exactly the opportunities it counts
    converted = counts[1]
    page.get_by_test_id("cohort-converted").locator(".progress").click()
    page.wait_for_url(re.compile(r"/insights/records/cohort-converted/\?"))
    expect(page.get_by_test_id("records-count")).to_have_attribute("data-count", str(converted))
    assert page.get_by_test_id("records-row").count() == min(converted, 50)
    page.go_back()

    # a bar of the signed-contracts chart opens the contracts it counts (axes in 万元)
    chart = page.get_by_test_id("chart-signed-by-month")
    expect(chart).to_have_attribute("data-state", "ready")
    chart.scroll_into_view_if_needed()
    target = page.evaluate("""() => {
        const el = document.querySelector('[data-chart="signed-by-month"]');
        el.scrollIntoView({block: "center", behavior: "instant"});  // the mouse clicks within the viewport
        const chart = echarts.getInstanceByDom(el);
        const data = chart.getOption().series[0].data;
        let best = 0;
        data.forEach((v, i) => { if (v > data[best]) best = i; });
        const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(best);  // this period's bar
        const box = el.getBoundingClientRect();
        return {x: box.left + bar.x + bar.width / 2, y: box.top + bar.y + bar.height / 2, index: best,
                axis: chart.getOption().yAxis[0].name};
    }""")
    assert target["axis"] in ("万元", "10k yuan")  # English until the integrator compiles the new msgids
    page.mouse.click(target["x"], target["y"])
    page.wait_for_url(re.compile(r"/insights/records/contracts/\?"))
    month = f"{year}-{target['index'] + 1:02d}"
    assert f"from={month}-01" in page.url
    listed = int(page.get_by_test_id("records-count").get_attribute("data-count"))
    assert listed > 0
    for day in page.locator("[data-testid=records-row] td:last-child").all_inner_texts():
        assert day.startswith(month)

    # the other dashboards open from the dashboard's tabs
    page.goto(live_server.url + "/insights/")
    page.get_by_test_id("subnav-trend").click()
    page.wait_for_url(re.compile(r"/insights/trend/"))
    expect(page.get_by_test_id("trend-months")).to_be_visible()
    page.get_by_test_id("subnav-management").click()
    page.wait_for_url(re.compile(r"/insights/management/"))
    expect(page.get_by_test_id("management-pipeline")).to_be_visible()
