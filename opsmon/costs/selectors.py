"""Whose numbers the procurement dashboards count (PROCUREMENT.md "Visibility", "dashboards"):

- procurement_head, executive, admin and finance: every purchase order and the projects' figures;
- the market head sees aggregates only (PROCUREMENT.md): every figure, but no record behind it (no click-through);
- a purchaser the orders he owns;
- a department head the orders and purchase requests of the projects of his department subtree;
- anyone else: no dashboard (403).

A contract's margin is read by whoever sees the contract (contracts.selectors.visible_contracts; else 404)."""

from django.db.models import Q

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import head_departments, is_active_user
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import visible_contracts
from opsmon.core.errors import NotFound, PermissionDenied
from opsmon.procurement.models import PurchaseRequest
from opsmon.projects.models import Project
from opsmon.purchasing.models import PurchaseOrder

SEE_ALL = (Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN, Role.FINANCE, Role.MARKET_HEAD)
DASHBOARD_ROLES = (*SEE_ALL, Role.PURCHASER, Role.DEPT_HEAD)
# Roles that see the figures but open no record behind them.
AGGREGATES_ONLY = (Role.MARKET_HEAD,)


def sees_dashboards(actor) -> bool:
    return is_active_user(actor) and actor.has_role(*DASHBOARD_ROLES)


def sees_everything(actor) -> bool:
    return is_active_user(actor) and actor.has_role(*SEE_ALL)


def opens_records(actor) -> bool:
    """Whether the dashboards link to the records behind the figures (not for the market head: aggregates only)."""
    return is_active_user(actor) and actor.has_role(*(r for r in DASHBOARD_ROLES if r not in AGGREGATES_ONLY))


def require_dashboards(actor) -> None:
    if not sees_dashboards(actor):
        raise PermissionDenied()


def _headed(actor):
    return head_departments(actor) if actor.has_role(Role.DEPT_HEAD) else None


def visible_orders(actor):
    """The purchase orders whose numbers `actor`'s dashboards count."""
    if not sees_dashboards(actor):
        return PurchaseOrder.objects.none()
    if sees_everything(actor):
        return PurchaseOrder.objects.all()
    q = Q(pk__in=[])
    if actor.has_role(Role.PURCHASER):
        q |= Q(owner=actor.pk)
    departments = _headed(actor)
    if departments is not None:
        q |= Q(project__department__in=departments)
    return PurchaseOrder.objects.filter(q)


def visible_requests(actor):
    """The purchase requests whose estimates count in the viewer's commitments: all for the see-all roles, a
    department head's projects' (a purchaser counts his orders only)."""
    if sees_everything(actor):
        return PurchaseRequest.objects.all()
    departments = _headed(actor) if sees_dashboards(actor) else None
    if departments is None:
        return PurchaseRequest.objects.none()
    return PurchaseRequest.objects.filter(project__department__in=departments)


def visible_project_ids(actor) -> set[int]:
    """The projects the viewer's project figures cover: those of his orders and requests."""
    ids = set(visible_orders(actor).exclude(project=None).values_list("project", flat=True).distinct())
    ids |= set(visible_requests(actor).exclude(project=None).values_list("project", flat=True).distinct())
    return ids


def projects(ids):
    return Project.objects.filter(pk__in=list(ids)).select_related("department")


def contract_get(*, actor, pk) -> Contract:
    """A contract the actor sees (contracts' own rule), else 404."""
    try:
        return visible_contracts(actor).select_related("project").get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
