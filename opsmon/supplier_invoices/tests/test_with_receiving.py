"""With receiving's own services: a delivery accepted by its inspector re-matches the invoice recorded before it
(receiving.hooks.accepted), an invoiced receipt cannot be cancelled (receiving.hooks.cancel_refusal), and an order
with invoices cannot be cancelled (purchasing.hooks.cancel_refusal)."""

import pytest
from django.utils import timezone

from opsmon.core.errors import Conflict
from opsmon.receiving import rules as receiving_rules
from opsmon.receiving import services as receiving
from opsmon.supplier_invoices import services
from opsmon.supplier_invoices.choices import InvoiceStatus as S

from . import factories as f

pytestmark = pytest.mark.django_db


def _deliver(org, po, qty: dict):
    receipt = receiving.receipt_create(actor=org["buyer1"], order=po, delivered_on=timezone.localdate(),
                                       inspector_id=org["keeper1"].pk,
                                       lines=[{"order_line_id": line.pk, "qty": str(q)} for line, q in qty.items()])
    receipt = receiving.receipt_submit(actor=org["buyer1"], receipt=receipt)
    return receiving.receipt_accept(actor=org["keeper1"], receipt=receipt, lines=[
        {"order_line_id": line.pk, "accepted": str(q), "rejected": "0"} for line, q in qty.items()])


def test_accepted_delivery_rematches_and_keeps_the_receipt(org):
    po = f.order(org, lines=(("服务器", "4", "2500", "13"),))
    line = po.lines.get()
    inv = f.invoice(org, po)
    assert inv.status == S.MISMATCH
    receipt = _deliver(org, po, {line: "4"})
    inv.refresh_from_db()
    assert inv.status == S.MATCHED
    refusal = receiving_rules.can_cancel(org["buyer1"], receipt)
    assert isinstance(refusal, Conflict) and inv.number in str(refusal.message)
    with pytest.raises(Conflict):
        receiving.receipt_cancel(actor=org["buyer1"], receipt=receipt, reason="退货")
    assert services.order_cancel_refusal(order=po)
    services.invoice_cancel(actor=org["buyer1"], invoice=inv, reason="红冲")
    assert receiving_rules.can_cancel(org["buyer1"], receipt) is None
