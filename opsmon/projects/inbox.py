"""Inbox items of the project module: leads to assign, reviews to write or approve, projects to route. The queries
find the candidates; the rules (the one home of "may he do it now") decide, so the inbox never offers an action the
page would not show."""

from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem, provider

from . import rules
from .choices import Route
from .models import Project


def _item(kind, label, p):
    return InboxItem(kind, label, f"{p.number} {p.title}", f"/projects/{p.pk}/", "project", p.pk, p.updated_at)


@provider
def project_items(actor):
    if actor.has_role("dept_head") and actor.department_id:
        mine = Project.objects.filter(department__path__startswith=actor.department.path).select_related("department")
        for p in mine.filter(status="awaiting_lead"):
            if rules.can_assign_lead(actor, p) is None:
                yield _item("project.assign_lead", _("Assign a technical lead"), p)
        for p in mine.filter(status="pending_approval"):
            if rules.can_approve(actor, p) is None:
                yield _item("project.approve_review", _("Approve the feasibility review"), p)
    for p in Project.objects.filter(status="feasibility", tech_lead=actor).select_related("department"):
        if rules.can_save_feasibility(actor, p) is None:
            yield _item("project.write_review", _("Write the feasibility review"), p)
    for p in Project.objects.filter(status="approved", owner=actor).select_related("department"):
        if any(rules.can_route(actor, p, to=to) is None for to in Route.values):
            yield _item("project.route", _("Route the approved project"), p)
