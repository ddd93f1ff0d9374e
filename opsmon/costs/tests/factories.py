"""Procurement records built straight with the ORM (the services of the modules below are written elsewhere): a
supplier, orders with lines, receipts, supplier invoices, payment requests, evaluations, sourcings with
quotations, budgets, requests and sales contracts. Amounts follow PROCUREMENT.md: incl = round-half-up(qty ×
price, 2), excl = round(incl ÷ (1 + rate/100), 2)."""

from datetime import date, datetime, time
from decimal import Decimal
from itertools import count

from django.utils import timezone

from opsmon.contracts.models import Contract
from opsmon.costs.figures import value_of
from opsmon.evaluations.models import SupplierEvaluation
from opsmon.payments.models import PaymentRequest
from opsmon.procurement.models import BudgetLine, ProjectBudget, PurchaseRequest, RequestLine
from opsmon.procurement.tests.factories import codes
from opsmon.projects.tests.factories import approved_project
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.receiving.models import Receipt, ReceiptLine
from opsmon.sourcing.models import Quotation, QuotationLine, Sourcing, SourcingLine
from opsmon.supplier_invoices.models import SupplierInvoice, SupplierInvoiceLine
from opsmon.suppliers.models import Supplier, SupplierBankAccount
from opsmon.suppliers.tests.factories import credit_code

_n = count(1)


def D(value) -> Decimal:  # noqa: N802 - reads like the type
    return Decimal(str(value))


def project(org, owner="rep1"):
    codes()
    return approved_project(org, owner)


def supplier(org, *, name=None, sme=False) -> Supplier:
    n = next(_n)
    return Supplier.objects.create(number=f"GYS-T{n:04d}", name=name or f"供应商{n}", credit_code=credit_code(),
                                   is_sme=sme, status="qualified", created_by=org["buyer1"])


def account(s: Supplier) -> SupplierBankAccount:
    return SupplierBankAccount.objects.create(supplier=s, bank="工商银行", account_name=s.name,
                                              account_no=f"6222{next(_n):012d}", created_by=s.created_by)


def order(org, *, supplier, lines, project=None, contract=None, status="signed", owner="buyer1",
          invoice_type="vat_special", signed_on=None, title="采购合同") -> PurchaseOrder:
    """`lines`: dicts {qty, price, rate, category, promised_on?, dropped?, sourcing_line?, request_line?}."""
    n = next(_n)
    user = org[owner]
    o = PurchaseOrder.objects.create(
        number=f"CGHT-T{n:04d}", title=title, supplier=supplier, owner=user, department=user.department,
        project=project, contract=contract, status=status, invoice_type=invoice_type,
        signed_on=signed_on if signed_on is not None or status in ("draft", "in_review", "approved")
        else timezone.localdate())
    total = total_excl = Decimal("0.00")
    for position, spec in enumerate(lines, 1):
        incl, excl = value_of(D(spec["qty"]), D(spec["price"]), D(spec["rate"]))
        OrderLine.objects.create(order=o, position=position, item=f"物品{position}", unit="set",
                                 category=spec.get("category", "hardware"), qty=D(spec["qty"]),
                                 unit_price=D(spec["price"]), tax_rate=D(spec["rate"]), amount=incl,
                                 amount_excl=excl, promised_on=spec.get("promised_on"),
                                 dropped_qty=D(spec.get("dropped", 0)), sourcing_line=spec.get("sourcing_line"),
                                 request_line=spec.get("request_line"))
        total += incl
        total_excl += excl
    o.total, o.total_excl = total, total_excl
    o.save(update_fields=["total", "total_excl"])
    return o


def lines_of(o: PurchaseOrder) -> list[OrderLine]:
    return list(o.lines.order_by("position"))


def receipt(org, o: PurchaseOrder, accepted: dict, *, accepted_on=None, status="accepted",
            inspector="keeper1") -> Receipt:
    """`accepted`: {order line: accepted qty or (accepted, rejected)}."""
    day = accepted_on or timezone.localdate()
    r = Receipt.objects.create(number=f"DH-T{next(_n):04d}", order=o, status=status, delivered_on=day,
                               inspector=org[inspector], accepted_on=day if status == "accepted" else None,
                               created_by=org["buyer1"])
    for line, qty in accepted.items():
        ok, rejected = (qty if isinstance(qty, tuple) else (qty, 0))
        ReceiptLine.objects.create(receipt=r, order_line=line, qty=D(ok) + D(rejected), accepted=D(ok),
                                   rejected=D(rejected))
    return r


