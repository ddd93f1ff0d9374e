"""The workbench (issue 20 item 4): inbox counts by kind, deadlines this week, recent records the user may open,
the department's pipeline for heads; every role's workbench opens."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.accounts.demo import USERS
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.tests import factories
from opsmon.projects.tests.factories import converted_project


def section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("username", ["admin", *USERS])
def test_every_role_has_a_workbench_with_inbox_and_deadlines(browser, username):
    response = browser(username).get(reverse("home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="home-inbox"' in html and 'data-testid="home-deadlines"' in html
    assert 'data-testid="home-recent"' in html


def test_inbox_counts_by_kind_and_links_to_the_inbox_narrowed_to_it(browser, org):
    first, second = converted_project(org), converted_project(org)
    html = section(browser("head1").get(reverse("home")).content.decode(), "home-inbox")
    assert re.search(r'data-testid="home-inbox-total">2<', html)
    assert 'href="/inbox/?kind=project.assign_lead" data-kind="project.assign_lead"' in html
    assert re.search(r'data-kind="project.assign_lead">[^<]*<span[^>]*>2</span>', html)
    assert f'href="/projects/{first.pk}/"' in html and f'href="/projects/{second.pk}/"' in html
    narrowed = browser("head1").get("/inbox/?kind=project.assign_lead").content.decode()
    assert narrowed.count('data-kind="project.assign_lead"') == 2
    assert 'data-testid="inbox-empty"' in browser("head1").get("/inbox/?kind=bid.deadline_soon").content.decode()
    # rep1 has nothing waiting
    assert 'data-testid="home-inbox-empty"' in browser("rep1").get(reverse("home")).content.decode()


def test_deadlines_this_week_link_to_the_record_and_leave_out_later_ones(browser, org):
    rep = org["rep1"]
    soon = factories.opportunity(rep)
    later = factories.opportunity(rep)
    today = timezone.localdate()
    opportunities.follow_up_add(actor=rep, opportunity=soon, happened_on=today, kind="call", note="电话沟通",
                                next_date=today + timedelta(days=2))
    opportunities.follow_up_add(actor=rep, opportunity=later, happened_on=today, kind="call", note="电话沟通",
                                next_date=today + timedelta(days=20))
    html = section(browser("rep1").get(reverse("home")).content.decode(), "home-deadlines")
    assert f'href="/opportunities/{soon.pk}/" data-deadline="opportunity.follow_up"' in html
    assert f"/opportunities/{later.pk}/" not in html
    assert 'data-deadline-kind="opportunity.follow_up"' in html
    assert 'data-testid="home-deadlines-empty"' in browser("rep2").get(reverse("home")).content.decode()


def test_recent_records_are_the_users_own_and_only_those_he_may_open(browser, org):
    mine = factories.opportunity(org["rep1"])
    other = factories.opportunity(org["rep2"])
    html = section(browser("rep1").get(reverse("home")).content.decode(), "home-recent")
    assert f'href="/opportunities/{mine.pk}/"' in html and mine.number in html
    assert other.number not in html
    # head1 converted rep1's opportunity: the project he made shows on his own list of recent records
    project = converted_project(org)
    head = section(browser("head1").get(reverse("home")).content.decode(), "home-recent")
    assert f'href="/opportunities/{project.opportunity_id}/"' in head
    # rep2 worked on his opportunity, then lost sight of it (it moved to another owner's department): gone
    other.owner = org["rep1"]
    other.department = org["rep1"].department
    other.save()
    assert other.number not in section(browser("rep2").get(reverse("home")).content.decode(), "home-recent")


def test_heads_see_their_departments_open_pipeline_by_stage(browser, org):
    factories.opportunity(org["rep1"], stage="qualified", estimated_amount="100.00")
    factories.opportunity(org["rep1b"], stage="qualified", estimated_amount="50.50")
    factories.opportunity(org["rep2"], stage="qualified", estimated_amount="999.00")
    html = section(browser("head1").get(reverse("home")).content.decode(), "home-pipeline")
    row = html.split('data-stage="qualified"')[1].split("</tr>")[0]
    assert re.search(r'data-testid="stage-count">2<', row) and "150.50" in row and "999" not in html
    department = org["head1"].department_id
    assert f"/opportunities/?stage=qualified&amp;department={department}" in row
    assert 'data-testid="home-pipeline"' not in browser("rep1").get(reverse("home")).content.decode()
    company = section(browser("ceo1").get(reverse("home")).content.decode(), "home-pipeline")
    assert re.search(r'data-testid="stage-count">3<', company.split('data-stage="qualified"')[1])


def test_the_inbox_is_offered_once_in_the_header(browser, org):
    html = browser("rep1").get(reverse("home")).content.decode()
    header = html.split("</header>")[0]
    assert header.count(f'href="{reverse("notifications:inbox")}"') == 1
