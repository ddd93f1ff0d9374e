"""The data migration's default routes: the owner's head; with engineers, the technical department's head (named
when 技术部 has one, else the technical leads), seeded once."""

from importlib import import_module

import pytest
from django.apps import apps

from opsmon.accounts import services as accounts
from opsmon.accounts.models import Department
from opsmon.approvals.models import Route
from opsmon.core.inbox import items_for
from opsmon.projects.selectors import visible_projects
from opsmon.resources import rules, selectors, services

from . import factories as f

pytestmark = pytest.mark.django_db
seed = import_module("opsmon.resources.migrations.0002_seed_review_routes").seed


def _steps(name):
    return [(s.position, s.kind, s.decider_kind, s.role, [u.username for u in s.users.all()])
            for s in Route.objects.get(kind="resource_request", name=name).steps.order_by("position")]


def test_seeded_once_with_the_technical_leads_when_there_is_no_head(org):
    Route.objects.filter(kind="resource_request").delete()
    seed(apps, None)
    seed(apps, None)
    assert Route.objects.filter(kind="resource_request").count() == 2
    assert _steps("立项资源审批") == [(1, "management", "owner_head", "", [])]
    assert _steps("立项资源审批（含工程师）") == [(1, "management", "owner_head", "", []),
                                            (2, "technical", "role", "tech_lead", [])]
    assert Route.objects.get(name="立项资源审批（含工程师）").type_code == "technical"


def test_the_technical_head_is_named_when_there_is_one(org):
    Route.objects.filter(kind="resource_request").delete()
    accounts.user_create(actor=org["admin"], username="techhead", password="Matrix-Pass-2026!",
                         display_name="技术部负责人", department=Department.objects.get(name="技术部"),
                         roles=["dept_head"])
    seed(apps, None)
    assert _steps("立项资源审批（含工程师）")[1] == (2, "technical", "users", "", ["techhead"])


def test_the_technical_head_decides_engineers_without_seeing_the_project(org):
    Route.objects.filter(kind="resource_request").delete()
    head = accounts.user_create(actor=org["admin"], username="techhead", password="Matrix-Pass-2026!",
                                display_name="技术部负责人", department=Department.objects.get(name="技术部"),
                                roles=["dept_head"])
    seed(apps, None)
    request = f.submitted(org, people=f.ENGINEERS, budget=[])
    waiting = selectors.request_get(actor=head, pk=request.pk)  # a decider of the round sees it from the start
    assert rules.allowed_actions(head, waiting) == []  # his step is not current yet
    request = services.request_approve(actor=org["head1"], request=request)
    assert not visible_projects(head).filter(pk=request.project_id).exists()
    seen = selectors.request_get(actor=head, pk=request.pk)
    assert rules.allowed_actions(head, seen) == ["approve", "reject"]
    assert rules.allowed_actions(org["lead1"], seen) == []
    assert [i.url for i in items_for(head) if i.record_type == "resourcerequest"] == [
        f"/resources/requests/{request.pk}/"]
    assert services.request_approve(actor=head, request=seen).status == "granted"
