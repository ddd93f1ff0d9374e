"""The dashboards' scopes (filters an index can answer) give exactly the records of the module selectors."""

import pytest

from opsmon.accounts.models import Department, User
from opsmon.bids.models import Bid
from opsmon.bids.selectors import visible_bids
from opsmon.contracts.selectors import visible_contracts
from opsmon.core.management.commands.demo import LOADERS
from opsmon.insights import scope
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects.selectors import visible_projects

from . import world

PAIRS = [(scope.opportunities, visible_opportunities), (scope.projects, visible_projects),
         (scope.bids, visible_bids), (scope.contracts, visible_contracts)]


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
    return org


@pytest.mark.parametrize("limit", [scope.LIMIT, -1], ids=["id lists", "unions"])
def test_every_scope_is_exactly_the_selectors_for_every_user(records, monkeypatch, limit):
    monkeypatch.setattr(scope, "LIMIT", limit)
    for user in User.objects.select_related("department"):
        for ours, theirs in PAIRS:
            assert ids(ours(user)) == ids(theirs(user)), (user.username, ours.__name__)
    inactive = User.objects.get(username="rep2")
    inactive.is_active = False
    for ours, _ in PAIRS:
        assert ids(ours(inactive)) == set()


def test_the_scopes_are_not_trivially_everything(records):
    everything = ids(scope.opportunities(records["market1"]))
    assert ids(scope.opportunities(records["rep1"])) < everything
    assert ids(scope.opportunities(records["head2"])) < everything
    assert ids(scope.contracts(records["finance1"]))  # a decider of review steps sees those contracts
    assert not ids(scope.opportunities(records["finance1"]))
    assert Bid.objects.get(department__name="销售二部", opportunity__department__name="销售一部").pk in ids(
        scope.bids(User.objects.get(username="head1")))
