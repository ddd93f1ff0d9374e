"""Integration accounts and handed-off projects, made through the services."""

from django.contrib.auth.models import Group
from django.utils import timezone

from opsmon.accounts.roles import Role
from opsmon.contracts import services as contracts
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import decide_all, routes, signed_copy, terms
from opsmon.integrations import services
from opsmon.integrations.models import Handoff
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import approved_project


def account(org, username="pms", display_name="项目监控系统", **kw):
    # conftest.ensure_reference_data re-seeds only the roles of accounts 0002 after a transactional test's flush;
    # the integration role comes from 0003.
    Group.objects.get_or_create(name=Role.INTEGRATION)
    return services.account_create(actor=org["admin"], username=username, display_name=display_name, **kw)


def token(org, acct) -> str:
    return services.account_token_issue(actor=org["admin"], account=acct)[0]


def signed_project(org, owner="rep1"):
    """A project routed to contract review whose contract (two milestones) is signed: the project is won and
    handed off. Answers (project, contract)."""
    routes(org)
    rep = org[owner]
    project = approved_project(org, owner)
    contract = Contract.objects.get(pk=projects.project_route(actor=rep, project=project,
                                                              to="contract_review")["contract_id"])
    data = terms(amount=f"{project.estimated_amount:.2f}")
    contract = contracts.contract_update(actor=rep, contract=contract, version=contract.version, **data)
    contract = decide_all(contracts.contract_submit(actor=rep, contract=contract))
    contract = contracts.contract_sign(actor=rep, contract=contract, signed_on=timezone.localdate(),
                                       signed_copy=signed_copy())
    project.refresh_from_db()
    return project, contract


def implementation_project(org, owner="rep1"):
    """A project routed to implementation (handed off without a contract)."""
    project = approved_project(org, owner)
    projects.project_route(actor=org[owner], project=project, to="implementation")
    project.refresh_from_db()
    return project


def handoff_of(acct, project) -> Handoff:
    return Handoff.objects.filter(account=acct, project=project).order_by("-created_at").first()
