"""Signed purchase orders and receipts for the receiving and evaluation tests.

An order is written straight into its tables as signing leaves it (purchasing's own tests walk sourcing → award →
review → signing); receipts go through receiving's services, as users make them."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import count

from django.utils import timezone

from opsmon.core.numbering import next_number
from opsmon.purchasing.choices import OrderStatus
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.receiving import services
from opsmon.suppliers.tests import factories as supplier_factories

_serial = count(1)
# (item, qty, unit price incl. tax, tax rate): 2 × 15000.0050 = 30000.01; 10 × 99.99 = 999.90
LINES = [("服务器", "2", "15000.0050", "13"), ("网线", "10", "99.99", "13")]


def today():
    return timezone.localdate()


def order(org, *, owner="buyer1", status=OrderStatus.SIGNED, lines=LINES, supplier=None, promised_on=None,
          request_lines=None) -> PurchaseOrder:
    """A purchase order of `owner` (status `signed` unless told), with `lines` [(item, qty, price, rate)]."""
    supplier = supplier or supplier_factories.qualified(org)
    user = org[owner]
    po = PurchaseOrder.objects.create(
        number=next_number("CGHT"), title=f"采购合同{next(_serial)}", supplier=supplier, owner=user,
        department=user.department, status=status, signed_on=today() - timedelta(days=30)
        if status in (OrderStatus.SIGNED, OrderStatus.COMPLETED) else None)
    total = Decimal("0.00")
    for i, (item, qty, price, rate) in enumerate(lines, start=1):
        amount = (Decimal(qty) * Decimal(price)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        excl = (amount / (1 + Decimal(rate) / 100)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        OrderLine.objects.create(order=po, position=i, item=item, unit="set", category="hardware", qty=Decimal(qty),
                                 unit_price=Decimal(price), tax_rate=Decimal(rate), amount=amount, amount_excl=excl,
                                 promised_on=promised_on,
                                 request_line=(request_lines or {}).get(i))
        total += amount
    PurchaseOrder.objects.filter(pk=po.pk).update(total=total, award_total=total, original_total=total)
    return PurchaseOrder.objects.get(pk=po.pk)


def lines_of(po) -> list[OrderLine]:
    return list(po.lines.order_by("position"))


def receipt(org, po, qtys, *, by=None, inspector="keeper1", delivered_on=None, submit=False):
    """A receipt of `po` delivering `qtys` (one per order line in position order; None/0 skips the line)."""
    rows = [{"order_line_id": line.pk, "qty": str(q)} for line, q in zip(lines_of(po), qtys, strict=False) if q]
    r = services.receipt_create(actor=org[by or po.owner.username], order=po, delivered_on=delivered_on or today(),
                                inspector_id=org[inspector].pk, lines=rows)
    if submit:
        r = services.receipt_submit(actor=org[by or po.owner.username], receipt=r)
    return r


def accepted(org, po, qtys, *, inspector="keeper1", rejected=None, accepted_on=None, delivered_on=None):
    """A receipt delivering `qtys`, inspected: all accepted unless `rejected` (per line) says otherwise."""
    r = receipt(org, po, qtys, inspector=inspector, submit=True, delivered_on=delivered_on)
    rejected = rejected or [0] * len(qtys)
    split = []
    for rl in r.lines.select_related("order_line").order_by("order_line__position"):
        rej = Decimal(str(rejected[rl.order_line.position - 1] or 0))
        split.append({"order_line_id": rl.order_line_id, "accepted": str(rl.qty - rej), "rejected": str(rej)})
    return services.receipt_accept(actor=org[inspector], receipt=r, lines=split, accepted_on=accepted_on)
