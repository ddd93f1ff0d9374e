"""The records each figure may count: exactly what the module selectors let the viewer see, never more.

Every scope is its module's selector (visible_opportunities, visible_projects, visible_bids, visible_contracts),
split as the summaries read it (summaries.read.Scope): his own records and his departments' as plain filters on
owner and department (which the database answers from the record's own indexes, beside the figure's period),
and the few he sees for another reason (a team, a project he leads, a review step) as their ids. Nothing here
restates the visibility rule. tests/test_scope.py checks, for every demo role, that each scope gives exactly
the records of the rule as DOMAIN.md states it.
"""

from opsmon.accounts.models import Department
from opsmon.accounts.viewer import viewer_of
from opsmon.accounts.visibility import is_active_user
from opsmon.bids.models import Bid
from opsmon.bids.selectors import sees_all_bids
from opsmon.contracts.models import Contract
from opsmon.opportunities.models import Opportunity
from opsmon.projects.models import Project
from opsmon.summaries.read import scope_of


def opportunities(actor):
    return Opportunity.objects.filter(scope_of(actor, "opportunities").q())


def projects(actor):
    return Project.objects.filter(scope_of(actor, "projects").q())


def sees_every_bid(actor) -> bool:
    return is_active_user(actor) and sees_all_bids(actor)


def bids(actor):
    """visible_bids: all for the bid assistant, market head and admin."""
    return Bid.objects.filter(scope_of(actor, "bids").q())


def contracts(actor):
    return Contract.objects.filter(scope_of(actor, "contracts").q())


def departments(actor):
    """The departments the viewer may pick as a filter: all for the roles that see all records, a head's own
    department and everything under it, anyone else his own department."""
    viewer = viewer_of(actor)
    if not is_active_user(viewer):
        return Department.objects.none()
    everything = Department.objects.filter(active=True).order_by("path")
    if viewer.sees_all or sees_all_bids(viewer):
        return everything
    if viewer.department_id is None:
        return Department.objects.none()
    if viewer.head_departments is not None:
        return everything.filter(pk__in=viewer.head_departments)
    return everything.filter(pk=viewer.department_id)
