"""Reads of projects, narrowed to what the actor may see (the assigned lead sees his projects too)."""

from dataclasses import dataclass

from django.db.models import Q

from opsmon.accounts.visibility import head_departments, is_active_user, union
from opsmon.core.errors import NotFound

from . import hooks
from .models import FeasibilityReview, Project

ORDERINGS = {"created_at", "-created_at", "number", "-number", "estimated_amount", "-estimated_amount",
             "updated_at", "-updated_at"}


def visible_projects(actor, *, beyond: bool = False):
    """Owner, team, the assigned lead, department heads above, see-all roles (a UNION of index lookups: see
    accounts.visibility). `beyond`: as visible_opportunities."""
    if not is_active_user(actor):
        return Project.objects.none()
    if actor.sees_all:
        return Project.objects.all()
    departments = None if beyond else head_departments(actor)
    return Project.objects.filter(pk__in=union(
        Project.objects.filter(Q(tech_lead=actor.pk) if beyond else Q(owner=actor.pk) | Q(tech_lead=actor.pk))
        .values("pk"),
        Project.members.through.objects.filter(user=actor.pk).values("project_id"),
        None if departments is None else Project.objects.filter(department__in=departments).values("pk")))


@dataclass(frozen=True)
class ProjectFilters:
    """The filters of the project list, one shape for the page (ProjectFilterForm.filters()) and the API
    (ListParams.filters()), so the two cannot filter differently."""

    q: str = ""
    status: str = ""
    tech_lead: int | None = None
    ordering: str = "-created_at"


def project_list(*, actor, filters: ProjectFilters = ProjectFilters()):
    qs = visible_projects(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q) | Q(customer__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.tech_lead:
        qs = qs.filter(tech_lead_id=f.tech_lead)
    ordering = f.ordering if f.ordering in ORDERINGS else "-created_at"
    return (qs.select_related("customer", "owner", "department", "tech_lead", "opportunity")
            .prefetch_related("members").order_by(ordering, "-id"))


def project_get(*, actor, pk) -> Project:
    try:
        return (visible_projects(actor).select_related("customer", "owner", "department", "tech_lead", "opportunity")
                .get(pk=pk))
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def review_of(project: Project) -> FeasibilityReview | None:
    return FeasibilityReview.objects.filter(project=project).select_related("author").first()


def handoff_status(project: Project) -> str | None:
    """For a project handed to implementation: delivered / pending / failed / None (no endpoint listens)."""
    return hooks.handoff_state.one(project=project)
