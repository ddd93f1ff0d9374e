"""The one visibility rule every selector applies (DOMAIN.md, "Visibility").

- admin, market_head and executive (read-only: he decides nothing): every record;
- dept_head: records of his department and its sub-departments, plus his own;
- everyone: records he owns or is a team member of;
- callers add what their module grants besides (assigned tech lead, reviewer of a step, ...).

`visible_q` states the rule as one filter. The module selectors (`visible_opportunities`, ...) write it as a
UNION of single-table lookups instead (`union`, `head_departments`): no database uses an index for an OR that
spans joined tables, so the one filter reads the whole table on every request — a second per page at a million
opportunities (bench/RESULTS.md) — while each part of the UNION is one index range. Tests check that both forms
give the same records for every demo user.

Every function here reads the actor's `Viewer` (accounts.viewer: roles, department, the departments he heads,
resolved once per request); callers may pass a User or a Viewer.
"""

from django.db.models import Q, QuerySet

from opsmon.core import filter_choices

from .viewer import Viewer, viewer_of


def visible_q(actor, *, owner: str | None = "owner", members: str | None = None,
              department: str | None = "department", extra: Q | None = None) -> Q:
    """A filter for the records `actor` may see; field names are the model's lookups."""
    viewer = viewer_of(actor)
    if not _active(viewer):
        return Q(pk__in=[])
    if viewer.sees_all:
        return Q()
    q = Q(pk__in=[])
    if owner:
        q |= Q(**{owner: viewer.pk})
    if members:
        q |= Q(**{members: viewer.pk})
    if department and viewer.head_departments is not None:
        q |= Q(**{f"{department}__path__startswith": viewer.department_path})
    if extra is not None:
        q |= extra
    return q


def sees_all_under(actor, department) -> bool:
    """True when `actor` sees every record of department `department` (an id; None: no department) and those under
    it: a see-all role, or the head of it or of a department above it. A list filtered to such departments needs
    no visibility UNION (the filter is the scope, and one index range): a head's department list read his whole
    UNION before (issue 18)."""
    viewer = viewer_of(actor)
    path = filter_choices.department_path(department) if department else None
    if not _active(viewer) or not path:
        return False
    return viewer.sees_all or (viewer.head_departments is not None and path.startswith(viewer.department_path))


def _active(viewer: Viewer) -> bool:
    return viewer.is_authenticated and viewer.is_active


def is_active_user(actor) -> bool:
    return bool(actor) and _active(viewer_of(actor))


def head_departments(actor) -> list[int] | None:
    """A head's department and those under it, as ids; None for anyone else. Ids, not a subquery: PostgreSQL
    estimates `department_id IN (5, 6)` from its statistics of each department, but a subquery as an average
    department (25,000 rows where the demo's has 4,700), and then picks a plan that reads the whole table.
    Read once per request with the viewer (accounts.viewer), so a list and its count ask once."""
    departments = viewer_of(actor).head_departments
    return None if departments is None else list(departments)


def union(*parts: QuerySet) -> QuerySet:
    """`parts` (querysets of one id column each) as one UNION, for `pk__in=`; None parts are left out."""
    parts = [p.order_by() for p in parts if p is not None]
    return parts[0].union(*parts[1:])


def is_head_of(actor, department) -> bool:
    """True when `actor` is a department head over `department` (his own or a sub-department)."""
    return viewer_of(actor).heads(department)
