"""Every project action × every state × every demo user: the action is in `rules.allowed_actions` ⇔ the service
accepts it ⇔ the detail page shows its `data-action` button; a refused action raises exactly the rule's refusal."""

import re

import pytest
from django.urls import reverse

from opsmon.bids import services as bid_services
from opsmon.core.errors import ApplicationError
from opsmon.core.tests.rules_matrix import attempt as tried
from opsmon.projects import rules, services
from opsmon.projects.models import Project

from .factories import REVIEW, converted_project

USERS = ["admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1"]
STATES = ["awaiting_lead", "feasibility", "pending_approval", "approved", "rejected", "cancelled", "implementation",
          "bidding", "contract_review", "bidding_abandoned", "lost", "won", "in_delivery", "delivered", "accepted",
          "terminated"]
# A state of the matrix that is not a status of its own: bidding after the bid was abandoned.
STATUS_OF = {"bidding_abandoned": "bidding"}
# End states reached through the bid, contract and delivery (test_lifecycle.py walks those services): set directly
# here, the rules look at the status only.
SET_DIRECTLY = {"won", "in_delivery", "delivered", "accepted", "terminated"}
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
    if state in SET_DIRECTLY:
        Project.objects.filter(pk=project.pk).update(status=state)
        return fresh(project.pk)
    if state in ("bidding_abandoned", "lost"):
        services.project_route(actor=owner, project=project, to="bidding")
        bid_services.bid_abandon(actor=owner, bid=fresh(project.pk).bids.get(), reason="流标")
        if state == "lost":
            return services.project_close(actor=owner, project=fresh(project.pk), reason="放弃")
        return fresh(project.pk)
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
        "retender": lambda actor, p: services.project_retender(actor=actor, project=p),
        "close": lambda actor, p: services.project_close(actor=actor, project=p, reason="放弃"),
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
    # other modules' panels on the page (e.g. resources' requests and effort logs) are checked by their own matrix
    return set(re.findall(r'data-action="([a-z_]+)"', response.content.decode())) & set(rules.RULES)


def test_the_rules_cover_every_transition():
    assert set(rules.TRANSITIONS) <= set(rules.RULES)


@pytest.mark.parametrize("state", STATES)
def test_allowed_actions_match_the_services_and_the_page(browser, org, state):
    project = build(org, state)
    assert project.status == STATUS_OF.get(state, state)
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
    assert fresh(project.pk).status == STATUS_OF.get(state, state)  # every attempt was rolled back
    expected = {
        "awaiting_lead": {("head1", "assign_lead"), ("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"),
                          ("rep1", "edit")},
        "feasibility": {("head1", "assign_lead"), ("lead1", "save_feasibility"), ("lead1", "submit_feasibility"),
                        ("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"), ("rep1", "edit")},
        "pending_approval": {(u, a) for u in ("head1",) for a in ("approve", "send_back", "reject")}
        | {("head1", "cancel"), ("rep1", "cancel"), ("head1", "edit"), ("rep1", "edit")},
        "approved": {(u, a) for u in ("head1", "rep1") for a in ("route_implementation", "route_bidding",
                                                                 "route_contract_review", "cancel", "edit")},
        "bidding_abandoned": {(u, a) for u in ("head1", "rep1") for a in ("retender", "close")},
    }.get(state, set())
    assert accepted == expected


@pytest.mark.parametrize("state", ["won", "in_delivery", "delivered", "accepted", "lost", "terminated", "cancelled",
                                   "rejected", "approved", "implementation", "bidding"])
def test_delivery_reports_match_the_rules(org, state):
    """Every delivery event × state × (the integration account and every demo user): the rule ⇔ the service."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from opsmon.accounts.models import User

    monitor = User.objects.create_user(username="monitor", password="x" * 12)
    monitor.groups.add(Group.objects.get(name="integration"))
    monitor = User.objects.get(pk=monitor.pk)
    project = build(org, state) if state not in ("lost",) else build(org, "lost")
    accepted = set()
    for user in [monitor, *(org[u] for u in USERS)]:
        for event in rules.DELIVERY_EVENTS:
            refusal = rules.DELIVERY_RULES[f"report_{event}"](user, fresh(project.pk))
            error = tried(lambda actor, p, e=event: services.project_delivery_event(
                actor=actor, project=p, event=e, at=timezone.now(), percent=50 if e == "progress" else None,
                note="n", source="s"), user, fresh(project.pk))
            assert (refusal is None) is (error is None), (user.username, event, error and error.message)
            if error is not None:
                assert (error.status, error.code) == (refusal.status, refusal.code)
            else:
                accepted.add((user.username, event))
    always = {"halted", "milestone_done"}
    expected = {"won": {"accepted", *always}, "implementation": {"accepted", *always},
                "in_delivery": {"progress", "delivered", *always}, "delivered": {"customer_accepted", *always}}
    assert accepted == {("monitor", e) for e in expected.get(state, set())}
