"""Every project action × every state × every demo user: the action is in `rules.allowed_actions` ⇔ the service
accepts it ⇔ the detail page shows its `data-action` button; a refused action raises exactly the rule's refusal."""

import re

import pytest
from django.urls import reverse

from opsmon.core.errors import ApplicationError
from opsmon.core.tests.rules_matrix import attempt as tried
from opsmon.projects import rules, services
from opsmon.projects.models import Project

from .factories import REVIEW, converted_project

USERS = ["admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1"]
STATES = ["awaiting_lead", "feasibility", "pending_approval", "approved", "rejected", "cancelled", "implementation",
          "bidding", "contract_review"]
# Actions the API offers but the page has no button for (renaming is PATCH /api/v1/projects/{id} only).
API_ONLY = {"edit"}


def build(org, state: str) -> Project:
    """rep1's project (rep1b in the team, lead1 the lead once assigned) brought to `state` through the services."""
    head, lead, owner = org["head1"], org["lead1"], org["rep1"]
    project = converted_project(org, member_ids=[org["rep1b"].pk])
    if state == "awaiting_lead":
        return project
    project = services.project_assign_lead(actor=head, project=project, tech_lead=lead)
    services.feasibility_save(actor=lead, project=project, **REVIEW)  # complete: the lead may submit it
    if state == "feasibility":
        return project
    if state == "cancelled":
        return services.project_cancel(actor=owner, project=project, reason="客户取消")
    project = services.project_submit_feasibility(actor=lead, project=project)
    if state == "pending_approval":
        return project
    if state == "rejected":
        return services.project_reject(actor=head, project=project, comment="不做")
    project = services.project_approve(actor=head, project=project, comment="同意")
    if state == "approved":
        return project
    services.project_route(actor=owner, project=project, to=state)
    return project


def calls(org):
    """One service call with valid input per action of rules.RULES."""
    def route(to):
        return lambda actor, p: services.project_route(actor=actor, project=p, to=to)

    return {
        "edit": lambda actor, p: services.project_update(actor=actor, project=p, version=p.version, title="新名称"),
        "assign_lead": lambda actor, p: services.project_assign_lead(actor=actor, project=p, tech_lead=org["lead1"]),
        "save_feasibility": lambda actor, p: services.feasibility_save(actor=actor, project=p, risks="补充风险"),
        "submit_feasibility": lambda actor, p: services.project_submit_feasibility(actor=actor, project=p),
        "approve": lambda actor, p: services.project_approve(actor=actor, project=p, comment="同意"),
        "send_back": lambda actor, p: services.project_send_back(actor=actor, project=p, comment="请补充"),
        "reject": lambda actor, p: services.project_reject(actor=actor, project=p, comment="不做"),
        "route_implementation": route("implementation"),
        "route_bidding": route("bidding"),
        "route_contract_review": route("contract_review"),
        "cancel": lambda actor, p: services.project_cancel(actor=actor, project=p, reason="客户取消"),
    }


def attempt(call, actor, pk) -> ApplicationError | None:
    """The service's answer on a fresh copy of the project, its changes rolled back: None when it accepts."""
    return tried(call, actor, fresh(pk))


def fresh(pk) -> Project:
    return Project.objects.select_related("department", "owner", "customer", "opportunity", "tech_lead").get(pk=pk)


def page_actions(client, project) -> set[str] | None:
    """The data-action buttons of the detail page; None when the page is 404."""
    response = client.get(reverse("projects:detail", args=[project.pk]))
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode()))


def test_the_rules_cover_every_transition():
    assert set(rules.TRANSITIONS) <= set(rules.RULES)


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_match_the_services_and_the_page(browser, org, state):
    project = build(org, state)
    assert project.status == state
    services_by_action = calls(org)
    assert set(services_by_action) == set(rules.RULES)
    mismatches, accepted = [], set()
    for username in USERS:
        user = org[username]
        allowed = rules.allowed_actions(user, fresh(project.pk))
        shown = page_actions(browser(username), project)
        if shown is None:  # outside his scope: nothing to offer
            if allowed:
                mismatches.append((username, "404 page but allowed", allowed))
        elif shown != set(allowed) - API_ONLY:
            mismatches.append((username, "page", sorted(shown), allowed))
        for action, call in services_by_action.items():
            refusal = rules.RULES[action](user, fresh(project.pk))
            error = attempt(call, user, project.pk)
            if (action in allowed) != (error is None) or (refusal is None) != (error is None):
                mismatches.append((username, action, "allowed" if action in allowed else "refused",
                                   "service accepted" if error is None else f"service {error.status} {error.message}"))
            elif error is not None and (type(error), error.status, error.code, str(error.message)) != (
                    type(refusal), refusal.status, refusal.code, str(refusal.message)):
                mismatches.append((username, action, f"rule {refusal.status} {refusal.message}",
                                   f"service {error.status} {error.message}"))
            if error is None:
                accepted.add((username, action))
    assert mismatches == []
    assert fresh(project.pk).status == state  # every attempt was rolled back
    expected = {
        "awaiting_lead": {("head1", "assign_lead"), ("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"),
                          ("rep1", "edit")},
        "feasibility": {("head1", "assign_lead"), ("lead1", "save_feasibility"), ("lead1", "submit_feasibility"),
                        ("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"), ("rep1", "edit")},
        "pending_approval": {(u, a) for u in ("head1",) for a in ("approve", "send_back", "reject")}
        | {("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"), ("rep1", "edit")},
        "approved": {(u, a) for u in ("head1", "rep1") for a in ("route_implementation", "route_bidding",
                                                                 "route_contract_review", "cancel", "edit")},
    }.get(state, set())
    assert accepted == expected
