"""resources.rules is the one answer: for every request action × every state × every demo user, the action is in
`allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔ the request's page shows its
`data-action` button; a refused action raises the rule's refusal, with its status and code. The project-level
actions (file a request, log effort) likewise, against the project's Resources section."""

import pytest
from django.utils import timezone

from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.projects.models import Project
from opsmon.resources import rules, selectors, services
from opsmon.resources.models import ResourceRequest

from . import factories as f

pytestmark = pytest.mark.django_db

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")

CALLS = {
    "edit": lambda u, r: services.request_update(actor=u, request=r, version=r.version, people=f.PEOPLE),
    "submit": lambda u, r: services.request_submit(actor=u, request=r),
    "approve": lambda u, r: services.request_approve(actor=u, request=r, comment="矩阵"),
    "reject": lambda u, r: services.request_reject(actor=u, request=r, comment="矩阵"),
    "reopen": lambda u, r: services.request_reopen(actor=u, request=r),
}
PROJECT_CALLS = {
    "file_request": lambda u, p: services.request_create(actor=u, project=p, people=f.PEOPLE),
    "log_effort": lambda u, p: services.effort_log(actor=u, project=p, on=timezone.localdate(), days="1",
                                                   kind="business"),
}


def _states(org) -> dict[str, ResourceRequest]:
    project = f.project(org)
    project.members.add(org["rep1b"])
    engineers = f.submitted(org, project, people=f.ENGINEERS)
    states = {
        "draft": f.draft(org, project),
        "in_review": f.submitted(org, project),
        "in_review_step_2": services.request_approve(actor=org["head1"], request=engineers),
        "granted": f.granted(org, project),
        "refused": services.request_reject(actor=org["head1"], request=f.submitted(org, project), comment="否"),
    }
    closed = f.draft(org)
    Project.objects.filter(pk=closed.project_id).update(status="cancelled")
    states["draft_closed_project"] = closed
    return states


def test_request_actions_agree(org, client):
    states = _states(org)
    for state, record in states.items():
        for name in USERS:
            user = org[name]
            try:
                fresh = selectors.request_get(actor=user, pk=record.pk)
            except Exception:  # noqa: BLE001 - not visible: every action is out of reach, the page is 404
                client.force_login(user)
                assert client.get(f"/resources/requests/{record.pk}/").status_code == 404, (state, name)
                continue
            allowed = rules.allowed_actions(user, fresh)
            client.force_login(user)
            shown = buttons(client.get(f"/resources/requests/{record.pk}/").content.decode())
            for action, call in CALLS.items():
                fresh = ResourceRequest.objects.select_related("project").get(pk=record.pk)
                rule = rules.RULES[action](user, fresh)
                error = attempt(lambda u=user, r=fresh, c=call: c(u, r))
                if error is not None and error.code in ("no_route", "no_decider"):
                    error = None  # the routes' answer, not the rules' (a head filing for his own department)
                assert_agrees((action, state, name), allowed=allowed, rule=rule, error=error, shown=shown)


def test_project_actions_agree(org, client):
    open_project = f.project(org)
    open_project.members.add(org["rep1b"])
    closed = f.project(org, "rep2")
    Project.objects.filter(pk=closed.pk).update(status="lost")
    for project in (open_project, Project.objects.get(pk=closed.pk)):
        for name in USERS:
            user = org[name]
            client.force_login(user)
            page = client.get(f"/resources/projects/{project.pk}/")
            if page.status_code == 404:
                continue
            allowed = rules.project_actions(user, project)
            shown = buttons(page.content.decode())
            for action, call in PROJECT_CALLS.items():
                rule = rules.PROJECT_RULES[action](user, project)
                error = attempt(call, user, project)
                assert_agrees((action, project.status, name), allowed=allowed, rule=rule, error=error, shown=shown)
