"""The dashboard page and the funnel's drill-down lists."""

import re

import pytest

from opsmon.demo import LOADERS

from . import world

YEAR = "from=2025-01-01&to=2025-12-31"
ROLES = ["admin", "head1", "rep1", "lead1", "assistant1", "market1", "finance1"]


@pytest.fixture
def demo(org):
    for loader in LOADERS[1:]:
        loader()
    return org


@pytest.mark.parametrize("username", ROLES)
def test_every_role_opens_the_dashboard_with_all_charts(client, demo, username):
    client.force_login(demo[username])
    page = client.get("/insights/").content.decode()
    for name in ("funnel", "win-rate", "pipeline", "bonds", "deadlines", "signed-by-month"):
        assert f'data-chart="{name}"' in page
        assert f'data-src="/api/v1/insights/{name}?currency=CNY"' in page
    assert "vendor/echarts/echarts.min.js" in page and "opsmon/insights.js" in page
    assert "<script>" not in page  # CSP: scripts come from files only
    assert 'href="/insights/"' in page  # in the navigation


def test_echarts_is_loaded_only_on_the_dashboard(client, demo):
    client.force_login(demo["market1"])
    for path in ("/", "/opportunities/", "/bids/", "/bonds/"):
        assert "echarts" not in client.get(path).content.decode(), path


def test_department_choices_stay_within_what_the_viewer_sees(client, demo):
    client.force_login(demo["head1"])
    page = client.get("/insights/").content.decode()
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
    assert [name.strip("· ") for _, name in options] == ["销售一部"]
    client.force_login(demo["market1"])
    names = [n.strip("· ") for _, n in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>',
                                                  client.get("/insights/").content.decode())]
    assert {"销售一部", "销售二部", "销售中心"} <= set(names)


def test_filters_go_to_every_chart_and_export(client, demo):
    client.force_login(demo["market1"])
    dept = demo["rep1"].department.pk
    page = client.get(f"/insights/?from=2025-01-01&to=2025-06-30&department={dept}&currency=USD").content.decode()
    query = f"from=2025-01-01&amp;to=2025-06-30&amp;department={dept}&amp;currency=USD"
    assert f'data-src="/api/v1/insights/funnel?{query}"' in page
    assert f'href="/api/v1/insights/funnel/export.xlsx?{query}"' in page
    assert f'data-drill="/insights/funnel/STAGE/?{query}"' in page


def test_a_bad_period_is_shown_and_left_out(client, demo):
    client.force_login(demo["market1"])
    page = client.get("/insights/?from=2025-05-01&to=2025-04-01").content.decode()
    assert "invalid-feedback" in page
    assert 'data-src="/api/v1/insights/funnel?from=2025-05-01&amp;currency=CNY"' in page


def test_funnel_stage_lists_exactly_the_records_counted(client, org):
    w = world.build(org)
    client.force_login(org["market1"])
    page = client.get(f"/insights/funnel/won/?{YEAR}").content.decode()
    assert page.count('data-testid="funnel-stage-row"') == 2
    assert w["B1"].number in page and w["B5"].number in page
    assert "¥950,000.00" in page  # our price at the opening, as the funnel counts it
    client.force_login(org["rep1"])
    mine = client.get(f"/insights/funnel/opportunities/?{YEAR}").content.decode()
    assert mine.count('data-testid="funnel-stage-row"') == 3
    assert w["O4"].number not in mine
    assert client.get(f"/insights/funnel/contracts/?{YEAR}").content.decode().count(f'/contracts/{w["C1"].pk}/') == 1


def test_funnel_stage_refuses_unknown_stages_and_bad_filters(client, org):
    client.force_login(org["market1"])
    assert client.get("/insights/funnel/nonsense/").status_code == 404
    assert client.get("/insights/funnel/won/?from=2025-02-30").status_code == 422


def test_the_dashboard_needs_a_login(client, org):
    response = client.get("/insights/")
    assert response.status_code == 302 and "/login/" in response["Location"]
