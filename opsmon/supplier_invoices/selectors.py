"""Which supplier invoices the actor may see (PROCUREMENT.md "Visibility"; else 404): finance, the procurement
head, the executive and the admin all of them; a purchaser those with a line on an order he owns. Figures of an
order (quantities invoiced per order line, amounts invoiced and verified) are read here too."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, Sum

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_active_user
from opsmon.core.errors import NotFound
from opsmon.purchasing.choices import OrderStatus
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import ReceiptLine

from .models import SupplierInvoice, SupplierInvoiceLine
from .rules import INVOICED, LIVE, may_invoice_order

SEE_ALL = (Role.FINANCE, Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN)
ZERO = Decimal("0.00")
QZERO = Decimal("0")
# Orders an invoice may be recorded on: signed or later, not cancelled (closed orders are settled).
INVOICEABLE = frozenset({OrderStatus.SIGNED, OrderStatus.COMPLETED, OrderStatus.TERMINATED})


def visible_invoices(actor):
    if not is_active_user(actor):
        return SupplierInvoice.objects.none()
    if actor.has_role(*SEE_ALL):
        return SupplierInvoice.objects.all()
    if actor.has_role(Role.PURCHASER):
        return SupplierInvoice.objects.filter(
            pk__in=SupplierInvoiceLine.objects.filter(order_line__order__owner=actor.pk).values("invoice"))
    return SupplierInvoice.objects.none()


@dataclass(frozen=True)
class InvoiceFilters:
    """The filters of the invoice list, one shape for the page and the API."""

    q: str = ""
    status: str = ""
    supplier: int | None = None
    order: int | None = None


def _with_lines(qs):
    return (qs.select_related("supplier", "created_by", "variance_by", "verified_by", "file")
            .prefetch_related(Prefetch("lines", queryset=SupplierInvoiceLine.objects.select_related(
                "order_line", "order_line__order").order_by("id"))))


def invoice_list(*, actor, filters: InvoiceFilters = InvoiceFilters()):
    qs = visible_invoices(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(invoice_number__icontains=f.q) | Q(code__icontains=f.q)
                       | Q(supplier__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.supplier:
        qs = qs.filter(supplier_id=f.supplier)
    if f.order:
        qs = qs.filter(pk__in=SupplierInvoiceLine.objects.filter(order_line__order=f.order).values("invoice"))
    return _with_lines(qs).order_by("-created_at", "-id")


def invoice_get(*, actor, pk) -> SupplierInvoice:
    try:
        return _with_lines(visible_invoices(actor)).get(pk=pk)
    except (SupplierInvoice.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def invoices_of_order(actor, order):
    return invoice_list(actor=actor, filters=InvoiceFilters(order=order.pk))


# --- quantities and figures -----------------------------------------------------------------------------------

def accepted_qty(order_line_ids) -> dict[int, Decimal]:
    """Accepted quantity per order line: receipt lines of accepted receipts."""
    rows = (ReceiptLine.objects.filter(order_line__in=list(order_line_ids), receipt__status=ReceiptStatus.ACCEPTED)
            .values("order_line").annotate(s=Sum("accepted")))
    return {r["order_line"]: r["s"] or QZERO for r in rows}


def invoiced_qty(order_line_ids, *, statuses=LIVE, exclude_invoice=None) -> dict[int, Decimal]:
    lines = SupplierInvoiceLine.objects.filter(order_line__in=list(order_line_ids), invoice__status__in=statuses)
    if exclude_invoice is not None:
        lines = lines.exclude(invoice=exclude_invoice)
    return {r["order_line"]: r["s"] or QZERO for r in lines.values("order_line").annotate(s=Sum("qty"))}


def order_amount(order, statuses) -> Decimal:
    return (SupplierInvoiceLine.objects.filter(order_line__order=order, invoice__status__in=statuses)
            .aggregate(s=Sum("amount"))["s"] or ZERO)


def order_figures(order) -> dict:
    """{"invoiced": matched and verified invoice lines of the order (tax incl.), "verified": verified ones}."""
    return {"invoiced": order_amount(order, INVOICED), "verified": order_amount(order, {"verified"})}


def live_lines_of_order(order):
    return SupplierInvoiceLine.objects.filter(order_line__order=order, invoice__status__in=LIVE)


def invoiceable_lines(actor, supplier):
    """Order lines the actor may put on an invoice of `supplier`: orders of that supplier, signed or later, that
    are his to invoice (rules.may_invoice_order)."""
    orders = PurchaseOrder.objects.filter(supplier=supplier, status__in=INVOICEABLE).select_related("owner")
    ids = [o.pk for o in orders if may_invoice_order(actor, o)]
    return OrderLine.objects.filter(order__in=ids).select_related("order").order_by("order__number", "position",
                                                                                     "id")


def invoiceable_suppliers(actor):
    """Suppliers with an order the actor may invoice."""
    from_orders = PurchaseOrder.objects.filter(status__in=INVOICEABLE)
    if not actor.has_role(Role.PROCUREMENT_HEAD, Role.FINANCE):
        from_orders = from_orders.filter(owner=actor.pk)
    return from_orders.values_list("supplier", flat=True).distinct()
