"""The contract list's department filter, whoever asks."""

import pytest

from opsmon.accounts.models import Department
from opsmon.contracts import selectors
from opsmon.contracts.selectors import ContractFilters

from . import factories

pytestmark = pytest.mark.django_db


def test_a_department_filter_gives_what_he_sees_of_that_department_whoever_asks(org):
    """A filter to departments he sees whole skips the visibility UNION (the filter is the scope, issue 18): for
    every user and every department, the list is still exactly what he sees, inside that department's subtree."""
    factories.routes(org)
    made = [factories.draft(org, owner="rep1"), factories.draft(org, owner="rep2"), factories.submitted(org)]
    departments = list(Department.objects.all())
    for user in ("rep1", "rep2", "head1", "head2", "market1", "finance1", "admin", "lead1"):
        seen = {c.pk: c.department.path for c in selectors.contract_list(actor=org[user])}
        for department in departments:
            expected = {c.pk for c in made if c.pk in seen and seen[c.pk].startswith(department.path)}
            got = {c.pk for c in selectors.contract_list(actor=org[user],
                                                          filters=ContractFilters(department=department.pk))}
            assert got == expected, (user, department.path)
        assert not selectors.contract_list(actor=org[user], filters=ContractFilters(department=987654)).exists()