def invoice(org, s: Supplier, lines: list, *, status="verified", invoice_type="vat_special") -> SupplierInvoice:
    """`lines`: (order line, qty, amount, rate)."""
    n = next(_n)
    inv = SupplierInvoice.objects.create(
        number=f"FP-T{n:04d}", supplier=s, invoice_type=invoice_type, code="", invoice_number=f"{n:08d}",
        issued_on=timezone.localdate(), seller_tax_id=s.credit_code, status=status, created_by=org["finance1"],
        total=sum((D(a) for _l, _q, a, _r in lines), Decimal("0.00")))
    for line, qty, amount, rate in lines:
        SupplierInvoiceLine.objects.create(invoice=inv, order_line=line, qty=D(qty), amount=D(amount),
                                           tax_rate=D(rate), expected=D(amount), matched=status != "mismatch")
    return inv


def payment(org, o: PurchaseOrder, amount, *, status="paid", due_on=None, paid_amount=None, kind="progress"):
    user = org["buyer1"]
    acct = o.supplier.bank_accounts.first() or account(o.supplier)
    return PaymentRequest.objects.create(
        number=f"FK-T{next(_n):04d}", order=o, kind=kind, amount=D(amount), payee_account=acct, status=status,
        due_on=due_on, owner=user, department=user.department,
        paid_on=timezone.localdate() if status == "paid" else None,
        paid_amount=D(paid_amount) if paid_amount is not None else (D(amount) if status == "paid" else None))


def evaluation(org, o: PurchaseOrder, score, grade, *, on: date | None = None, **parts) -> SupplierEvaluation:
    e = SupplierEvaluation.objects.create(
        order=o, supplier=o.supplier, on_time=D(parts.get("on_time", score)), quality=D(parts.get("quality", score)),
        price=D(parts.get("price", score)), service=D(parts.get("service", score)), score=D(score), grade=grade,
        created_by=org["buyer1"])
    if on is not None:
        SupplierEvaluation.objects.filter(pk=e.pk).update(
            created_at=timezone.make_aware(datetime.combine(on, time(10))))
    return e


def request(org, project_, amount, *, status="approved", contract=None, owner="rep1",
            category="hardware") -> PurchaseRequest:
    user = org[owner]
    r = PurchaseRequest.objects.create(number=f"CG-T{next(_n):04d}", title="采购申请", project=project_,
                                       contract=contract, owner=user, department=user.department, status=status,
                                       total=D(amount))
    RequestLine.objects.create(request=r, item="设备", unit="set", qty=D(1), est_unit_price=D(amount),
                               amount=D(amount), category=category)
    return r


def budget(org, project_, total, *, revision=1, status="approved") -> ProjectBudget:
    b = ProjectBudget.objects.create(project=project_, revision=revision, status=status, total=D(total),
                                     created_by=project_.owner)
    BudgetLine.objects.create(budget=b, category="hardware", amount=D(total))
    return b


def sourcing(org, request_line: RequestLine, quotes: list, *, awarded_on: date) -> SourcingLine:
    """A sourcing awarded on `awarded_on` with one line and `quotes`: (supplier, unit price, valid_until)."""
    user = org["buyer1"]
    s = Sourcing.objects.create(number=f"XJ-T{next(_n):04d}", method="inquiry", owner=user,
                                department=user.department, status="done",
                                awarded_at=timezone.make_aware(datetime.combine(awarded_on, time(10))))
    line = SourcingLine.objects.create(sourcing=s, request_line=request_line, qty=request_line.qty)
    for sup, price, valid_until in quotes:
        q = Quotation.objects.create(sourcing=s, supplier=sup, valid_until=valid_until, delivery_days=10,
                                     created_by=user)
        QuotationLine.objects.create(quotation=q, sourcing_line=line, unit_price=D(price), tax_rate=D(13),
                                     amount=value_of(line.qty, D(price), D(13))[0])
    return line


def contract(org, project_, amount, *, tax_rate="13", status="signed", owner="rep1") -> Contract:
    user = org[owner]
    return Contract.objects.create(
        number=f"HT-T{next(_n):04d}", title="销售合同", customer=project_.customer,
        opportunity=project_.opportunity, project=project_, amount=D(amount),
        tax_rate=D(tax_rate) if tax_rate is not None else None, status=status, owner=user,
        department=user.department, signed_on=timezone.localdate() if status in ("signed", "archived") else None)
