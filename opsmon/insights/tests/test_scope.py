"""The visibility rule, stated plainly as one filter (accounts.visibility.visible_q), and the two forms that run —
the module selectors' UNIONs and the dashboards' id lists — give exactly the same records for every user."""

import pytest
from django.db.models import Exists, OuterRef, Q

from opsmon.accounts.models import Department, User
from opsmon.accounts.visibility import visible_q
from opsmon.approvals.models import StepDecider
from opsmon.bids.models import Bid
from opsmon.bids.selectors import sees_all_bids, visible_bids
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import visible_contracts
from opsmon.demo import LOADERS
from opsmon.insights import scope
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects.models import Project
from opsmon.projects.selectors import visible_projects
from opsmon.summaries import read
from opsmon.summaries.verify import rebuild

from . import world


# The rule as DOMAIN.md states it, one filter per record type (slow at scale, obviously right).
def plain_opportunities(actor):
    return Opportunity.objects.filter(visible_q(actor, members="members", extra=Q(project__tech_lead=actor.pk)))


def plain_projects(actor):
    return Project.objects.filter(visible_q(actor, members="members", extra=Q(tech_lead=actor.pk)))


def plain_bids(actor):
    if actor.is_active and sees_all_bids(actor):
        return Bid.objects.all()
    scope = Q(opportunity__in=plain_opportunities(actor).values("pk")) | Q(owner=actor.pk)
    # A reviewer reads the bid behind a contract whose review steps he decides.
    reviewed = Contract.objects.filter(Exists(StepDecider.objects.filter(step__review__contract=OuterRef("pk"),
                                                                         user=actor.pk)))
    scope |= Q(pk__in=reviewed.exclude(bid=None).values("bid_id"))
    if actor.has_role("dept_head") and actor.department_id:
        scope |= Q(department__path__startswith=actor.department.path)
    return Bid.objects.filter(scope) if actor.is_active else Bid.objects.none()


def plain_contracts(actor):
    if actor.is_active and actor.has_role("finance"):  # finance sees every contract and its money trail
        return Contract.objects.all()
    decider = Exists(StepDecider.objects.filter(step__review__contract=OuterRef("pk"), user=actor.pk))
    team = Q(opportunity__owner=actor.pk) | Q(opportunity__members=actor.pk)
    return Contract.objects.filter(visible_q(actor, extra=team | decider))


PAIRS = [(scope.opportunities, visible_opportunities, plain_opportunities),
         (scope.projects, visible_projects, plain_projects),
         (scope.bids, visible_bids, plain_bids),
         (scope.contracts, visible_contracts, plain_contracts)]


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.fixture
def records(org):
    for loader in LOADERS[1:]:
        loader()
    w = world.build(org)
    # A bid filed under another department than its opportunity's (the services never do this): the head of
    # the opportunity's department still sees it, through the opportunity.
    Bid.objects.filter(pk=w["B4"].pk).update(department=Department.objects.get(name="销售二部"))
    rebuild()  # moved behind the services' back: the summaries' record of such bids repaired
    return org


@pytest.mark.parametrize("limit", [read.LIMIT, -1], ids=["id lists", "unions"])
def test_every_scope_is_exactly_the_selectors_for_every_user(records, monkeypatch, limit):
    monkeypatch.setattr(read, "LIMIT", limit)
    for user in User.objects.select_related("department"):
        for dashboard, selector, plain in PAIRS:
            expected = ids(plain(user))
            assert ids(selector(user)) == expected, (user.username, selector.__name__)
            assert ids(dashboard(user)) == expected, (user.username, dashboard.__name__)
    inactive = User.objects.get(username="rep2")
    inactive.is_active = False
    for forms in PAIRS:
        for form in forms:
            assert ids(form(inactive)) == set()


def test_the_scopes_are_not_trivially_everything(records):
    everything = ids(scope.opportunities(records["market1"]))
    assert ids(scope.opportunities(records["rep1"])) < everything
    assert ids(scope.opportunities(records["head2"])) < everything
    assert ids(scope.contracts(records["finance1"]))  # a decider of review steps sees those contracts
    assert not ids(scope.opportunities(records["finance1"]))
    assert Bid.objects.get(department__name="销售二部", opportunity__department__name="销售一部").pk in ids(
        scope.bids(User.objects.get(username="head1")))
