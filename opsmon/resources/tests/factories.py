"""Resource requests and logs made through the services, as users would make them."""

from importlib import import_module

from django.apps import apps
from django.utils import timezone

from opsmon.projects.tests.factories import approved_project
from opsmon.resources import selectors, services

PEOPLE = [{"role": "tech_lead", "days": "5"}, {"role": "business", "days": "3.5"}]
ENGINEERS = [{"role": "engineer", "days": "10"}]
BUDGET = [{"kind": "travel", "amount": "8000"}, {"kind": "tender_fees", "amount": "1500.50"}]


def routes():
    """The seeded default routes (a live-server test flushes the database, the data migration's rows with it)."""
    import_module("opsmon.resources.migrations.0002_seed_review_routes").seed(apps, None)


def project(org, owner="rep1"):
    routes()
    return approved_project(org, owner)


def draft(org, project_=None, *, owner="rep1", people=PEOPLE, budget=BUDGET, note="售前资源"):
    project_ = project_ or project(org, owner)
    return services.request_create(actor=org[owner], project=project_, people=people, budget=budget, note=note)


def submitted(org, project_=None, **kw):
    request = draft(org, project_, **kw)
    owner = kw.get("owner", "rep1")
    return services.request_submit(actor=org[owner], request=request)


def granted(org, project_=None, **kw):
    request = submitted(org, project_, **kw)
    while (step := selectors.approval_selectors.current_step(request)) is not None:
        decider = step.deciders.filter(decision="").select_related("user").first().user
        request = services.request_approve(actor=decider, request=request, comment="同意")
    return request


def log(org, project_, *, user="rep1", **kw):
    data = {"on": timezone.localdate(), "days": "1", "kind": "business", "note": "拜访客户", **kw}
    return services.effort_log(actor=org[user], project=project_, **data)
