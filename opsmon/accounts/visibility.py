"""The one visibility rule every selector applies (DOMAIN.md, "Visibility").

- admin and market_head: every record;
- dept_head: records of his department and its sub-departments, plus his own;
- everyone: records he owns or is a team member of;
- callers add what their module grants besides (assigned tech lead, reviewer of a step, ...).
"""

from django.db.models import Q, QuerySet


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


def visible_to(queryset: QuerySet, actor, **fields) -> QuerySet:
    """`queryset` narrowed to what `actor` may see (distinct when a to-many relation is involved)."""
    narrowed = queryset.filter(visible_q(actor, **fields))
    return narrowed.distinct() if fields.get("members") else narrowed


def is_head_of(actor, department) -> bool:
    """True when `actor` is a department head over `department` (his own or a sub-department)."""
    return bool(
        actor.has_role("dept_head") and actor.department_id and department is not None
        and actor.department.contains(department)
    )
