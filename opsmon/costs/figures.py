"""The money of purchase-order lines, read from the models (PROCUREMENT.md "Budget and margin"):

- a line's value at order prices for a quantity: incl = round-half-up(qty × price, 2), excl = round(incl ÷ (1 +
  rate/100), 2); a line's *cost* is excl when its order's invoice type is deductible (code table invoice_type, value
  1: 专票), else incl;
- committed quantity = qty − dropped qty; received = accepted quantity of accepted receipts; invoiced = lines of
  matched or verified supplier invoices; paid = paid payment requests;
- a project's received / invoiced / paid (its cost card, /projects/{id}/cost): over its purchase orders not
  cancelled, tax included — the money that moved (procurement.hooks.project_figures answers them).
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from opsmon.codes.models import CodeItem
from opsmon.payments.choices import PaymentStatus
from opsmon.payments.models import PaymentRequest
from opsmon.purchasing.choices import OrderStatus
from opsmon.purchasing.models import OrderLine
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import ReceiptLine
from opsmon.supplier_invoices.choices import InvoiceStatus
from opsmon.supplier_invoices.models import SupplierInvoiceLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
S = OrderStatus
# Orders `approved` or later and not cancelled: the commitment (a terminated order keeps what was not dropped).
COMMITTED = frozenset({S.APPROVED, S.SIGNED, S.COMPLETED, S.CLOSED, S.TERMINATED})
# Signed orders (spend): signed and whatever followed, bar cancellation.
SIGNED = frozenset({S.SIGNED, S.COMPLETED, S.CLOSED, S.TERMINATED})
# Orders still expecting deliveries (open commitments).
OPEN = frozenset({S.APPROVED, S.SIGNED})
INVOICED = (InvoiceStatus.MATCHED, InvoiceStatus.VERIFIED)


def q2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def excl_of(incl: Decimal, rate) -> Decimal:
    return q2(Decimal(incl) / (1 + Decimal(rate or 0) / HUNDRED))


def value_of(qty, price, rate) -> tuple[Decimal, Decimal]:
    """(incl, excl) of `qty` at the tax-inclusive unit `price` and tax `rate` (%)."""
    incl = q2(Decimal(qty) * Decimal(price))
    return incl, excl_of(incl, rate)


def deductible_types() -> frozenset[str]:
    """The invoice_type codes whose value is 1 (deductible: 专票)."""
    return frozenset(CodeItem.objects.filter(table__name="invoice_type", value="1").values_list("code", flat=True))


def cost(incl: Decimal, excl: Decimal, deductible: bool) -> Decimal:
    return excl if deductible else incl


def committed_value(line: OrderLine) -> tuple[Decimal, Decimal]:
    """(incl, excl) of the line's quantity not dropped (the stored amounts when nothing was dropped)."""
    if not line.dropped_qty:
        return line.amount, line.amount_excl
    return value_of(max(line.qty - line.dropped_qty, Decimal(0)), line.unit_price, line.tax_rate)


def accepted_qty(line_ids) -> dict[int, Decimal]:
    """Accepted quantity per order line (accepted receipts only)."""
    rows = (ReceiptLine.objects.filter(order_line__in=list(line_ids), receipt__status=ReceiptStatus.ACCEPTED)
            .order_by().values("order_line").annotate(s=Sum("accepted")))
    return {r["order_line"]: r["s"] or Decimal(0) for r in rows}


def invoiced_lines(line_ids) -> dict[int, dict]:
    """Per order line, the matched or verified invoice lines: {"qty", "incl", "excl"} (excl per invoice line)."""
    out: dict[int, dict] = defaultdict(lambda: {"qty": Decimal(0), "incl": ZERO, "excl": ZERO})
    rows = (SupplierInvoiceLine.objects.filter(order_line__in=list(line_ids), invoice__status__in=INVOICED)
            .values_list("order_line", "qty", "amount", "tax_rate"))
    for line_id, qty, amount, rate in rows:
        found = out[line_id]
        found["qty"] += qty
        found["incl"] += amount
        found["excl"] += excl_of(amount, rate)
    return dict(out)


def project_lines(project):
    return OrderLine.objects.filter(order__project=project).exclude(order__status=S.CANCELLED)


def figures(*, project) -> dict:
    """The project's received / invoiced / paid (tax incl.) over its orders not cancelled, and by category."""
    lines = list(project_lines(project).values_list("pk", "unit_price", "tax_rate", "category"))
    accepted = accepted_qty(pk for pk, *_ in lines)
    invoiced = invoiced_lines(pk for pk, *_ in lines)
    by_category: dict[str, dict] = defaultdict(lambda: {"received": ZERO, "invoiced": ZERO, "paid": ZERO})
    for pk, price, rate, category in lines:
        if pk in accepted:
            by_category[category]["received"] += value_of(accepted[pk], price, rate)[0]
        if pk in invoiced:
            by_category[category]["invoiced"] += invoiced[pk]["incl"]
    paid_by_order = paid_per_order(PaymentRequest.objects.filter(order__project=project)
                                   .exclude(order__status=S.CANCELLED))
    shares = order_category_shares(paid_by_order)
    for order_id, paid in paid_by_order.items():
        for category, amount in split(paid, shares.get(order_id, {})).items():
            by_category[category]["paid"] += amount
    return {"received": sum((c["received"] for c in by_category.values()), ZERO),
            "invoiced": sum((c["invoiced"] for c in by_category.values()), ZERO),
            "paid": sum(paid_by_order.values(), ZERO), "by_category": {k: dict(v) for k, v in by_category.items()}}


def order_category_shares(order_ids) -> dict[int, dict[str, Decimal]]:
    """Per order, its lines' tax-inclusive amount per category (how a payment of the order splits by category)."""
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (OrderLine.objects.filter(order__in=list(order_ids)).order_by().values("order", "category")
            .annotate(s=Sum("amount")))
    for r in rows:
        out[r["order"]][r["category"]] = r["s"] or ZERO
    return dict(out)


def split(amount: Decimal, weights: dict[str, Decimal]) -> dict[str, Decimal]:
    """`amount` shared by `weights` (rounded to the cent; the largest share takes the rounding rest)."""
    total = sum(weights.values(), ZERO)
    if not weights or not total:
        return {"": amount} if amount else {}
    parts = {k: q2(amount * w / total) for k, w in weights.items()}
    largest = max(weights, key=lambda k: (weights[k], k))
    parts[largest] += amount - sum(parts.values(), ZERO)
    return parts


def paid_per_order(requests) -> dict[int, Decimal]:
    """Per order, what the paid payment requests among `requests` paid (the recorded paid amount, else the
    requested one)."""
    out: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for order_id, amount, paid in (requests.filter(status=PaymentStatus.PAID)
                                   .values_list("order", "amount", "paid_amount")):
        out[order_id] += paid if paid is not None else amount
    return dict(out)
