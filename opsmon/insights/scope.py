"""The records each figure may count: exactly what the module selectors let the viewer see, never more.

Every scope IS its module's selector (visible_opportunities, visible_projects, visible_bids, visible_contracts);
nothing here restates the visibility rule. One thing is added for speed: a figure aggregates over a period, and
when the viewer sees only a few records (up to LIMIT: a finance or legal reviewer, a technical lead) their ids,
read from the selector once, are written into the figure's query, which the database then combines with the
figure's own index (period, covering columns); past LIMIT the selector's UNION stays a subquery. Nothing is kept
between calls nor on the user object. tests/test_scope.py checks, for every demo role, that each scope gives
exactly the records of the rule as DOMAIN.md states it, with and without the id lists."""

from opsmon.accounts.models import Department
from opsmon.accounts.viewer import viewer_of
from opsmon.accounts.visibility import is_active_user
from opsmon.bids.selectors import sees_all_bids, visible_bids
from opsmon.contracts.selectors import visible_contracts
from opsmon.opportunities.selectors import visible_opportunities
from opsmon.projects.selectors import visible_projects

LIMIT = 500  # ids written into a query: a few, or binding them costs more than the subquery they would replace


def _narrowed(visible, sees_all: bool):
    """The selector's records; for a viewer who sees few of them, as a literal list of their ids."""
    if sees_all:
        return visible
    found = list(visible.order_by().values_list("pk", flat=True)[: LIMIT + 1])
    if not found or len(found) > LIMIT:  # none: keep a query that runs (raw SQL takes the figure's ids as SQL)
        return visible
    return visible.model.objects.filter(pk__in=found)


def opportunities(actor):
    return _narrowed(visible_opportunities(actor), viewer_of(actor).sees_all)


def projects(actor):
    return _narrowed(visible_projects(actor), viewer_of(actor).sees_all)


def sees_every_bid(actor) -> bool:
    return is_active_user(actor) and sees_all_bids(actor)


def bids(actor):
    """visible_bids: all for the bid assistant, market head and admin."""
    return _narrowed(visible_bids(actor), sees_every_bid(actor))


def contracts(actor):
    return _narrowed(visible_contracts(actor), viewer_of(actor).sees_all)


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
