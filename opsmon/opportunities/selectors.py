"""Reads of opportunities, always narrowed to what the actor may see."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from opsmon.accounts.selectors import department_ids_under
from opsmon.accounts.visibility import head_departments, is_active_user, sees_all_under, union
from opsmon.core.errors import NotFound
from opsmon.core.paging import capped_count

from .models import FollowUp, Opportunity

ORDERINGS = {"created_at", "-created_at", "expected_close_date", "-expected_close_date", "estimated_amount",
             "-estimated_amount", "number", "-number", "title", "-title", "updated_at", "-updated_at"}


@dataclass(frozen=True)
class OpportunityFilters:
    q: str = ""
    status: str = ""
    stage: str = ""
    owner: int | None = None
    department: int | None = None
    industry: str = ""
    region: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    close_from: date | None = None
    close_to: date | None = None
    customer: str = ""  # part of the customer's name
    created_from: date | None = None
    created_to: date | None = None
    mine: bool = False  # owned by the actor
    followup_due: bool = False
    ordering: str = "-created_at"


def visible_opportunities(actor, *, beyond: bool = False, where: Q | None = None):
    """Owner, team, department heads above, see-all roles, and the technical lead of its project (read-only).
    `beyond`: only the parts beyond his own and his departments' records (the dashboards' summaries count
    those from their rows; this part may still hold some of them). `where`: a list's filters, applied inside
    each part of the UNION (visible_opportunity_ids)."""
    if not is_active_user(actor):
        return Opportunity.objects.none()
    if actor.sees_all:
        return Opportunity.objects.filter(where or Q())
    return Opportunity.objects.filter(pk__in=visible_opportunity_ids(actor, beyond=beyond, where=where))


def visible_opportunity_ids(actor, *, beyond: bool = False, where: Q | None = None):
    """The ids of visible_opportunities for someone who does not see all, as a UNION of index lookups. With
    `where`, each part is filtered itself: the UNION then holds only the matching ids, and the list joins those
    back to their rows instead of every visible one (a rep's filtered list read each of his 2,800 rows)."""
    departments = None if beyond else head_departments(actor)
    matching = Opportunity.objects.filter(where or Q())
    team = Opportunity.members.through.objects.filter(user=actor.pk).values("opportunity_id")
    return union(None if beyond else matching.filter(owner=actor.pk).values("pk"),
                 matching.filter(pk__in=team).values("pk") if where else team,  # unfiltered: the index alone
                 matching.filter(project__tech_lead=actor.pk).values("pk"),
                 None if departments is None else matching.filter(department__in=departments).values("pk"))


def _where(actor, f: "OpportunityFilters") -> Q:
    """The list's filters as one condition (no visibility)."""
    where = Q()
    if f.q:
        term = f.q.strip()
        where &= Q(number__icontains=term) | Q(title__icontains=term) | Q(customer__name__icontains=term)
    for field in ("status", "stage", "industry", "region"):
        if getattr(f, field):
            where &= Q(**{field: getattr(f, field)})
    if f.owner:
        where &= Q(owner_id=f.owner)
    if f.department:
        where &= Q(department_id__in=department_ids_under(f.department))
    if f.amount_min is not None:
        where &= Q(estimated_amount__gte=f.amount_min)
    if f.amount_max is not None:
        where &= Q(estimated_amount__lte=f.amount_max)
    if f.close_from:
        where &= Q(expected_close_date__gte=f.close_from)
    if f.close_to:
        where &= Q(expected_close_date__lte=f.close_to)
    if f.customer:
        where &= Q(customer__name__icontains=f.customer.strip())
    if f.created_from:
        where &= Q(created_at__date__gte=f.created_from)
    if f.created_to:
        where &= Q(created_at__date__lte=f.created_to)
    if f.mine:
        where &= Q(owner_id=actor.pk)
    if f.followup_due:
        where &= Q(next_followup_on__lte=timezone.localdate(), status__in=["tracking", "conversion_requested"])
    return where


def _scoped(actor, f: "OpportunityFilters") -> tuple[Q, bool]:
    """(the filters, whether they are the whole scope): filtered to departments he sees whole (a head's own, any
    for a see-all role), the filter is the scope and no visibility UNION is needed."""
    return _where(actor, f), sees_all_under(actor, f.department)


def opportunity_list(*, actor, filters: OpportunityFilters = OpportunityFilters()):
    """The actor's opportunities, filtered and ordered; one query plus prefetches for the page."""
    where, whole = _scoped(actor, filters)
    qs = Opportunity.objects.filter(where) if whole else visible_opportunities(actor, where=where)
    ordering = filters.ordering if filters.ordering in ORDERINGS else "-created_at"
    return qs.select_related("customer", "owner", "department").prefetch_related("members") \
        .order_by(ordering, "-id")


# The columns of one row of the API's list and detail (opportunity_rows).
ROW_FIELDS = ("id", "number", "title", "customer_id", "customer__name", "source", "industry", "region", "stage",
              "probability", "estimated_amount", "currency", "expected_close_date", "description", "status",
              "close_reason", "outcome", "owner_id", "owner__username", "owner__display_name", "department_id",
              "department__name", "next_followup_on", "project__id", "version", "created_at", "updated_at")


def opportunity_rows(ids: list[int]) -> list[dict]:
    """The opportunities `ids` (already narrowed to what the actor may see) as plain values with their team
    (`members`: [(id, username, display name)]), in the order of `ids`. Two queries and no model objects: for a
    page of 50, building the objects (opportunity, customer, owner, department, each member) cost more than
    the queries."""
    found = {row["id"]: {**row, "members": []}
             for row in Opportunity.objects.filter(pk__in=ids).order_by().values(*ROW_FIELDS)}
    team = (Opportunity.members.through.objects.filter(opportunity_id__in=ids).order_by("user__username")
            .values_list("opportunity_id", "user_id", "user__username", "user__display_name"))
    for opportunity_id, *member in team:
        found[opportunity_id]["members"].append(tuple(member))
    return [found[pk] for pk in ids if pk in found]


def opportunity_count(*, actor, filters: OpportunityFilters = OpportunityFilters()) -> tuple[int, bool]:
    """The list's (count, exact), core.paging. A rep's or head's count is the size of the matching ids' UNION
    (unfiltered, read from indexes alone), without joining each id back to its row as counting the list would."""
    if not actor.sees_all and is_active_user(actor):
        where, whole = _scoped(actor, filters)
        if not whole:  # the matching ids' UNION is the list: counted without its rows
            return capped_count(visible_opportunity_ids(actor, where=where))
    return capped_count(opportunity_list(actor=actor, filters=filters))


def opportunity_get(*, actor, pk) -> Opportunity:
    """One opportunity the actor may see, or 404 (never 403: its existence is not disclosed)."""
    try:
        return visible_opportunities(actor).select_related("customer", "owner", "department").get(pk=pk)
    except (Opportunity.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def follow_ups(*, opportunity: Opportunity):
    return FollowUp.objects.filter(opportunity=opportunity).select_related("author").order_by("-happened_on", "-id")


def conversion_queue(*, actor):
    """Requests waiting for this department head's decision."""
    if not actor.has_role("dept_head") or not actor.department_id:
        return Opportunity.objects.none()
    return (Opportunity.objects.filter(status="conversion_requested",
                                       department__path__startswith=actor.department.path)
            .select_related("customer", "owner").order_by("updated_at"))
