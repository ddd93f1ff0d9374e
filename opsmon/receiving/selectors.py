"""Which receipts the actor may see (PROCUREMENT.md "Visibility"; else 404): the inspector his receipts, and
whoever sees the order (purchasing.selectors.visible_orders: its purchaser, finance, the procurement head, the
executive, the admin, the requesters of its project ...) the order's receipts.

The order's figures are read here too: accepted and pending quantities per order line (the limit of a new
delivery), the accepted value (tax incl., at the order's prices) and the late lines of the daily reminder."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q, Sum

from opsmon.accounts.visibility import is_active_user
from opsmon.core.errors import NotFound
from opsmon.purchasing import selectors as order_selectors
from opsmon.purchasing.models import OrderLine

from .choices import ReceiptStatus
from .models import Receipt, ReceiptLine
from .rules import PENDING

ZERO = Decimal("0")
CENT = Decimal("0.01")


def visible_receipts(actor):
    if not is_active_user(actor):
        return Receipt.objects.none()
    return Receipt.objects.filter(Q(inspector=actor.pk)
                                  | Q(order__in=order_selectors.visible_orders(actor).values("pk")))


@dataclass(frozen=True)
class ReceiptFilters:
    """The filters of the receipt list, one shape for the page and the API."""

    q: str = ""
    status: str = ""
    order: int | None = None
    mine: bool = False       # waiting for my inspection or recorded by me


def _with_lines(qs):
    return (qs.select_related("order__supplier", "order__owner", "inspector", "created_by")
            .prefetch_related(Prefetch("lines", queryset=ReceiptLine.objects.select_related("order_line")
                                       .order_by("order_line__position", "id"))))


def receipt_list(*, actor, filters: ReceiptFilters = ReceiptFilters()):
    qs = visible_receipts(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(order__number__icontains=f.q) | Q(order__title__icontains=f.q)
                       | Q(order__supplier__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.order:
        qs = qs.filter(order_id=f.order)
    if f.mine:
        qs = qs.filter(Q(inspector=actor.pk) | Q(created_by=actor.pk))
    return _with_lines(qs).order_by("-created_at", "-id")


def receipt_get(*, actor, pk) -> Receipt:
    try:
        return _with_lines(visible_receipts(actor)).get(pk=pk)
    except (Receipt.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def order_get(*, actor, pk):
    """The order through purchasing's visibility (404 outside it)."""
    found = (order_selectors.visible_orders(actor).filter(pk=pk).select_related("supplier", "owner").first()
             if str(pk).isdigit() else None)
    if found is None:
        raise NotFound()
    return found


def receipts_of(order, *, actor=None):
    """The order's receipts (those `actor` may see, when given), newest first."""
    qs = visible_receipts(actor) if actor is not None else Receipt.objects.all()
    return _with_lines(qs.filter(order=order)).order_by("-created_at", "-id")


def waiting_for(actor):
    """Receipts waiting for `actor`'s inspection."""
    return Receipt.objects.filter(inspector=actor.pk, status=ReceiptStatus.INSPECTING).select_related(
        "order__supplier").order_by("updated_at", "id")


# --- quantities and values ---------------------------------------------------------------------------------------

def _sum_by_line(lines, field: str) -> dict[int, Decimal]:
    return {r["order_line"]: r["s"] for r in lines.values("order_line").annotate(s=Sum(field))}


def accepted_qty(order, *, exclude=None) -> dict[int, Decimal]:
    """{order_line_id: accepted quantity} over the order's accepted receipts (every line, 0 when none)."""
    lines = ReceiptLine.objects.filter(receipt__order=order, receipt__status=ReceiptStatus.ACCEPTED)
    if exclude is not None:
        lines = lines.exclude(receipt=exclude)
    found = _sum_by_line(lines, "accepted")
    return {pk: found.get(pk, ZERO) for pk in order.lines.values_list("pk", flat=True)}


def order_accepted(*, order) -> dict[int, Decimal]:
    """purchasing.hooks.accepted: {order_line_id: accepted quantity}."""
    return accepted_qty(order)


def pending_qty(order, *, exclude=None) -> dict[int, Decimal]:
    """{order_line_id: delivered quantity waiting for inspection} (draft and inspecting receipts)."""
    lines = ReceiptLine.objects.filter(receipt__order=order, receipt__status__in=PENDING)
    if exclude is not None:
        lines = lines.exclude(receipt=exclude)
    return _sum_by_line(lines, "qty")


def delivered_qty(order) -> tuple[Decimal, Decimal]:
    """(accepted, delivered) quantity over the order's inspected receipts (accepted and rejected)."""
    row = ReceiptLine.objects.filter(receipt__order=order,
                                     receipt__status__in=(ReceiptStatus.ACCEPTED, ReceiptStatus.REJECTED)).aggregate(
        a=Sum("accepted"), d=Sum("qty"))
    return row["a"] or ZERO, row["d"] or ZERO


def ordered(line: OrderLine) -> Decimal:
    """The line's quantity still on order (a termination drops the open rest)."""
    return line.qty - line.dropped_qty


def line_value(qty: Decimal, price: Decimal) -> Decimal:
    return (qty * price).quantize(CENT, rounding=ROUND_HALF_UP)


def received_value(order) -> Decimal:
    """The accepted value, tax incl., at the order's prices: Σ round-half-up(accepted × unit price, 2) per line."""
    accepted = accepted_qty(order)
    return sum((line_value(accepted[line.pk], line.unit_price) for line in order.lines.all() if accepted[line.pk]),
               Decimal("0.00"))


def fully_accepted(order) -> bool:
    accepted = accepted_qty(order)
    return all(accepted[line.pk] >= ordered(line) for line in order.lines.all())


def accepted_by(order, line: OrderLine, day: date) -> Decimal:
    """The line's quantity accepted on or before `day`."""
    return ReceiptLine.objects.filter(order_line=line, receipt__status=ReceiptStatus.ACCEPTED,
                                      receipt__accepted_on__lte=day).aggregate(s=Sum("accepted"))["s"] or ZERO


def plain(qty: Decimal | None) -> str:
    """A quantity without trailing zeros and never in exponent form (10, 2.5)."""
    if qty is None:
        return ""
    return format(qty.normalize(), "f") if qty else "0"
