"""Issue 20, daily use: "Submit for approval" saves what the lead typed first; irreversible actions name their
consequence; the page lays facts and actions left, timeline right."""

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from opsmon.projects import services
from opsmon.projects.models import FeasibilityReview, Project

from .factories import REVIEW, converted_project


def url(name, project):
    return reverse(f"projects:{name}", args=[project.pk])


def lead_project(org):
    return services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])


def test_submit_button_is_part_of_the_review_form(browser, org):
    project = lead_project(org)
    html = browser("lead1").get(url("detail", project)).content.decode()
    form = html.split('data-testid="review-form"')[1].split("</form>")[0]
    assert 'data-testid="review-submit"' in form
    assert f'formaction="{url("feasibility_submit", project)}"' in form


def test_submit_saves_the_typed_review_first_then_submits(browser, org):
    project = lead_project(org)
    response = browser("lead1").post(url("feasibility_submit", project), REVIEW)
    assert response.status_code == 302
    review = FeasibilityReview.objects.get(project=project)
    assert review.risks == REVIEW["risks"] and review.status == "submitted"
    assert Project.objects.get(pk=project.pk).status == "pending_approval"


def test_a_refused_submission_keeps_the_typing_and_saves_nothing(browser, org):
    project = lead_project(org)
    services.feasibility_save(actor=org["lead1"], project=project, technical_assessment="旧稿")
    typed = {**REVIEW, "risks": "", "technical_assessment": "新写的评估，未保存"}
    response = browser("lead1").post(url("feasibility_submit", project), typed)
    html = response.content.decode()
    assert response.status_code == 422
    assert "新写的评估，未保存" in html and 'data-field-error="risks"' in html
    assert FeasibilityReview.objects.get(project=project).technical_assessment == "旧稿"
    assert Project.objects.get(pk=project.pk).status == "feasibility"


def test_bad_typed_input_is_refused_next_to_the_field_and_kept(browser, org):
    project = lead_project(org)
    response = browser("lead1").post(url("feasibility_submit", project),
                                     {**REVIEW, "estimated_effort_days": "-5"})
    html = response.content.decode()
    assert response.status_code == 422 and 'data-field-error="estimated_effort_days"' in html
    assert REVIEW["risks"] in html
    assert not FeasibilityReview.objects.filter(project=project).exists()


def test_a_bare_submission_still_submits_the_saved_draft(browser, org):
    project = lead_project(org)
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    assert browser("lead1").post(url("feasibility_submit", project)).status_code == 302
    assert Project.objects.get(pk=project.pk).status == "pending_approval"


def test_irreversible_decisions_name_their_consequence(browser, org):
    project = lead_project(org)
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    services.project_submit_feasibility(actor=org["lead1"], project=project)
    html = browser("head1").get(url("detail", project)).content.decode()
    reject = html.split('data-testid="reject"')[1].split(">")[0]
    consequence = _("Rejecting ends the sale: the project is closed and its opportunity is closed as lost. "
                    "This cannot be undone.")
    assert f'data-confirm="{escape(consequence)}"' in reject
    assert "data-confirm=" in html.split('data-testid="approve"')[1].split(">")[0]
    assert 'id="confirm-dialog"' in html and 'id="unsaved-dialog"' in html


def test_facts_and_actions_left_timeline_right(browser, org):
    project = lead_project(org)
    html = browser("lead1").get(url("detail", project)).content.decode()
    main, side = html.split('data-testid="detail-main"')[1].split('data-testid="detail-side"')
    assert 'data-testid="actions"' in main and 'data-testid="review-form"' in main
    assert 'data-testid="timeline"' in side and 'data-testid="actions"' not in side
