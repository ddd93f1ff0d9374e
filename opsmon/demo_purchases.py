"""Demo purchases walked through procurement's services as the users would (project level: it may import every
module), after the supplier and purchase-request demos: two purchases taken to closure (request → sourcing →
award → order → delivery → invoice → payment → evaluation → retention released and paid → closed) a year ago,
and one purchase left in each open state: a sourcing open for quotations, one being evaluated, an award in review,
an order in draft, one in review, a delivery waiting for the inspector, an invoice that does not match, a payment
request in review and a retention held. Idempotent: it does nothing once any sourcing exists."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.models import Route
from opsmon.evaluations import services as evaluations
from opsmon.payments import services as payments
from opsmon.payments.models import Retention
from opsmon.procurement import services as procurement
from opsmon.projects.models import Project
from opsmon.purchasing import services as purchasing
from opsmon.purchasing.models import PurchaseOrder
from opsmon.receiving import services as receiving
from opsmon.sourcing import services as sourcing
from opsmon.sourcing.models import Sourcing
from opsmon.supplier_invoices import services as invoices
from opsmon.suppliers.models import Supplier

PROJECT = "变电站智能巡检系统"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# Invited for hardware: two hardware suppliers and the integrator (all qualified in the supplier demo).
HARDWARE = ["北京华辰信息设备有限公司", "深圳迅达网络技术有限公司", "杭州联创系统集成有限公司"]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _decide(record, decide, *, stop_after: int | None = None):
    """Every step of the current round approved by a decider still to decide (or only `stop_after` steps)."""
    done = 0
    while (step := approval_selectors.current_step(record)) is not None and (stop_after is None or
                                                                             done < stop_after):
        decider = step.deciders.filter(decision="").select_related("user").first().user
        record = decide(actor=decider, record=record, step_id=step.pk)
        done += 1
    return record


class Walk:
    """One purchase of `lines` on the demo project, taken as far as `until` (a stage name of STAGES)."""

    STAGES = ("sourcing_open", "evaluating", "award_review", "order_draft", "order_review", "inspecting",
              "invoice_mismatch", "payment_review", "held", "closed")

    def __init__(self, users, project, *, title, lines, prices, until, back_days=0):
        self.u, self.project, self.title, self.lines, self.prices = users, project, title, lines, prices
        self.until = until
        self.today = timezone.localdate()
        self.day0 = self.today - timedelta(days=back_days)  # the walk's first day (a year ago for closed ones)

    def at(self, days: int):
        return min(self.day0 + timedelta(days=days), self.today)

    def reached(self, stage: str) -> bool:
        return self.STAGES.index(stage) >= self.STAGES.index(self.until)

    def run(self):
        u = self.u
        request = procurement.request_create(actor=u["rep1"], title=self.title, project_id=self.project.pk,
                                             lines=self.lines)
        request = procurement.request_submit(actor=u["rep1"], request=request)
        _decide(request, lambda actor, record, step_id: procurement.request_decide(
            actor=actor, request=record, step_id=step_id, decision="approve", comment="同意。"))
        suppliers = list(Supplier.objects.filter(name__in=HARDWARE).order_by("name"))
        line_ids = list(request.lines.order_by("position").values_list("pk", flat=True))
        s = sourcing.sourcing_create(actor=u["buyer1"], method="inquiry", request_line_ids=line_ids,
                                     supplier_ids=[x.pk for x in suppliers], title=self.title,
                                     deadline=timezone.now() + timedelta(days=5))
        s = sourcing.sourcing_open(actor=u["buyer1"], sourcing=s)
        if self.reached("sourcing_open"):
            return s
        for supplier, prices in zip(suppliers, self.prices, strict=False):
            quoted = [{"request_line_id": line.request_line_id, "unit_price": price, "tax_rate": "13"}
                      for line, price in zip(s.lines.order_by("id"), prices, strict=True)]
            sourcing.quotation_record(actor=u["buyer1"], sourcing=s, supplier_id=supplier.pk, delivery_days=15,
                                      valid_until=self.today + timedelta(days=60), lines=quoted)
        s = sourcing.sourcing_evaluate(actor=u["buyer1"], sourcing=Sourcing.objects.get(pk=s.pk))
        if self.reached("evaluating"):
            return s
        award = []
        for line in s.lines.order_by("id"):
            lowest = min(line.quotation_lines.all(), key=lambda q: q.unit_price)
            award.append({"request_line_id": line.request_line_id, "quotation_line_id": lowest.pk})
        s, _warnings = sourcing.award_save(actor=u["buyer1"], sourcing=s, lines=award)
        s = sourcing.award_submit(actor=u["buyer1"], sourcing=s)
        if self.reached("award_review"):
            return s
        _decide(s, lambda actor, record, step_id: sourcing.award_decide(
            actor=actor, sourcing=record, step_id=step_id, decision="approve", comment="同意定标。"))
        order = purchasing.orders_create(actor=u["buyer1"], sourcing=Sourcing.objects.get(pk=s.pk))[0]
        order = purchasing.order_update(actor=u["buyer1"], order=order, version=order.version,
                                        invoice_type="vat_special", payment_days=30, warranty_months=12,
                                        lines=[{"id": line.pk, "promised_on": self.at(30)}
                                               for line in order.lines.all()])
        if self.reached("order_draft"):
            return order
        order = purchasing.order_submit(actor=u["buyer1"], order=order)
        if self.reached("order_review"):
            return order
        order = _decide(order, lambda actor, record, step_id: purchasing.order_decide(
            actor=actor, order=record, step_id=step_id, decision="approve", comment="同意。"))
        order = purchasing.order_sign(actor=u["buyer1"], order=PurchaseOrder.objects.get(pk=order.pk),
                                      signed_on=self.at(10), signed_copy=_pdf(f"{order.number}-signed.pdf"))
        receipt = receiving.receipt_create(actor=u["buyer1"], order=order, delivered_on=self.at(28),
                                           inspector_id=u["keeper1"].pk,
                                           lines=[{"order_line_id": line.pk, "qty": line.qty}
                                                  for line in order.lines.all()])
        receipt = receiving.receipt_submit(actor=u["buyer1"], receipt=receipt)
        if self.reached("inspecting"):
            return receipt
        receiving.receipt_accept(actor=u["keeper1"], receipt=receipt, accepted_on=self.at(30),
                                 lines=[{"order_line_id": r.order_line_id, "accepted": r.qty, "rejected": "0",
                                         "note": "外观、数量、型号与合同一致。"} for r in receipt.lines.all()])
        order = PurchaseOrder.objects.get(pk=order.pk)
        # the mismatching invoice asks 1,500 yuan more than the order's price on its first line
        off = Decimal("1500.00") if self.until == "invoice_mismatch" else Decimal("0.00")
        invoice = invoices.invoice_create(
            actor=u["buyer1"], supplier_id=order.supplier_id, invoice_type="vat_special", code="",
            number=f"2644{order.pk:04d}{order.supplier_id:04d}0000000000"[:20], issued_on=self.at(32),
            seller_tax_id=order.supplier.credit_code,
            lines=[{"order_line_id": line.pk, "qty": line.qty, "amount": line.amount + (off if i == 0 else 0),
                    "tax_rate": line.tax_rate} for i, line in enumerate(order.lines.all())])
        if self.reached("invoice_mismatch"):
            return invoice
        invoices.invoice_verify(actor=u["finance1"], invoice=invoice)
        order = PurchaseOrder.objects.get(pk=order.pk)
        account = order.supplier.bank_accounts.first()
        held = Retention.objects.get(order=order).amount
        request = payments.payment_create(actor=u["buyer1"], order_id=order.pk, kind="progress",
                                          amount=order.total - held, payee_account_id=account.pk,
                                          invoice_ids=[invoice.pk], note="到货验收款。")
        request = payments.payment_submit(actor=u["buyer1"], record=request)
        if self.reached("payment_review"):
            return request
        self._approve_and_pay(request, self.at(45))
        evaluations.evaluation_save(actor=u["buyer1"], order=PurchaseOrder.objects.get(pk=order.pk), price=90,
                                    service=85, comment="交付及时，配合良好。")
        if self.reached("held"):
            return order
        retention = payments.refresh_due(order)
        retention = payments.retention_sign_off(actor=u["keeper1"], retention=retention,
                                                comment="质保期内无未关闭缺陷。")
        retention = payments.retention_release(actor=u["phead1"], retention=retention)
        request = payments.payment_create(actor=u["buyer1"], order_id=order.pk, kind="retention",
                                          amount=retention.releasable, payee_account_id=account.pk,
                                          note="质保金释放。")
        self._approve_and_pay(payments.payment_submit(actor=u["buyer1"], record=request), self.today)
        return purchasing.order_close(actor=u["buyer1"], order=PurchaseOrder.objects.get(pk=order.pk))

    def _approve_and_pay(self, request, day):
        request = _decide(request, lambda actor, record, step_id: payments.payment_decide(
            actor=actor, record=record, step_id=step_id, decision="approve", comment="同意付款。"))
        return payments.payment_pay(actor=self.u["finance1"], record=request, paid_on=day, amount=request.amount,
                                    method="bank_transfer", reference=f"HD{request.pk:08d}")


ROBOT = {"item": "轨道式巡检机器人", "spec": "含充电桩", "unit": "set", "category": "hardware"}
SERVER = {"item": "边缘计算服务器", "spec": "2U 双路 256G", "unit": "set", "category": "hardware"}
SWITCH = {"item": "工业以太网交换机", "spec": "24 口千兆", "unit": "set", "category": "hardware"}
CAMERA = {"item": "红外热成像摄像机", "spec": "640×512", "unit": "set", "category": "hardware"}

# (title, lines, each invited supplier's unit prices, the stage it stops at, how many days ago it began)
PURCHASES = [
    ("一期巡检机器人采购", [{**ROBOT, "qty": "2", "est_unit_price": "68000"}],
     [("66500",), ("67200",), ("68800",)], "closed", 420),
    ("一期边缘服务器采购", [{**SERVER, "qty": "2", "est_unit_price": "45000"}],
     [("44800",), ("43900",), ("45500",)], "closed", 400),
    ("站内交换机采购", [{**SWITCH, "qty": "6", "est_unit_price": "4200"}], [], "sourcing_open", 3),
    ("热成像摄像机采购", [{**CAMERA, "qty": "4", "est_unit_price": "18000"}],
     [("17600",), ("17900",), ("18200",)], "evaluating", 6),
    ("二期巡检机器人采购", [{**ROBOT, "qty": "1", "est_unit_price": "68000"}],
     [("66000",), ("66800",), ("67500",)], "award_review", 8),
    ("备用边缘服务器采购", [{**SERVER, "qty": "1", "est_unit_price": "45000"}],
     [("44500",), ("44100",), ("45200",)], "order_draft", 10),
    ("机房交换机采购", [{**SWITCH, "qty": "4", "est_unit_price": "4200"}],
     [("4100",), ("4050",), ("4300",)], "order_review", 12),
    ("巡检摄像机备件采购", [{**CAMERA, "qty": "2", "est_unit_price": "18000"}],
     [("17500",), ("17800",), ("18100",)], "inspecting", 40),
    ("三期巡检机器人采购", [{**ROBOT, "qty": "1", "est_unit_price": "68000"}],
     [("65900",), ("66600",), ("67300",)], "invoice_mismatch", 50),
    ("汇聚交换机采购", [{**SWITCH, "qty": "2", "est_unit_price": "4200"}],
     [("4080",), ("4120",), ("4250",)], "payment_review", 60),
    ("二期边缘服务器采购", [{**SERVER, "qty": "1", "est_unit_price": "45000"}],
     [("44600",), ("44200",), ("45100",)], "held", 90),
]


@transaction.atomic
def load() -> None:
    project = Project.objects.filter(title=PROJECT).select_related("owner").first()
    names = ["rep1", "buyer1", "phead1", "keeper1", "finance1"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    kinds = {"purchase_request", "award", "purchase_order", "payment_request"}
    if (project is None or len(users) < len(names) or Sourcing.objects.exists()
            or Supplier.objects.filter(name__in=HARDWARE, status="qualified").count() < len(HARDWARE)
            or set(Route.objects.filter(kind__in=kinds, active=True).values_list("kind", flat=True)) != kinds):
        return  # a database without the seeded review routes (a test's flushed one) gets no purchases
    for title, lines, prices, until, back_days in PURCHASES:
        Walk(users, project, title=title, lines=lines, prices=prices, until=until, back_days=back_days).run()
