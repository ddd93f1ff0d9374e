"""The resource services: filing, editing, the review on the approvals engine (trims, grants above the ask,
refusal and resubmission), effort logs, and every bad input changing nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.approvals.models import Review
from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.core.inbox import items_for
from opsmon.core.models import TimelineEntry
from opsmon.resources import rules, selectors, services
from opsmon.resources.models import EffortLog, ResourceRequest

from . import factories as f

pytestmark = pytest.mark.django_db


def test_draft_has_the_lines_asked(org):
    request = f.draft(org, people=[*f.PEOPLE, {"role": "engineer", "days": "2", "user_id": org["lead1"].pk}])
    assert request.status == "draft"
    assert [(p.role, p.days, p.user_id) for p in request.people.all()] == [
        ("tech_lead", Decimal("5.0"), None), ("business", Decimal("3.5"), None),
        ("engineer", Decimal("2.0"), org["lead1"].pk)]
    assert [(b.kind, b.amount) for b in request.budget.all()] == [("travel", Decimal("8000.00")),
                                                                  ("tender_fees", Decimal("1500.50"))]
    assert TimelineEntry.objects.filter(object_id=request.pk, action="resourcerequest.filed").count() == 1


def test_bad_input_names_every_field_and_changes_nothing(org):
    project = f.project(org)
    with pytest.raises(Invalid) as error:
        services.request_create(actor=org["rep1"], project=project, note="x" * 2001,
                                people=[{"role": "cook", "days": "0.3", "user_id": 999999},
                                        {"role": "engineer", "days": "-1"}],
                                budget=[{"kind": "party", "amount": "0"}, {"kind": "travel", "amount": "abc"}])
    assert set(error.value.fields) == {"note", "people.1.role", "people.1.days", "people.1.user_id",
                                       "people.2.days", "budget.1.kind", "budget.1.amount", "budget.2.amount"}
    with pytest.raises(Invalid) as error:
        services.request_create(actor=org["rep1"], project=project, people=[], budget=[])
    assert set(error.value.fields) == {"people"}
    assert not ResourceRequest.objects.exists()


def test_only_owner_or_head_files_and_only_on_an_open_approved_project(org):
    project = f.project(org)
    for name in ("rep1b", "lead1", "head2", "assistant1"):
        with pytest.raises(PermissionDenied):
            services.request_create(actor=org[name], project=project, people=f.PEOPLE)
    assert services.request_create(actor=org["head1"], project=project, people=f.PEOPLE).filed_by == org["head1"]
    from opsmon.projects.tests.factories import converted_project
    fresh = converted_project(org)
    with pytest.raises(Conflict) as error:
        services.request_create(actor=org["rep1"], project=fresh, people=f.PEOPLE)
    assert error.value.code == "project_closed"


def test_edit_a_draft_with_its_version(org):
    request = f.draft(org)
    edited = services.request_update(actor=org["rep1"], request=request, version=request.version,
                                     people=f.ENGINEERS, budget=[], note="改")
    assert edited.version == request.version + 1 and edited.note == "改"
    assert [p.role for p in edited.people.all()] == ["engineer"] and not edited.budget.exists()
    with pytest.raises(StaleVersion):
        services.request_update(actor=org["rep1"], request=edited, version=request.version, people=f.PEOPLE)
    with pytest.raises(Invalid):
        services.request_update(actor=org["rep1"], request=edited, version=edited.version, people=[])
    assert [p.role for p in ResourceRequest.objects.get(pk=request.pk).people.all()] == ["engineer"]


def test_without_engineers_the_owners_head_alone_grants_and_may_trim(org):
    request = f.submitted(org)
    assert request.status == "in_review"
    review = Review.objects.get(kind="resource_request", subject_id=request.pk)
    assert review.route_name == "立项资源审批"
    assert [i.label for i in items_for(org["head1"]) if i.record_type == "resourcerequest"]
    assert rules.allowed_actions(org["head1"], request) == ["approve", "reject"]
    assert rules.allowed_actions(org["rep1"], request) == []
    people = list(request.people.all())
    travel = request.budget.get(kind="travel")
    granted = services.request_approve(actor=org["head1"], request=request, comment="压缩差旅", lines=[
        {"type": "people", "id": people[0].pk, "granted": "3"},
        {"type": "budget", "id": travel.pk, "granted": "9000"}])
    assert granted.status == "granted"
    totals = selectors.granted_of(selectors.request_get(actor=org["rep1"], pk=granted.pk))
    assert totals["granted_days"] == Decimal("6.5") and totals["granted_amount"] == Decimal("10500.50")
    row = TimelineEntry.objects.get(object_id=request.pk, action="resourcerequest.figures_set")
    assert row.changes["above_asked"] == [None, "budget.1"]
    assert row.changes["people.1 tech_lead"] == ["5.0", "3.0"]
    assert TimelineEntry.objects.filter(object_id=request.pk, action="resourcerequest.granted").count() == 1


def test_engineers_bring_the_technical_step(org):
    request = f.submitted(org, people=f.ENGINEERS, budget=[])
    review = Review.objects.get(kind="resource_request", subject_id=request.pk)
    assert review.route_name == "立项资源审批（含工程师）"
    request = services.request_approve(actor=org["head1"], request=request)
    assert request.status == "in_review"
    assert rules.allowed_actions(org["lead1"], request) == ["approve", "reject"]
    line = request.people.get()
    request = services.request_approve(actor=org["lead1"], request=request, lines=[
        {"type": "people", "id": line.pk, "granted": "6"}])
    assert request.status == "granted"
    assert request.people.get().granted_days == Decimal("6.0")


def test_refusal_goes_back_to_the_owner_who_reopens_and_resubmits(org):
    request = f.submitted(org)
    with pytest.raises(Invalid):
        services.request_reject(actor=org["head1"], request=request, comment="")
    request = services.request_reject(actor=org["head1"], request=request, comment="预算过高")
    assert request.status == "refused"
    assert rules.allowed_actions(org["rep1"], request) == ["reopen"]
    with pytest.raises(Conflict):
        services.request_submit(actor=org["rep1"], request=request)
    request = services.request_reopen(actor=org["rep1"], request=request)
    assert request.status == "draft"
    request = services.request_submit(actor=org["rep1"], request=request)
    assert Review.objects.filter(kind="resource_request", subject_id=request.pk).count() == 2


def test_deciding_refusals(org):
    request = f.submitted(org)
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=org["rep1"], request=request)  # his own project
    with pytest.raises(PermissionDenied):
        services.request_approve(actor=org["head2"], request=request)
    with pytest.raises(Invalid) as error:
        services.request_approve(actor=org["head1"], request=request, lines=[
            {"type": "people", "id": 0, "granted": "1"}, {"type": "budget", "id": request.budget.first().pk,
                                                          "granted": "-1"}, {"type": "x", "id": 1, "granted": 1}])
    assert set(error.value.fields) == {"lines.1.id", "lines.2.granted", "lines.3.type"}
    assert ResourceRequest.objects.get(pk=request.pk).status == "in_review"
    granted = services.request_approve(actor=org["head1"], request=request)
    with pytest.raises(Conflict):
        services.request_approve(actor=org["head1"], request=granted)


def test_effort_logs(org):
    project = f.project(org)
    project.members.add(org["rep1b"])
    f.log(org, project)
    f.log(org, project, user="lead1", days="2.5", kind="tech_lead")
    f.log(org, project, user="rep1b", days=None, amount="320.00", kind="travel")
    f.log(org, project, user="head1", user_id=org["lead1"].pk, days="0.5", kind="engineer")
    assert selectors.used_of(project) == {"days": Decimal("4.0"), "amount": Decimal("320.00")}
    assert TimelineEntry.objects.filter(object_id=project.pk, action="project.effort_logged").count() == 4
    for name in ("rep2", "head2", "assistant1"):
        with pytest.raises(PermissionDenied):
            f.log(org, project, user=name)
    with pytest.raises(Invalid) as error:
        f.log(org, project, on=timezone.localdate() + timedelta(days=1), days="0.3", amount="-5", kind="cook",
              user_id=999999, note="x" * 501)
    assert set(error.value.fields) == {"on", "days", "amount", "kind", "user_id", "note"}
    with pytest.raises(Invalid) as error:
        f.log(org, project, days=None, amount=None, on=None)
    assert set(error.value.fields) == {"days", "on"}
    assert EffortLog.objects.count() == 4


def test_nothing_on_a_closed_project(org):
    project = f.project(org)
    request = f.draft(org, project)
    type(project).objects.filter(pk=project.pk).update(status="cancelled")
    project.refresh_from_db()
    request.refresh_from_db()
    with pytest.raises(Conflict):
        f.log(org, project)
    with pytest.raises(Conflict):
        services.request_submit(actor=org["rep1"], request=request)
    assert rules.project_actions(org["rep1"], project) == []
