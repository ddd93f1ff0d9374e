"""The visibility matrix with the demo users, and the list filters."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.core.errors import NotFound
from opsmon.opportunities import selectors, services
from opsmon.opportunities.selectors import OpportunityFilters

from . import factories


def visible(actor, **filters):
    return {o.title for o in selectors.opportunity_list(actor=actor, filters=OpportunityFilters(**filters))}


@pytest.fixture
def book(org):
    """rep1's (with rep1b on the team), rep1b's own, and rep2's opportunity."""
    return {
        "a": factories.opportunity(org["rep1"], title="A", member_ids=[org["rep1b"].pk], estimated_amount="100"),
        "b": factories.opportunity(org["rep1b"], title="B", estimated_amount="5000", industry="finance"),
        "c": factories.opportunity(org["rep2"], title="C", estimated_amount="90000", region="440000"),
    }


@pytest.mark.parametrize(("user", "sees"), [
    ("rep1", {"A"}), ("rep1b", {"A", "B"}), ("rep2", {"C"}), ("head1", {"A", "B"}), ("head2", {"C"}),
    ("market1", {"A", "B", "C"}), ("admin", {"A", "B", "C"}), ("lead1", set()), ("assistant1", set()),
    ("finance1", set()),
])
def test_who_sees_which_opportunity(org, book, user, sees):
    assert visible(org[user]) == sees


def test_rep2_and_head2_get_404_for_rep1s_opportunity(org, book):
    for user in ("rep2", "head2", "lead1"):
        with pytest.raises(NotFound):
            selectors.opportunity_get(actor=org[user], pk=book["a"].pk)
    assert selectors.opportunity_get(actor=org["head1"], pk=book["a"].pk) == book["a"]


def test_filters(org, book):
    admin = org["admin"]
    assert visible(admin, q="B") == {"B"}
    assert visible(admin, q=book["c"].number) == {"C"}
    assert visible(admin, q=book["c"].customer.name) == {"C"}
    assert visible(admin, amount_min=Decimal("1000"), amount_max=Decimal("10000")) == {"B"}
    assert visible(admin, industry="finance") == {"B"}
    assert visible(admin, region="440000") == {"C"}
    assert visible(admin, owner=org["rep2"].pk) == {"C"}
    assert visible(admin, department=org["rep1"].department.parent_id) == {"A", "B", "C"}
    assert visible(admin, department=org["rep2"].department_id) == {"C"}
    services.opportunity_close(actor=org["head2"], opportunity=book["c"], reason="lost")
    assert visible(admin, status="closed") == {"C"}
    later = timezone.localdate() + timedelta(days=365)
    assert visible(admin, close_from=later) == set()


def test_ordering(org, book):
    titles = [o.title for o in selectors.opportunity_list(
        actor=org["admin"], filters=OpportunityFilters(ordering="-estimated_amount"))]
    assert titles == ["C", "B", "A"]
    unknown = [o.title for o in selectors.opportunity_list(
        actor=org["admin"], filters=OpportunityFilters(ordering="owner__password"))]
    assert unknown == ["C", "B", "A"]  # unknown orderings fall back to newest first


def test_list_has_no_duplicates_when_the_head_is_also_on_the_team(org):
    factories.opportunity(org["rep1"], title="T", member_ids=[org["head1"].pk])
    titles = [o.title for o in selectors.opportunity_list(actor=org["head1"])]
    assert titles == ["T"]


def test_conversion_queue_shows_the_heads_department_only(org, book):
    services.opportunity_request_conversion(actor=org["rep1"], opportunity=book["a"], comment="请审批")
    services.opportunity_request_conversion(actor=org["rep2"], opportunity=book["c"], comment="请审批")
    assert [o.title for o in selectors.conversion_queue(actor=org["head1"])] == ["A"]
    assert [o.title for o in selectors.conversion_queue(actor=org["head2"])] == ["C"]
    assert list(selectors.conversion_queue(actor=org["rep1"])) == []


def test_a_department_filter_gives_what_he_sees_of_that_department_whoever_asks(org, book):
    """A filter to departments he sees whole skips the visibility UNION (the filter is the scope, issue 18): for
    every user and every department, the list is still exactly what he sees, inside that department's subtree."""
    from opsmon.accounts.models import Department

    departments = list(Department.objects.all())
    for user in ("rep1", "rep1b", "rep2", "head1", "head2", "market1", "admin", "lead1", "finance1"):
        seen = {o.pk: o.department.path for o in selectors.opportunity_list(actor=org[user])}
        for department in departments:
            expected = {t for t, o in (("A", book["a"]), ("B", book["b"]), ("C", book["c"]))
                        if o.pk in seen and seen[o.pk].startswith(department.path)}
            assert visible(org[user], department=department.pk) == expected, (user, department.path)
        assert visible(org[user], department=987654) == set()


def test_filters_inside_the_visibility_union_give_what_he_sees_that_matches(org, book):
    """The filters are applied in each part of the UNION (issue 18): for every user, a filtered list (and its
    count) is exactly his unfiltered list narrowed by the same filters as the admin gets them."""
    filter_sets = [{"industry": "finance"}, {"amount_min": Decimal("1000")}, {"q": "A"}, {"status": "tracking"},
                   {"region": "440000"}, {"mine": True}, {"amount_max": Decimal("10")}]
    for user in ("rep1", "rep1b", "rep2", "head1", "head2", "market1", "lead1"):
        mine = visible(org[user])
        for filters in filter_sets:
            expected = mine & visible(org["admin"], **filters)
            if filters == {"mine": True}:
                expected = {o.title for o in book.values() if o.owner_id == org[user].pk}
            assert visible(org[user], **filters) == expected, (user, filters)
            count, exact = selectors.opportunity_count(actor=org[user], filters=OpportunityFilters(**filters))
            assert (count, exact) == (len(expected), True), (user, filters)
