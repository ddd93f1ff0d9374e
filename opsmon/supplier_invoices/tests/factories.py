"""Signed purchase orders and accepted receipts written row by row (purchasing and receiving test their own
services), then invoices through this module's services."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.core.numbering import next_number
from opsmon.procurement.models import ProcurementSettings
from opsmon.purchasing.choices import OrderStatus
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.receiving import hooks as receiving_hooks
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import Receipt, ReceiptLine
from opsmon.supplier_invoices import services
from opsmon.suppliers.tests import factories as sf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CENT = Decimal("0.01")


def pdf(name="invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def supplier(org):
    return sf.qualified(org)


def order(org, *, supplier_=None, owner="buyer1", status=OrderStatus.SIGNED,
          lines=(("服务器", "10", "1000.0000", "13"), ("交换机", "5", "333.3333", "13"))) -> PurchaseOrder:
    """An order of `supplier_` (a new qualified one by default) with lines (item, qty, unit price, tax rate)."""
    user = org[owner]
    supplier_ = supplier_ or supplier(org)
    po = PurchaseOrder.objects.create(number=next_number("CGHT"), title="发票测试订单", supplier=supplier_, owner=user,
                                      department=user.department, status=status, invoice_type="vat_special",
                                      signed_on=timezone.localdate() if status != OrderStatus.DRAFT else None)
    total = Decimal("0.00")
    for i, (item, qty, price, rate) in enumerate(lines, start=1):
        amount = (Decimal(qty) * Decimal(price)).quantize(CENT)
        excl = (amount / (1 + Decimal(rate) / 100)).quantize(CENT)
        OrderLine.objects.create(order=po, position=i, item=item, unit="set", category="hardware", qty=Decimal(qty),
                                 unit_price=Decimal(price), tax_rate=Decimal(rate), amount=amount,
                                 amount_excl=excl)
        total += amount
    PurchaseOrder.objects.filter(pk=po.pk).update(total=total)
    po.refresh_from_db()
    return po


def accept(org, po, quantities: dict | None = None, *, inspector="keeper1", days_ago=0, fire=True) -> Receipt:
    """An accepted receipt of `po` ({order line: accepted qty}, default every line in full); fires
    receiving.hooks.accepted as receiving's service does."""
    day = timezone.localdate() - timezone.timedelta(days=days_ago)
    receipt = Receipt.objects.create(number=next_number("DH"), order=po, delivered_on=day, inspector=org[inspector],
                                     created_by=po.owner, status=ReceiptStatus.ACCEPTED, accepted_on=day)
    quantities = quantities or {line: line.qty for line in po.lines.all()}
    for line, qty in quantities.items():
        ReceiptLine.objects.create(receipt=receipt, order_line=line, qty=Decimal(qty), accepted=Decimal(qty))
    if fire:
        receiving_hooks.accepted(receipt=receipt)
    return receipt


def row(line, qty=None, amount=None, tax_rate=None) -> dict:
    qty = Decimal(qty) if qty is not None else line.qty
    return {"order_line_id": line.pk, "qty": str(qty),
            "amount": amount if amount is not None else str((qty * line.unit_price).quantize(CENT)),
            "tax_rate": tax_rate if tax_rate is not None else str(line.tax_rate)}


_serial = [0]


def number() -> str:
    _serial[0] += 1
    return f"{_serial[0] + 10000000:08d}"


def invoice(org, po, *, by="buyer1", rows=None, **kw):
    """An invoice of `po`'s supplier on `rows` (default: every line in full at the order's prices)."""
    args = {"supplier_id": po.supplier_id, "invoice_type": "vat_special", "code": "1100231130",
            "number": number(), "issued_on": timezone.localdate(), "seller_tax_id": po.supplier.credit_code,
            "lines": rows if rows is not None else [row(line) for line in po.lines.all()], **kw}
    return services.invoice_create(actor=org[by], **args)


def settings(**values) -> ProcurementSettings:
    ProcurementSettings.objects.get_or_create(pk=1)
    ProcurementSettings.objects.filter(pk=1).update(**values)
    return ProcurementSettings.load()
