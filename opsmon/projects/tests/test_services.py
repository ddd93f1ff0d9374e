"""Every project transition, allowed and refused by role and state (DOMAIN.md, "Project")."""

import pytest

from opsmon.bids.models import Bid
from opsmon.contracts.models import Contract
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.models import TimelineEntry
from opsmon.integrations.models import WebhookDelivery, WebhookEndpoint
from opsmon.notifications.models import Notification
from opsmon.opportunities.selectors import opportunity_get
from opsmon.projects import selectors, services
from opsmon.projects.models import FeasibilityReview, Project

from .factories import REVIEW, approved_project, converted_project


def fresh(p):
    return Project.objects.get(pk=p.pk)


def actions(p):
    return list(TimelineEntry.objects.filter(object_id=p.pk, content_type__model="project")
                .values_list("action", flat=True))


def test_conversion_creates_a_project_carrying_the_opportunity(org):
    project = converted_project(org, member_ids=[org["rep1b"].pk], estimated_amount="880000.00")
    assert project.number.startswith("LX-") and project.status == "awaiting_lead"
    assert str(project.estimated_amount) == "880000.00" and project.owner == org["rep1"]
    assert list(project.members.all()) == [org["rep1b"]]
    assert project.opportunity.project == project
    assert Notification.objects.filter(recipient=org["head1"], url=f"/projects/{project.pk}/").exists()


def test_head_assigns_a_tech_lead_who_is_notified_and_can_see_it(org):
    project = converted_project(org)
    with pytest.raises(NotFound):
        selectors.project_get(actor=org["lead1"], pk=project.pk)
    project = services.project_assign_lead(actor=org["head1"], project=project, tech_lead=org["lead1"])
    assert (project.status, project.tech_lead) == ("feasibility", org["lead1"])
    assert Notification.objects.filter(recipient=org["lead1"]).count() == 1
    assert selectors.project_get(actor=org["lead1"], pk=project.pk) == project
    assert opportunity_get(actor=org["lead1"], pk=project.opportunity_id) == project.opportunity


def test_assigning_someone_without_the_tech_lead_role_is_422(org):
    project = converted_project(org)
    for user in (org["rep1b"], None):
        with pytest.raises(Invalid) as err:
            services.project_assign_lead(actor=org["head1"], project=project, tech_lead=user)
        assert "tech_lead_id" in err.value.fields
    assert fresh(project).status == "awaiting_lead"


def test_only_the_head_of_the_owners_department_assigns_and_decides(org):
    project = converted_project(org)
    for actor in ("rep1", "head2", "market1", "admin", "lead1"):
        with pytest.raises(PermissionDenied):
            services.project_assign_lead(actor=org[actor], project=project, tech_lead=org["lead1"])
    assert fresh(project).status == "awaiting_lead"


