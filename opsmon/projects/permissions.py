"""Who may act on a project (DOMAIN.md): heads decide, the assigned lead reviews, the owner routes."""

from opsmon.accounts.visibility import is_head_of

from .models import Project


def is_head(actor, project: Project) -> bool:
    return is_head_of(actor, project.department)


def is_lead(actor, project: Project) -> bool:
    return project.tech_lead_id is not None and project.tech_lead_id == actor.pk


def can_route(actor, project: Project) -> bool:
    return actor.pk == project.owner_id or is_head(actor, project)
