"""Purchase orders made as users make them: an approved purchase request, an awarded sourcing (built row by row:
the sourcing module's own services are tested there), then purchasing's services."""

from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.numbering import next_number
from opsmon.procurement import services as procurement_services
from opsmon.procurement.choices import RequestStatus
from opsmon.procurement.models import PurchaseRequest
from opsmon.procurement.tests import factories as pf
from opsmon.purchasing import services
from opsmon.purchasing.models import PurchaseOrder
from opsmon.sourcing.choices import SourcingStatus
from opsmon.sourcing.models import Invitation, Quotation, QuotationLine, Sourcing, SourcingLine
from opsmon.suppliers.tests import factories as sf

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def routes():
    pf.routes()
    import_module("opsmon.purchasing.migrations.0003_seed_review_routes").seed(apps, None)


def pdf(name="signed.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def approved_request(org, *, owner="rep1", lines=None, project_=None) -> PurchaseRequest:
    routes()
    request = pf.submitted(org, owner=owner, lines=lines or [pf.line(qty="2", est_unit_price="15000")],
                           project_=project_)
    while (step := approval_selectors.current_step(request)) is not None:
        decider = step.deciders.select_related("user").first().user
        request = procurement_services.request_decide(actor=decider, request=request, step_id=step.pk,
                                                      decision="approve", comment="同意")
    assert request.status == RequestStatus.APPROVED, request.status
    return request


def awarded_sourcing(org, *, request=None, suppliers=None, prices=("14000",), tax_rate="13", buyer="buyer1",
                     project_=None, delivery_days=10) -> Sourcing:
    """An awarded sourcing of `request`'s lines: line i awarded to suppliers[i % n] at prices[i % len(prices)]."""
    request = request or approved_request(org, project_=project_)
    suppliers = suppliers or [sf.qualified(org)]
    user = org[buyer]
    sourcing = Sourcing.objects.create(number=next_number("XJ"), title="服务器询价", method="inquiry", owner=user,
                                       department=user.department, status=SourcingStatus.AWARDED,
                                       awarded_at=timezone.now())
    for s in suppliers:
        Invitation.objects.create(sourcing=sourcing, supplier=s)
    quotations = {s.pk: Quotation.objects.create(sourcing=sourcing, supplier=s, delivery_days=delivery_days,
                                                 valid_until=timezone.localdate(), created_by=user)
                  for s in suppliers}
    for i, line in enumerate(request.lines.order_by("position")):
        sl = SourcingLine.objects.create(sourcing=sourcing, request_line=line, qty=line.qty)
        supplier = suppliers[i % len(suppliers)]
        price = Decimal(prices[i % len(prices)])
        ql = QuotationLine.objects.create(quotation=quotations[supplier.pk], sourcing_line=sl, unit_price=price,
                                          tax_rate=Decimal(tax_rate),
                                          amount=procurement_services.line_amount(line.qty, price))
        SourcingLine.objects.filter(pk=sl.pk).update(awarded=ql)
    PurchaseRequest.objects.filter(pk=request.pk).update(status=RequestStatus.AWARDED)
    return sourcing


def draft(org, **kw) -> PurchaseOrder:
    sourcing = awarded_sourcing(org, **kw)
    return services.orders_create(actor=org[kw.get("buyer", "buyer1")], sourcing=sourcing)[0]


def decide_all(org, order, decision="approve"):
    """Every step of the current round decided by its first decider."""
    while (step := approval_selectors.current_step(order)) is not None:
        decider = step.deciders.select_related("user").first().user
        order = services.order_decide(actor=decider, order=order, step_id=step.pk, decision=decision,
                                      comment="同意" if decision == "approve" else "不行")
        if decision != "approve":
            break
    return PurchaseOrder.objects.get(pk=order.pk)


def submitted(org, **kw) -> PurchaseOrder:
    order = draft(org, **kw)
    return services.order_submit(actor=order.owner, order=order)


def approved(org, **kw) -> PurchaseOrder:
    return decide_all(org, submitted(org, **kw))


def signed(org, **kw) -> PurchaseOrder:
    order = approved(org, **kw)
    return services.order_sign(actor=order.owner, order=order, signed_on=timezone.localdate(), signed_copy=pdf())
