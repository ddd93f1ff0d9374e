"""Signed purchase orders with accepted receipts and verified invoices, made straight in the database (purchasing,
receiving and supplier_invoices write their own services alongside), and payment requests made through the
services, as users would make them."""

from datetime import timedelta
from decimal import Decimal
from importlib import import_module
from itertools import count

from django.apps import apps
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.payments import services
from opsmon.procurement.tests.factories import routes as procurement_routes
from opsmon.purchasing import hooks as order_hooks
from opsmon.purchasing.models import OrderLine, OrderMilestone, PurchaseOrder
from opsmon.receiving.models import Receipt, ReceiptLine
from opsmon.supplier_invoices.models import SupplierInvoice, SupplierInvoiceLine
from opsmon.suppliers import services as supplier_services
from opsmon.suppliers.tests import factories as supplier_factories

_serial = count(1)
TOTAL = Decimal("100000.00")  # 10 × 10,000.00; r = 5 %, advance 30 %


def routes():
    """The seeded review routes (procurement's and ours) and step kinds (a live-server test flushes them)."""
    procurement_routes()
    import_module("opsmon.payments.migrations.0003_seed_review_routes").seed(apps, None)


def today():
    return timezone.localdate()


def supplier(org, **kw):
    s = supplier_factories.qualified(org, **kw)
    return s


def account(org, s, *, by="buyer1"):
    return supplier_services.bank_account_add(actor=org[by], supplier=s, bank="招商银行", account_name=s.name,
                                              account_no=f"6225{next(_serial):012d}")


def order(org, *, owner="buyer1", status="signed", qty="10", price="10000.0000", retention_pct="5.00",
          advance_pct="30", payment_days=30, warranty_months=12, signed_on=None, supplier_=None,
          sign=True) -> PurchaseOrder:
    """A signed order of one line (qty × price), milestones advance/delivery/acceptance/retention, signed through
    purchasing.hooks.signed (the retention is held)."""
    routes()
    s = supplier_ if supplier_ is not None else supplier(org)
    if not s.bank_accounts.exists():
        account(org, s)
    user = org[owner]
    amount = (Decimal(qty) * Decimal(price)).quantize(Decimal("0.01"))
    po = PurchaseOrder.objects.create(
        number=f"CGHT-T-{next(_serial):05d}", title="服务器采购合同", supplier=s, owner=user,
        department=user.department, status=status, total=amount, total_excl=(amount / Decimal("1.13")).quantize(
            Decimal("0.01")), award_total=amount, retention_pct=Decimal(retention_pct),
        warranty_months=warranty_months, payment_days=payment_days,
        signed_on=signed_on or today() - timedelta(days=60) if status != "draft" else None)
    OrderLine.objects.create(order=po, position=1, item="服务器", unit="set", category="hardware", qty=Decimal(qty),
                             unit_price=Decimal(price), tax_rate=Decimal("13"), amount=amount,
                             amount_excl=(amount / Decimal("1.13")).quantize(Decimal("0.01")),
                             promised_on=today())
    r = Decimal(retention_pct)
    advance = Decimal(advance_pct)
    for i, (kind, pct) in enumerate((("advance", advance), ("delivery", Decimal("100") - advance - r - 25),
                                     ("acceptance", Decimal("25")), ("retention", r)), start=1):
        if pct:
            OrderMilestone.objects.create(order=po, position=i, kind=kind, name=kind, percent=pct)
    if sign and status != "draft":
        order_hooks.signed(order=po)
    return po


def accept(org, po, qty, *, accepted_on=None, inspector="keeper1") -> Receipt:
    """An accepted receipt of `qty` on the order's line."""
    line = po.lines.get()
    receipt = Receipt.objects.create(number=f"DH-T-{next(_serial):05d}", order=po, status="accepted",
                                     delivered_on=accepted_on or today() - timedelta(days=10),
                                     inspector=org[inspector], accepted_on=accepted_on or today() - timedelta(days=5),
                                     created_by=po.owner)
    ReceiptLine.objects.create(receipt=receipt, order_line=line, qty=Decimal(qty), accepted=Decimal(qty))
    return receipt


def invoice(org, po, qty, *, status="verified") -> SupplierInvoice:
    line = po.lines.get()
    amount = (Decimal(qty) * line.unit_price).quantize(Decimal("0.01"))
    inv = SupplierInvoice.objects.create(number=f"FP-T-{next(_serial):05d}", supplier=po.supplier,
                                         invoice_type="vat_special", invoice_number=f"{next(_serial):08d}",
                                         issued_on=today(), seller_tax_id=po.supplier.credit_code, total=amount,
                                         status=status, created_by=org["buyer1"])
    SupplierInvoiceLine.objects.create(invoice=inv, order_line=line, qty=Decimal(qty), amount=amount,
                                       tax_rate=line.tax_rate, expected=amount, matched=True)
    return inv


def delivered(org, qty="4", **kw) -> PurchaseOrder:
    """An order with `qty` of 10 accepted and invoiced (verified)."""
    po = order(org, **kw)
    accept(org, po, qty)
    invoice(org, po, qty)
    return po


def draft(org, po, *, kind="progress", amount="10000", by=None, invoice_ids=(), **kw):
    return services.payment_create(actor=org[by or po.owner.username], order_id=po.pk, kind=kind, amount=amount,
                                   payee_account_id=po.supplier.bank_accounts.first().pk,
                                   invoice_ids=list(invoice_ids), **kw)


def decide_all(org, record, decision="approve", comment="同意"):
    """Decide every step of the current round (the first decider of each)."""
    while (step := approval_selectors.current_step(record)) is not None:
        decider = step.deciders.select_related("user").first().user
        record = services.payment_decide(actor=decider, record=record, step_id=step.pk, decision=decision,
                                         comment=comment)
        if decision != "approve":
            break
    return record


def submitted(org, po, **kw):
    record = draft(org, po, **kw)
    return services.payment_submit(actor=record.owner, record=record)


def approved(org, po, **kw):
    return decide_all(org, submitted(org, po, **kw))


def paid(org, po, *, paid_amount=None, **kw):
    record = approved(org, po, **kw)
    return services.payment_pay(actor=org["finance1"], record=record, paid_on=today(),
                                amount=paid_amount or record.amount, method="bank_transfer", reference="HX-001")
