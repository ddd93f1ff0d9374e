"""Which purchase orders the actor may see (PROCUREMENT.md "Visibility"; else 404):

- the purchaser his own orders;
- procurement_head, executive, admin and finance all;
- an inspector the orders of his receipts (receiving's `Receipt.inspector`, read through the reverse relation);
- requesters and department heads the orders of projects they can see (projects.selectors.visible_projects; the
  market head sees aggregates only);
- the deciders of an order's review rounds (its own and its amendments') that order.

Figures (received / invoiced / paid, accepted per line) come from the higher modules through purchasing.hooks."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_active_user
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import NotFound
from opsmon.projects.selectors import visible_projects

from . import hooks
from .models import OrderLine, OrderMilestone, PurchaseOrder

SEE_ALL = (Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN, Role.FINANCE)
ZERO = Decimal("0.00")


def visible_orders(actor):
    if not is_active_user(actor):
        return PurchaseOrder.objects.none()
    if actor.has_role(*SEE_ALL):
        return PurchaseOrder.objects.all()
    q = Q(owner=actor.pk) | Q(pk__in=approval_selectors.decided_records(actor, PurchaseOrder))
    if actor.has_role(Role.INSPECTOR):
        q |= Q(pk__in=PurchaseOrder.objects.filter(receipts__inspector=actor.pk).values("pk"))
    if not actor.has_role(Role.MARKET_HEAD):
        q |= Q(project__in=visible_projects(actor).values("pk"))
    return PurchaseOrder.objects.filter(q)


@dataclass(frozen=True)
class OrderFilters:
    """The filters of the order list, one shape for the page and the API."""

    q: str = ""
    status: str = ""
    supplier: int | None = None
    project: int | None = None
    mine: bool = False


def with_lines(qs):
    return (qs.select_related("supplier", "project", "contract", "owner", "department", "sourcing", "signed_file")
            .prefetch_related(Prefetch("lines", queryset=OrderLine.objects.order_by("position", "id")),
                              Prefetch("milestones", queryset=OrderMilestone.objects.order_by("position", "id"))))


def order_list(*, actor, filters: OrderFilters = OrderFilters()):
    qs = visible_orders(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(title__icontains=f.q) | Q(supplier__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.supplier:
        qs = qs.filter(supplier_id=f.supplier)
    if f.project:
        qs = qs.filter(project_id=f.project)
    if f.mine:
        qs = qs.filter(owner=actor.pk)
    return with_lines(qs).order_by("-created_at", "-id")


def order_get(*, actor, pk) -> PurchaseOrder:
    try:
        return with_lines(visible_orders(actor)).get(pk=pk)
    except (PurchaseOrder.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- figures from the higher modules ------------------------------------------------------------------------

def figures(order: PurchaseOrder) -> dict:
    """received / invoiced / paid / paid_excl_retention (tax incl.) added up from `hooks.figures`; missing ones 0."""
    out = {"received": ZERO, "invoiced": ZERO, "paid": ZERO, "paid_excl_retention": ZERO}
    for answer in hooks.figures(order=order):
        for key, value in (answer or {}).items():
            if isinstance(value, Decimal | int):  # amounts; other keys (receiving's quantities) are not summed
                out[key] = out.get(key, ZERO) + value
    return out


def degree(value: Decimal, total: Decimal) -> str:
    """none | partial | full of a figure against the order's total."""
    if not value or value <= 0:
        return "none"
    return "full" if value >= total else "partial"


def accepted_of(order: PurchaseOrder) -> dict[int, Decimal]:
    """Accepted quantity per order line id (`hooks.accepted`, summed; a line nobody names has 0)."""
    out: dict[int, Decimal] = {}
    for answer in hooks.accepted(order=order):
        for line_id, qty in (answer or {}).items():
            out[line_id] = out.get(line_id, Decimal("0")) + (qty or Decimal("0"))
    return out
