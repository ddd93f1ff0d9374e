"""Which payment requests and retentions the actor may see (PROCUREMENT.md "Visibility"; else 404), and the order
figures the ceiling, the hooks and the pages read:

- finance, procurement_head, executive and admin: all;
- a purchaser: the requests and retention of the orders he owns (and the requests he filed);
- the deciders of a request's review rounds: that request;
- an inspector: the retention of an order he inspected a receipt of (he signs it off);
- anyone else: nothing."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from opsmon.accounts.roles import Role
from opsmon.accounts.visibility import is_active_user
from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import NotFound
from opsmon.purchasing.choices import MilestoneKind
from opsmon.purchasing.models import OrderMilestone
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import Receipt, ReceiptLine
from opsmon.supplier_invoices.choices import InvoiceStatus
from opsmon.supplier_invoices.models import SupplierInvoiceLine

from .ceiling import fen
from .choices import PaymentKind, PaymentStatus, RetentionStatus
from .models import PaymentRequest, Retention
from .rules import COUNTED

SEE_ALL = (Role.FINANCE, Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN)
ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def visible_payment_requests(actor):
    if not is_active_user(actor):
        return PaymentRequest.objects.none()
    if actor.has_role(*SEE_ALL):
        return PaymentRequest.objects.all()
    q = Q(pk__in=approval_selectors.decided_records(actor, PaymentRequest))
    if actor.has_role(Role.PURCHASER):
        q |= Q(order__owner=actor.pk) | Q(owner=actor.pk)
    return PaymentRequest.objects.filter(q)


def visible_retentions(actor):
    if not is_active_user(actor):
        return Retention.objects.none()
    if actor.has_role(*SEE_ALL):
        return Retention.objects.all()
    q = Q(pk__in=[])
    if actor.has_role(Role.PURCHASER):
        q |= Q(order__owner=actor.pk)
    if actor.has_role(Role.INSPECTOR):
        q |= Q(order__in=Receipt.objects.filter(inspector=actor.pk).values("order"))
    return Retention.objects.filter(q)


@dataclass(frozen=True)
class PaymentFilters:
    """The filters of the payment request list, one shape for the page and the API."""

    q: str = ""
    status: str = ""
    kind: str = ""
    order: int | None = None
    mine: bool = False


def _related(qs):
    return qs.select_related("order__supplier", "order__owner", "payee_account", "owner", "department", "paid_by")


def payment_list(*, actor, filters: PaymentFilters = PaymentFilters()):
    qs = visible_payment_requests(actor)
    f = filters
    if f.q:
        qs = qs.filter(Q(number__icontains=f.q) | Q(order__number__icontains=f.q)
                       | Q(order__supplier__name__icontains=f.q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.order:
        qs = qs.filter(order_id=f.order)
    if f.mine:
        qs = qs.filter(owner=actor.pk)
    return _related(qs).prefetch_related("invoices").order_by("-created_at", "-id")


def payment_get(*, actor, pk) -> PaymentRequest:
    try:
        return _related(visible_payment_requests(actor)).prefetch_related("invoices").get(pk=pk)
    except (PaymentRequest.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def retention_list(*, actor, due: bool | None = None, status: str = "", order: int | None = None):
    qs = visible_retentions(actor).select_related("order__supplier", "order__owner", "signed_off_by",
                                                  "released_by")
    if due:
        qs = qs.filter(status=RetentionStatus.DUE)
    elif due is False:
        qs = qs.exclude(status=RetentionStatus.DUE)
    if status:
        qs = qs.filter(status=status)
    if order:
        qs = qs.filter(order_id=order)
    return qs.order_by("due_on", "id")


def retention_get(*, actor, pk) -> Retention:
    try:
        return visible_retentions(actor).select_related("order__supplier", "order__owner", "signed_off_by",
                                                        "released_by").get(pk=pk)
    except (Retention.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- order figures -------------------------------------------------------------------------------------------

def accepted_value(order) -> Decimal:
    """The accepted quantities of the order's accepted receipts at the order lines' prices (tax incl.; each
    receipt line round-half-up to the fen)."""
    lines = (ReceiptLine.objects.filter(receipt__order=order, receipt__status=ReceiptStatus.ACCEPTED)
             .values_list("accepted", "order_line__unit_price"))
    return sum((fen(qty * price) for qty, price in lines), ZERO)


def verified_invoice_value(order) -> Decimal:
    """The lines of verified supplier invoices on the order's lines (tax incl.)."""
    return (SupplierInvoiceLine.objects.filter(order_line__order=order, invoice__status=InvoiceStatus.VERIFIED)
            .aggregate(s=Sum("amount"))["s"] or ZERO)


def advance_pct(order) -> Decimal:
    return (OrderMilestone.objects.filter(order=order, kind=MilestoneKind.ADVANCE)
            .aggregate(s=Sum("percent"))["s"] or Decimal("0"))


def latest_acceptance(order):
    """The latest acceptance date of the order's accepted receipts (None before any)."""
    return (Receipt.objects.filter(order=order, status=ReceiptStatus.ACCEPTED, accepted_on__isnull=False)
            .order_by("-accepted_on").values_list("accepted_on", flat=True).first())


def fully_accepted(order) -> bool:
    """Every line's accepted quantity reaches its ordered quantity less what was dropped (a line with nothing left
    to deliver counts as done); an order without lines is not."""
    lines = list(order.lines.values_list("pk", "qty", "dropped_qty"))
    if not lines:
        return False
    accepted = dict(ReceiptLine.objects.filter(receipt__order=order, receipt__status=ReceiptStatus.ACCEPTED)
                    .values("order_line").annotate(s=Sum("accepted")).values_list("order_line", "s"))
    return all((accepted.get(pk) or 0) >= qty - dropped for pk, qty, dropped in lines)


def counted_by_kind(order, *, exclude=None) -> dict[str, Decimal]:
    """Sums of the order's requests in review, approved and paid (the paid amount for paid ones) per kind."""
    out = {k: ZERO for k in PaymentKind.values}
    qs = PaymentRequest.objects.filter(order=order, status__in=COUNTED)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    for kind, status, amount, paid in qs.values_list("kind", "status", "amount", "paid_amount"):
        out[kind] += paid if status == PaymentStatus.PAID and paid is not None else amount
    return out


def paid_by_kind(order) -> dict[str, Decimal]:
    out = {k: ZERO for k in PaymentKind.values}
    rows = (PaymentRequest.objects.filter(order=order, status=PaymentStatus.PAID).values("kind")
            .annotate(s=Sum("paid_amount")))
    for row in rows:
        out[row["kind"]] = row["s"] or ZERO
    return out


def retention_of(order) -> Retention | None:
    return Retention.objects.filter(order=order).first()
