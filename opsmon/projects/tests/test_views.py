"""The project pages: list, detail, and each action through a POST that calls one service or changes nothing."""

import pytest
from django.urls import reverse

from opsmon.integrations import services as integrations
from opsmon.projects import services
from opsmon.projects.models import FeasibilityReview, Project

from .factories import REVIEW, approved_project, converted_project


def fresh(project):
    return Project.objects.get(pk=project.pk)


def url(name, project):
    return reverse(f"projects:{name}", args=[project.pk])


def pending_project(org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    return services.project_submit_feasibility(actor=org["lead1"], project=project)


def error_text(response) -> str:
    html = response.content.decode()
    return html.split('data-testid="action-error"')[1].split(">", 1)[1].split("<")[0]


# --- list -----------------------------------------------------------------------------------

def test_list_shows_only_visible_projects_and_filters_them(browser, org):
    mine = converted_project(org, title="集控中心运维平台")
    other = converted_project(org, owner="rep2", title="智慧园区安防")
    html = browser("rep1").get(reverse("projects:list")).content.decode()
    assert mine.number in html and other.number not in html
    html = browser("market1").get(reverse("projects:list"), {"q": "园区"}).content.decode()
    assert other.number in html and mine.number not in html
    html = browser("market1").get(reverse("projects:list"), {"status": "approved"}).content.decode()
    assert other.number not in html and mine.number not in html


def test_list_answers_htmx_with_the_table_only(browser, org):
    project = converted_project(org)
    response = browser("rep1").get(reverse("projects:list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert project.number in html and 'data-testid="project-table"' in html and "<html" not in html


def test_list_query_count_does_not_grow_with_rows(browser, org, django_assert_max_num_queries):
    for _ in range(6):
        approved_project(org)
    client = browser("head1")
    client.get(reverse("projects:list"))  # the process's copies of labels, people and departments (core.versions)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("projects:list"))
    assert response.content.decode().count('data-status="approved"') == 6


def test_pages_need_login(client, org):
    project = converted_project(org)
    for path in (reverse("projects:list"), url("detail", project)):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- detail and visibility ------------------------------------------------------------------

@pytest.mark.parametrize("username", ["rep1", "head1", "market1", "admin"])
def test_detail_renders_for_who_may_see_it(browser, org, username):
    project = converted_project(org)
    html = browser(username).get(url("detail", project)).content.decode()
    assert project.number in html and project.opportunity.number in html and project.customer.name in html


def test_assigned_lead_sees_the_project(browser, org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    html = browser("lead1").get(url("detail", project)).content.decode()
    assert 'data-testid="review-form"' in html and str(org["lead1"]) in html


@pytest.mark.parametrize("username", ["rep2", "head2", "rep1b", "lead1"])
def test_others_get_404_on_the_page(browser, org, username):
    project = converted_project(org)
    assert browser(username).get(url("detail", project)).status_code == 404


@pytest.mark.parametrize(("name", "data"), [
    ("assign_lead", {"tech_lead": "lead1"}), ("approve", {"comment": "同意"}), ("send_back", {"comment": "补充"}),
    ("reject", {"comment": "不做"}), ("cancel", {"reason": "客户取消"}), ("route", {"to": "bidding", "confirmed": "1"}),
    ("feasibility_save", REVIEW), ("feasibility_submit", {}),
])
@pytest.mark.parametrize("username", ["rep2", "head2"])
def test_other_department_gets_404_on_every_action(browser, org, username, name, data):
    project = pending_project(org)
    data = {**data, "tech_lead": org["lead1"].pk} if name == "assign_lead" else data
    response = browser(username).post(url(name, project), data)
    assert response.status_code == 404
    assert fresh(project).status == "pending_approval" and fresh(project).version == project.version


def test_actions_are_post_only(browser, org):
    project = converted_project(org)
    assert browser("head1").get(url("assign_lead", project)).status_code == 405
    assert browser("head1").get(url("route", project)).status_code == 405


def test_detail_shows_only_the_actions_of_the_user(browser, org):
    project = converted_project(org)
    head = browser("head1").get(url("detail", project)).content.decode()
    assert 'data-testid="assign-lead-form"' in head and 'data-testid="cancel-form"' in head
    market = browser("market1").get(url("detail", project)).content.decode()
    assert 'data-testid="assign-lead-form"' not in market and 'data-testid="no-actions"' in market


# --- lead assignment ------------------------------------------------------------------------

def test_head_assigns_the_technical_lead(browser, org):
    project = converted_project(org)
    response = browser("head1").post(url("assign_lead", project), {"tech_lead": org["lead1"].pk})
    assert response.status_code == 302 and response["Location"] == url("detail", project)
    project = fresh(project)
    assert project.status == "feasibility" and project.tech_lead == org["lead1"]


def test_owner_may_not_assign_a_lead(browser, org):
    project = converted_project(org)
    response = browser("rep1").post(url("assign_lead", project), {"tech_lead": org["lead1"].pk})
    assert response.status_code == 403
    assert error_text(response)
    assert fresh(project).status == "awaiting_lead" and fresh(project).tech_lead is None


def test_a_user_without_the_lead_role_cannot_be_chosen(browser, org):
    project = converted_project(org)
    response = browser("head1").post(url("assign_lead", project), {"tech_lead": org["rep1b"].pk})
    assert response.status_code == 400
    assert 'data-field-error="tech_lead"' in response.content.decode()
    assert fresh(project).status == "awaiting_lead"


def test_assigning_in_the_wrong_state_is_409_on_the_page(browser, org):
    project = pending_project(org)
    response = browser("head1").post(url("assign_lead", project), {"tech_lead": org["lead1"].pk})
    assert response.status_code == 409
    assert "待审批" in error_text(response) or "Pending approval" in error_text(response)
    assert fresh(project).status == "pending_approval" and fresh(project).version == project.version


# --- the feasibility review -----------------------------------------------------------------

def test_lead_saves_a_draft_submits_and_sees_missing_fields(browser, org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    client = browser("lead1")
    saved = client.post(url("feasibility_save", project), {"technical_assessment": "初稿", "conclusion": ""})
    assert saved.status_code == 302
    assert FeasibilityReview.objects.get(project=project).technical_assessment == "初稿"

    incomplete = client.post(url("feasibility_submit", project))
    html = incomplete.content.decode()
    assert incomplete.status_code == 422
    for field in ("implementation_assessment", "risks", "estimated_effort_days", "conclusion"):
        assert f'data-field-error="{field}"' in html
    assert 'data-field-error="technical_assessment"' not in html and "初稿" in html
    assert fresh(project).status == "feasibility"

    assert client.post(url("feasibility_save", project), REVIEW).status_code == 302
    submitted = client.post(url("feasibility_submit", project))
    assert submitted.status_code == 302
    assert fresh(project).status == "pending_approval"
    html = client.get(url("detail", project)).content.decode()
    assert 'data-testid="review-form"' not in html and REVIEW["risks"] in html and 'data-status="submitted"' in html


def test_bad_review_input_stays_on_the_form(browser, org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    response = browser("lead1").post(url("feasibility_save", project), {**REVIEW, "estimated_effort_days": "-5"})
    assert response.status_code == 422
    assert 'data-field-error="estimated_effort_days"' in response.content.decode()
    assert not FeasibilityReview.objects.filter(project=project).exists()


def test_only_the_assigned_lead_writes_the_review(browser, org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    assert 'data-testid="review-form"' not in browser("rep1").get(url("detail", project)).content.decode()
    response = browser("rep1").post(url("feasibility_save", project), REVIEW)
    assert response.status_code == 403
    assert not FeasibilityReview.objects.filter(project=project).exists()


def test_submitted_review_is_read_only_for_the_lead(browser, org):
    project = pending_project(org)
    client = browser("lead1")
    assert 'data-testid="review-form"' not in client.get(url("detail", project)).content.decode()
    response = client.post(url("feasibility_save", project), {**REVIEW, "risks": "改了"})
    assert response.status_code == 409
    assert FeasibilityReview.objects.get(project=project).risks == REVIEW["risks"]


# --- decisions ------------------------------------------------------------------------------

def test_head_approves_without_a_comment(browser, org):
    project = pending_project(org)
    response = browser("head1").post(url("approve", project), {"comment": ""})
    assert response.status_code == 302
    assert fresh(project).status == "approved"


@pytest.mark.parametrize(("name", "after"), [("send_back", "feasibility"), ("reject", "rejected")])
def test_send_back_and_reject_need_a_comment(browser, org, name, after):
    project = pending_project(org)
    client = browser("head1")
    refused = client.post(url(name, project), {"comment": "  "})
    assert refused.status_code == 422
    assert 'data-field-error="comment"' in refused.content.decode()
    assert fresh(project).status == "pending_approval"
    assert client.post(url(name, project), {"comment": "请补充实施计划"}).status_code == 302
    assert fresh(project).status == after
    assert "请补充实施计划" in client.get(url("detail", project)).content.decode()


def test_sent_back_review_is_editable_again(browser, org):
    project = pending_project(org)
    browser("head1").post(url("send_back", project), {"comment": "请补充"})
    html = browser("lead1").get(url("detail", project)).content.decode()
    assert 'data-testid="review-form"' in html and REVIEW["risks"] in html


def test_owner_may_not_decide(browser, org):
    project = pending_project(org)
    response = browser("rep1").post(url("approve", project), {"comment": ""})
    assert response.status_code == 403
    assert fresh(project).status == "pending_approval"


def test_approving_in_the_wrong_state_is_409_and_changes_nothing(browser, org):
    project = converted_project(org)
    response = browser("head1").post(url("approve", project), {"comment": "同意"})
    assert response.status_code == 409 and error_text(response)
    assert fresh(project).status == "awaiting_lead" and fresh(project).version == project.version


# --- routing --------------------------------------------------------------------------------

def test_routing_asks_for_confirmation_first(browser, org):
    project = approved_project(org)
    client = browser("rep1")
    page = client.post(url("route", project), {"to": "bidding"})
    assert page.status_code == 200 and 'data-testid="route-confirm"' in page.content.decode()
    assert "<html" in page.content.decode()
    panel = client.post(url("route", project), {"to": "bidding"}, HTTP_HX_REQUEST="true")
    assert 'data-testid="route-confirm"' in panel.content.decode() and "<html" not in panel.content.decode()
    assert fresh(project).status == "approved" and not project.bids.exists()


@pytest.mark.parametrize(("to", "testid"), [("bidding", "project-bid-number"),
                                            ("contract_review", "project-contract-number")])
def test_confirmed_route_creates_the_record_and_shows_its_number(browser, org, to, testid):
    project = approved_project(org)
    client = browser("rep1")
    response = client.post(url("route", project), {"to": to, "confirmed": "1"})
    assert response.status_code == 302
    project = fresh(project)
    assert project.status == to and project.routed_to == to
    record = project.bids.get() if to == "bidding" else project.contracts.get()
    html = client.get(url("detail", project)).content.decode()
    # the owner may open it: the number links to its page
    record_url = f"/bids/{record.pk}/" if to == "bidding" else f"/contracts/{record.pk}/"
    assert f'data-testid="{testid}"><a href="{record_url}">{record.number}</a><' in html
    again = client.post(url("route", project), {"to": to, "confirmed": "1"})
    assert again.status_code == 409
    assert project.bids.count() + project.contracts.count() == 1


def test_implementation_shows_the_hand_off_status(browser, org):
    project = approved_project(org)
    browser("head1").post(url("route", project), {"to": "implementation", "confirmed": "1"})
    html = browser("head1").get(url("detail", project)).content.decode()
    assert fresh(project).status == "implementation" and 'data-testid="handoff-status" data-status="none"' in html


def test_implementation_hand_off_to_a_listening_system_is_pending(browser, org):
    integrations.endpoint_create(actor=org["admin"], name="项目监控", url="https://pm.example.cn/hook",
                                 secret="0123456789abcdef", events=["project.routed"])
    project = approved_project(org)
    browser("rep1").post(url("route", project), {"to": "implementation", "confirmed": "1"})
    html = browser("rep1").get(url("detail", project)).content.decode()
    assert 'data-testid="handoff-status" data-status="pending"' in html


def test_unknown_route_is_refused(browser, org):
    project = approved_project(org)
    response = browser("rep1").post(url("route", project), {"to": "elsewhere", "confirmed": "1"})
    assert response.status_code == 400 and fresh(project).status == "approved"


def test_lead_may_not_route(browser, org):
    project = approved_project(org)
    response = browser("lead1").post(url("route", project), {"to": "bidding", "confirmed": "1"})
    assert response.status_code == 403 and error_text(response)
    assert fresh(project).status == "approved" and not project.bids.exists()


def test_routing_before_approval_is_409(browser, org):
    project = pending_project(org)
    response = browser("rep1").post(url("route", project), {"to": "bidding", "confirmed": "1"})
    assert response.status_code == 409 and fresh(project).status == "pending_approval"


# --- cancellation ---------------------------------------------------------------------------

def test_cancel_needs_a_reason(browser, org):
    project = converted_project(org)
    client = browser("rep1")
    refused = client.post(url("cancel", project), {"reason": ""})
    assert refused.status_code == 422 and 'data-field-error="reason"' in refused.content.decode()
    assert fresh(project).status == "awaiting_lead"
    assert client.post(url("cancel", project), {"reason": "客户预算取消"}).status_code == 302
    project = fresh(project)
    assert project.status == "cancelled" and project.cancel_reason == "客户预算取消"
    html = client.get(url("detail", project)).content.decode()
    assert 'data-testid="cancel-form"' not in html and 'data-testid="no-actions"' in html
    assert client.post(url("cancel", project), {"reason": "again"}).status_code == 409


def test_the_timeline_lists_every_step(browser, org):
    project = approved_project(org)
    html = browser("rep1").get(url("detail", project)).content.decode()
    timeline = html.split('data-testid="timeline"')[1]
    assert timeline.count('class="list-group-item"') == 5 and "同意" in timeline