def test_lead_saves_a_draft_then_submits_and_it_becomes_read_only(org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    services.feasibility_save(actor=org["lead1"], project=project, technical_assessment="草稿")
    with pytest.raises(Invalid) as err:
        services.project_submit_feasibility(actor=org["lead1"], project=project)
    assert {"implementation_assessment", "risks", "estimated_effort_days", "conclusion"} <= set(err.value.fields)
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = services.project_submit_feasibility(actor=org["lead1"], project=project)
    assert project.status == "pending_approval"
    assert FeasibilityReview.objects.get(project=project).status == "submitted"
    with pytest.raises(Conflict):
        services.feasibility_save(actor=org["lead1"], project=project, risks="改一下")


def test_only_the_assigned_lead_writes_the_review(org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    for actor in ("rep1", "head1", "admin"):
        with pytest.raises(PermissionDenied):
            services.feasibility_save(actor=org[actor], project=project, risks="x")
        with pytest.raises(PermissionDenied):
            services.project_submit_feasibility(actor=org[actor], project=project)


@pytest.mark.parametrize(("field", "value"), [("estimated_effort_days", "-1"), ("estimated_effort_days", "lots"),
                                              ("conclusion", "maybe"), ("risks", "x" * 10001)])
def test_bad_review_input_is_422(org, field, value):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    with pytest.raises(Invalid) as err:
        services.feasibility_save(actor=org["lead1"], project=project, **{field: value})
    assert field in err.value.fields


def test_send_back_reopens_the_review_with_a_comment(org):
    project = services.project_assign_lead(actor=org["head1"], project=converted_project(org), tech_lead=org["lead1"])
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = services.project_submit_feasibility(actor=org["lead1"], project=project)
    with pytest.raises(Invalid):
        services.project_send_back(actor=org["head1"], project=project, comment="")
    project = services.project_send_back(actor=org["head1"], project=project, comment="请补充实施风险")
    assert project.status == "feasibility"
    services.feasibility_save(actor=org["lead1"], project=project, risks="补充：供货周期风险")
    assert FeasibilityReview.objects.get(project=project).risks == "补充：供货周期风险"


def test_approve_and_reject_need_pending_approval(org):
    project = converted_project(org)
    with pytest.raises(Conflict):
        services.project_approve(actor=org["head1"], project=project)
    project = services.project_assign_lead(actor=org["head1"], project=project, tech_lead=org["lead1"])
    services.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = services.project_submit_feasibility(actor=org["lead1"], project=project)
    with pytest.raises(Invalid):
        services.project_reject(actor=org["head1"], project=project, comment="")
    project = services.project_reject(actor=org["head1"], project=project, comment="技术路线不成熟")
    assert project.status == "rejected"
    for call in (lambda: services.project_cancel(actor=org["rep1"], project=project, reason="x"),
                 lambda: services.project_update(actor=org["rep1"], project=project, version=project.version,
                                                 title="x")):
        with pytest.raises(Conflict):
            call()


@pytest.mark.parametrize(("to", "created"), [("bidding", Bid), ("contract_review", Contract)])
def test_routing_creates_a_bid_or_a_contract_draft_once(org, to, created):
    project = approved_project(org)
    result = services.project_route(actor=org["rep1"], project=project, to=to)
    record = created.objects.get()
    assert result == {f"{created._meta.model_name}_id": record.pk}
    assert record.opportunity == project.opportunity and record.project == project
    assert record.status == ("registered" if to == "bidding" else "drafting")
    assert fresh(project).status == to
    with pytest.raises(Conflict):
        services.project_route(actor=org["rep1"], project=fresh(project), to=to)
    assert created.objects.count() == 1


def test_implementation_hand_off_emits_a_signed_event_and_is_final(org):
    WebhookEndpoint.objects.create(name="项目监控系统", url="http://127.0.0.1:9/hook", secret="s" * 20,
                                   events=["project.routed", "project.approved"])
    project = approved_project(org)
    result = services.project_route(actor=org["head1"], project=project, to="implementation")
    delivery = WebhookDelivery.objects.get(event="project.routed")
    assert str(delivery.event_id) == result["handoff_id"]
    assert delivery.payload["data"]["to"] == "implementation"
    assert delivery.payload["data"]["project"]["number"] == project.number
    assert selectors.handoff_status(fresh(project)) == "pending"
    with pytest.raises(Conflict):
        services.project_route(actor=org["head1"], project=fresh(project), to="bidding")
    with pytest.raises(Conflict):
        services.project_cancel(actor=org["head1"], project=fresh(project), reason="x")


def test_routing_refusals(org):
    project = converted_project(org)
    with pytest.raises(Conflict):
        services.project_route(actor=org["rep1"], project=project, to="bidding")
    project = approved_project(org)
    with pytest.raises(Invalid):
        services.project_route(actor=org["rep1"], project=project, to="moon")
    for actor in ("rep2", "lead1", "market1"):
        with pytest.raises(PermissionDenied):
            services.project_route(actor=org[actor], project=project, to="bidding")
    assert fresh(project).status == "approved"


def test_cancel_needs_a_reason_and_works_from_any_open_state(org):
    project = converted_project(org)
    with pytest.raises(Invalid):
        services.project_cancel(actor=org["rep1"], project=project, reason=" ")
    project = services.project_cancel(actor=org["rep1"], project=project, reason="客户取消采购")
    assert (project.status, project.cancel_reason) == ("cancelled", "客户取消采购")
    assert actions(project)[-1] == "project.cancel"


def test_visibility_of_projects(org):
    project = converted_project(org)
    for user in ("rep1", "head1", "market1", "admin"):
        assert selectors.project_get(actor=org[user], pk=project.pk) == project
    for user in ("rep2", "head2", "lead1", "assistant1"):
        with pytest.raises(NotFound):
            selectors.project_get(actor=org[user], pk=project.pk)


def test_demo_data_has_projects_in_every_status(org):
    from opsmon.opportunities import demo as opportunity_demo
    from opsmon.projects import demo
    from opsmon.projects.choices import ProjectStatus
    opportunity_demo.load()
    demo.load()
    demo.load()
    # the end states come from the bid and contract demos (and delivery from the outside system's)
    ends = {"lost", "won", "in_delivery", "delivered", "accepted", "terminated"}
    assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values) - ends
