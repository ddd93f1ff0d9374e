"""The one visibility rule every selector applies (DOMAIN.md, "Visibility").

- admin and market_head: every record;
- dept_head: records of his department and its sub-departments, plus his own;
- everyone: records he owns or is a team member of;
- callers add what their module grants besides (assigned tech lead, reviewer of a step, ...).

`visible_q` states the rule as one filter. The module selectors (`visible_opportunities`, ...) write it as a
UNION of single-table lookups instead (`union`, `head_departments`): no database uses an index for an OR that
spans joined tables, so the one filter reads the whole table on every request — a second per page at a million
opportunities (bench/RESULTS.md) — while each part of the UNION is one index range. Tests check that both forms
give the same records for every demo user.
"""

from django.db.models import Q, QuerySet, Subquery

from .models import Department


def visible_q(actor, *, owner: str | None = "owner", members: str | None = None,
              department: str | None = "department", extra: Q | None = None) -> Q:
    """A filter for the records `actor` may see; field names are the model's lookups."""
    if not actor or not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    if actor.sees_all:
        return Q()
    q = Q(pk__in=[])
    if owner:
        q |= Q(**{owner: actor.pk})
    if members:
        q |= Q(**{members: actor.pk})
    if department and actor.has_role("dept_head") and actor.department_id:
        q |= Q(**{f"{department}__path__startswith": actor.department.path})
    if extra is not None:
        q |= extra
    return q


def is_active_user(actor) -> bool:
    return bool(actor and actor.is_authenticated and actor.is_active)


def head_departments(actor) -> list[int] | None:
    """A head's department and those under it, as ids; None for anyone else. Ids, not a subquery: PostgreSQL
    estimates `department_id IN (5, 6)` from its statistics of each department, but a subquery as an average
    department (25,000 rows where the demo's has 4,700), and then picks a plan that reads the whole table."""
    if not (actor.has_role("dept_head") and actor.department_id):
        return None
    # Kept on the user object (one request), so a list and its count ask once; the path is read in the same query.
    cached = getattr(actor, "_head_departments", None)
    if cached is None or cached[0] != actor.department_id:
        path = Department.objects.filter(pk=actor.department_id).values("path")[:1]
        cached = (actor.department_id, list(Department.objects.filter(path__startswith=Subquery(path))
                                            .values_list("pk", flat=True)))
        actor._head_departments = cached
    return cached[1]


def union(*parts: QuerySet) -> QuerySet:
    """`parts` (querysets of one id column each) as one UNION, for `pk__in=`; None parts are left out."""
    parts = [p.order_by() for p in parts if p is not None]
    return parts[0].union(*parts[1:])


def is_head_of(actor, department) -> bool:
    """True when `actor` is a department head over `department` (his own or a sub-department)."""
    return bool(
        actor.has_role("dept_head") and actor.department_id and department is not None
        and actor.department.contains(department)
    )
