"""The executive (企业负责人, demo user ceo1) sees every record and decides nothing (issue 20, item 15).

Walks every record type of the demo data: he sees all of them (the same records as the market head), and every
module's `allowed_actions` answers nothing for him; the pages show him no action button and the API refuses an
action with 403."""

import re

import pytest
from django.utils import timezone

from opsmon.approvals import rules as approval_rules
from opsmon.approvals.models import ReviewStep
from opsmon.bids import rules as bid_rules
from opsmon.bids.models import Bid, Bond
from opsmon.bids.selectors import visible_bids
from opsmon.contracts import rules as contract_rules
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import visible_contracts
from opsmon.customers import rules as customer_rules
from opsmon.customers.models import Customer
from opsmon.demo import LOADERS
from opsmon.guarantees import rules as guarantee_rules
from opsmon.guarantees.models import GuaranteeLetter
from opsmon.opportunities import rules as opportunity_rules
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects import rules as project_rules
from opsmon.projects.models import Project
from opsmon.projects.selectors import visible_projects
from opsmon.receivables import rules as receivable_rules
from opsmon.resources import rules as resource_rules
from opsmon.resources.models import ResourceRequest


@pytest.fixture
def demo(org):
    for loader in LOADERS[1:]:
        loader()
    return org


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_executive_sees_every_record(demo):
    ceo = demo["ceo1"]
    assert ceo.sees_all
    assert ids(visible_opportunities(ceo)) == ids(Opportunity.objects.all()) != set()
    assert ids(visible_projects(ceo)) == ids(Project.objects.all()) != set()
    assert ids(visible_bids(ceo)) == ids(Bid.objects.all()) != set()
    assert ids(visible_contracts(ceo)) == ids(Contract.objects.all()) != set()


def test_the_executive_may_do_nothing_to_any_record(demo):
    ceo = demo["ceo1"]
    walked = {}
    checks = [
        (Opportunity, opportunity_rules.allowed_actions),
        (Project, project_rules.allowed_actions),
        (Project, resource_rules.project_actions),
        (Bid, bid_rules.allowed_actions),
        (Bond, bid_rules.bond_allowed_actions),
        (Contract, contract_rules.allowed_actions),
        (Contract, receivable_rules.allowed_actions),
        (Customer, customer_rules.allowed_actions),
        (GuaranteeLetter, guarantee_rules.allowed_actions),
        (ResourceRequest, resource_rules.allowed_actions),
    ]
    for model, allowed_actions in checks:
        records = list(model.objects.all())
        walked[f"{model.__name__}:{allowed_actions.__module__}"] = len(records)
        for record in records:
            assert allowed_actions(ceo, record) == [], (model.__name__, record.pk)
        # a role that acts on them does get actions on some of them: the walk can fail
    for step in ReviewStep.objects.select_related("review").prefetch_related("deciders"):
        assert approval_rules.can_decide(ceo, step) is not None, step.pk
    assert all(walked[k] for k in walked if not k.startswith(("GuaranteeLetter", "ResourceRequest"))), walked
    market = demo["market1"]  # the same walk for a role that does act: proves the walk can fail
    assert any(customer_rules.allowed_actions(market, c) for c in Customer.objects.all())


PAGES = {"opportunities": Opportunity, "projects": Project, "bids": Bid, "contracts": Contract,
         "customers": Customer}


@pytest.mark.parametrize("prefix", list(PAGES))
def test_detail_pages_show_the_executive_no_action(client, demo, prefix):
    client.force_login(demo["ceo1"])
    records = list(PAGES[prefix].objects.order_by("pk")[:15])
    assert records
    for record in records:
        response = client.get(f"/{prefix}/{record.pk}/")
        assert response.status_code == 200, (prefix, record.pk)
        actions = re.findall(r'data-action="([^"]+)"', response.content.decode())
        assert actions == [], (prefix, record.pk, actions)


def test_the_api_gives_the_executive_no_action_and_refuses_one(client, demo):
    client.force_login(demo["ceo1"])
    opportunity = Opportunity.objects.filter(status="tracking").first()
    answer = client.get(f"/api/v1/opportunities/{opportunity.pk}").json()
    assert answer["allowed_actions"] == []
    before = opportunity.follow_ups.count()
    response = client.post(f"/api/v1/opportunities/{opportunity.pk}/follow-ups", {
        "happened_at": timezone.localdate().isoformat(), "kind": "call", "note": "询问进展"},
        content_type="application/json")
    assert response.status_code == 403, response.content
    assert opportunity.follow_ups.count() == before


@pytest.mark.parametrize("path", ["/customers/new/", "/opportunities/new/"])
def test_the_executive_gets_no_create_form_by_url(client, demo, path):
    """He records nothing: the form is refused as the POST is, rather than filled in and refused at the end."""
    client.force_login(demo["ceo1"])
    assert client.get(path).status_code == 403
    client.force_login(demo["rep1"])
    assert client.get(path).status_code == 200
