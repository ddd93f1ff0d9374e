"""The pages: the Resources section on the project's page, a new request, a request's review, an effort log."""

from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.core.tests.rules_matrix import buttons
from opsmon.resources.models import EffortLog, ResourceRequest

from . import factories as f

pytestmark = pytest.mark.django_db


def test_project_page_shows_the_section_and_files_a_request(org, browser):
    project = f.project(org)
    page = browser("rep1").get(f"/projects/{project.pk}/")
    assert page.status_code == 200 and 'data-testid="resources"' in page.content.decode()
    assert {"file_request", "log_effort"} <= buttons(page.content.decode())
    response = browser("rep1").post(f"/resources/projects/{project.pk}/new/", {
        "days_engineer": "4", "amount_travel": "1,200", "note": "需要工程师"})
    request = ResourceRequest.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == f"/resources/requests/{request.pk}/"
    assert [(p.role, str(p.days)) for p in request.people.all()] == [("engineer", "4.0")]
    page = browser("rep1").get(f"/resources/requests/{request.pk}/").content.decode()
    assert buttons(page) == {"edit", "submit"}


def test_bad_request_input_is_shown_next_to_the_field(org, browser):
    project = f.project(org)
    response = browser("rep1").post(f"/resources/projects/{project.pk}/new/", {"days_engineer": "0.3"})
    assert response.status_code == 422
    assert 'data-field-error="days_engineer"' in response.content.decode()
    assert not ResourceRequest.objects.exists()
    assert browser("rep2").get(f"/resources/projects/{project.pk}/new/").status_code == 404


def test_head_trims_and_grants_on_the_request_page(org, browser):
    request = f.submitted(org)
    line = request.people.first()
    page = browser("head1").get(f"/resources/requests/{request.pk}/").content.decode()
    assert buttons(page) == {"approve", "reject"}
    response = browser("head1").post(f"/resources/requests/{request.pk}/approve/",
                                     {f"people_{line.pk}": "2", "comment": "压缩"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted" and str(request.people.first().granted_days) == "2.0"
    assert browser("head2").get(f"/resources/requests/{request.pk}/").status_code == 404


def test_refusing_needs_a_comment(org, browser):
    request = f.submitted(org)
    response = browser("head1").post(f"/resources/requests/{request.pk}/reject/", {"reject-comment": ""})
    assert response.status_code == 422
    assert ResourceRequest.objects.get(pk=request.pk).status == "in_review"
    assert browser("rep1").post(f"/resources/requests/{request.pk}/reject/", {"reject-comment": "x"}).status_code == 403
    response = browser("head1").post(f"/resources/requests/{request.pk}/reject/", {"reject-comment": "预算过高"})
    assert response.status_code == 302
    assert ResourceRequest.objects.get(pk=request.pk).status == "refused"
    page = browser("rep1").get(f"/resources/requests/{request.pk}/").content.decode()
    assert buttons(page) == {"reopen"} and "预算过高" in page and "in_review" not in page.split("timeline")[-1]


def test_effort_log_from_the_project_page(org, browser):
    project = f.project(org)
    today = timezone.localdate().isoformat()
    response = browser("lead1").post(f"/resources/projects/{project.pk}/effort/", {
        "on": today, "kind": "tech_lead", "days": "1.5", "note": "方案编写"})
    assert response.status_code == 302
    page = browser("rep1").get(f"/projects/{project.pk}/").content.decode()
    assert "方案编写" in page
    bad = browser("lead1").post(f"/resources/projects/{project.pk}/effort/", {"on": today, "kind": "tech_lead",
                                                                              "days": "0.2"})
    assert bad.status_code == 422 and 'data-field-error="days"' in bad.content.decode()
    assert browser("rep2").post(f"/resources/projects/{project.pk}/effort/", {"on": today, "kind": "travel",
                                                                              "amount": "1"}).status_code == 404
    assert EffortLog.objects.count() == 1


def test_bid_summary_is_prefilled_from_the_logs(org, browser):
    from opsmon.projects import services as project_services

    project = f.project(org)
    bid_id = project_services.project_route(actor=org["rep1"], project=project, to="bidding")["bid_id"]
    f.log(org, project, user="lead1", days="2.5", kind="tech_lead")
    f.log(org, project, days=None, amount="1234.50", kind="travel")
    response = browser("rep1").get(f"/bids/{bid_id}/")
    assert response.context["logged"] == {"days": Decimal("2.5"), "amount": Decimal("1234.50")}
    initial = response.context["summary_form"].initial
    assert initial["person_days"] == "2.5" and initial["cost"].replace(",", "") == "1234.50"
    page = browser("rep1").get("/insights/resources/").content.decode()
    assert project.number in page


def test_the_route_admin_shows_the_seeded_routes(org, browser):
    f.routes()
    page = browser("admin").get("/admin/review-routes/").content.decode()
    assert "立项资源审批" in page and "立项资源审批（含工程师）" in page
