"""Supplier invoices: recording (each refusal with its field), the three-way match (quantity, tax rate, amount
tolerance, cumulative quantities), re-matching after receipts and cancellations, each action's roles and states,
visibility, the hooks lower modules call and the reminder."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.accounts import services as accounts
from opsmon.accounts.models import User
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.purchasing import hooks as purchasing_hooks
from opsmon.purchasing.choices import OrderStatus
from opsmon.receiving import hooks as receiving_hooks
from opsmon.supplier_invoices import hooks, reminders, selectors, services
from opsmon.supplier_invoices.choices import InvoiceStatus as S
from opsmon.supplier_invoices.models import SupplierInvoice

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def po(org):
    return f.order(org)


def _lines(po):
    return list(po.lines.order_by("position"))


def _fields(exc) -> set:
    return set(exc.value.fields)


# --- matching ------------------------------------------------------------------------------------------------

def test_full_match_then_verify(org, po):
    f.accept(org, po)
    inv = f.invoice(org, po)
    assert inv.number.startswith("FP-") and inv.status == S.MATCHED
    assert inv.total == Decimal("11666.67")  # 10 × 1000 + round(5 × 333.3333) = 10000 + 1666.67
    assert [(line.matched, line.expected, line.mismatch) for line in inv.lines.order_by("id")] == [
        (True, Decimal("10000.00"), ""), (True, Decimal("1666.67"), "")]
    assert services.order_figures(order=po) == {"invoiced": Decimal("11666.67"), "verified": Decimal("0.00")}
    verified = services.invoice_verify(actor=org["finance1"], invoice=inv)
    assert verified.status == S.VERIFIED and verified.verified_by == org["finance1"] and verified.verified_at
    assert services.order_figures(order=po) == {"invoiced": Decimal("11666.67"), "verified": Decimal("11666.67")}
    assert services.order_incomplete(order=po) is None


def test_nothing_accepted_is_a_mismatch_rematched_after_the_receipt(org, po):
    inv = f.invoice(org, po)
    assert inv.status == S.MISMATCH
    first = inv.lines.order_by("id").first()
    assert not first.matched and "10" in first.mismatch and "0" in first.mismatch
    one, two = _lines(po)
    f.accept(org, po, {one: "10"})  # the first line accepted: still short on the second
    inv.refresh_from_db()
    assert inv.status == S.MISMATCH
    assert [line.matched for line in inv.lines.order_by("id")] == [True, False]
    f.accept(org, po, {two: "5"})
    inv.refresh_from_db()
    assert inv.status == S.MATCHED and all(line.matched for line in inv.lines.all())


def test_amount_tolerance_pct_and_abs(org, po):
    f.accept(org, po)
    one, _two = _lines(po)
    # expected 10000.00; 0.5 % = 50.00
    ok = f.invoice(org, po, rows=[f.row(one, amount="10050.00")])
    assert ok.status == S.MATCHED
    services.invoice_cancel(actor=org["buyer1"], invoice=ok, reason="重开")
    off = f.invoice(org, po, rows=[f.row(one, amount="10050.01")])
    line = off.lines.get()
    assert off.status == S.MISMATCH and "10050.01" in line.mismatch and "10000.00" in line.mismatch
    services.invoice_cancel(actor=org["buyer1"], invoice=off, reason="重开")
    f.settings(match_amount_pct=Decimal("0"), match_amount_abs=Decimal("100.00"))
    assert f.invoice(org, po, rows=[f.row(one, amount="9900.00")]).status == S.MATCHED


def test_tax_rate_must_be_the_orders(org, po):
    f.accept(org, po)
    one, _two = _lines(po)
    inv = f.invoice(org, po, rows=[f.row(one, tax_rate="6")])
    line = inv.lines.get()
    assert inv.status == S.MISMATCH and "6" in line.mismatch and "13" in line.mismatch


def test_quantity_tolerance_and_cumulative_quantities(org, po):
    one, _two = _lines(po)
    f.accept(org, po, {one: "10"})
    first = f.invoice(org, po, rows=[f.row(one, qty="6")])
    second = f.invoice(org, po, rows=[f.row(one, qty="5")])  # 11 > 10 accepted
    assert first.status == S.MATCHED and second.status == S.MISMATCH
    assert "11" in second.lines.get().mismatch
    f.settings(match_qty_pct=Decimal("10"))  # 11 ≤ 10 × 1.1
    f.accept(org, po, {}, fire=True)  # a receipt of nothing new: the hook re-matches
    second.refresh_from_db()
    assert second.status == S.MATCHED


def test_cancelling_an_invoice_rematches_the_others(org, po):
    one, _two = _lines(po)
    f.accept(org, po, {one: "10"})
    first = f.invoice(org, po, rows=[f.row(one, qty="10")])
    second = f.invoice(org, po, rows=[f.row(one, qty="10")])
    assert (first.status, second.status) == (S.MATCHED, S.MISMATCH)
    cancelled = services.invoice_cancel(actor=org["buyer1"], invoice=first, reason="开错")
    assert cancelled.status == S.CANCELLED and cancelled.status_reason == "开错"
    second.refresh_from_db()
    assert second.status == S.MATCHED


def test_accept_variance(org, po):
    inv = f.invoice(org, po)
    with pytest.raises(PermissionDenied):
        services.invoice_accept_variance(actor=org["finance1"], invoice=inv, reason="x")
    with pytest.raises(PermissionDenied):
        services.invoice_accept_variance(actor=org["buyer1"], invoice=inv, reason="x")
    with pytest.raises(Invalid) as exc:
        services.invoice_accept_variance(actor=org["phead1"], invoice=inv, reason=" ")
    assert _fields(exc) == {"reason"}
    done = services.invoice_accept_variance(actor=org["phead1"], invoice=inv, reason="到货单延后录入")
    assert done.status == S.MATCHED and done.variance_reason == "到货单延后录入" and done.variance_by == org["phead1"]
    with pytest.raises(Conflict):
        services.invoice_accept_variance(actor=org["phead1"], invoice=done, reason="again")


def test_verify_roles_and_states(org, po):
    mismatch = f.invoice(org, po)
    with pytest.raises(Conflict):
        services.invoice_verify(actor=org["finance1"], invoice=mismatch)
    for who in ("buyer1", "phead1", "admin", "ceo1"):
        with pytest.raises(PermissionDenied):
            services.invoice_verify(actor=org[who], invoice=mismatch)


def test_verify_completes_the_order(org):
    po = f.order(org, lines=(("服务器", "2", "100", "13"),))
    f.accept(org, po)
    assert services.order_incomplete(order=po)  # accepted, nothing invoiced
    inv = f.invoice(org, po)
    assert services.order_incomplete(order=po)  # matched, not verified
    services.invoice_verify(actor=org["finance1"], invoice=inv)
    assert services.order_incomplete(order=po) is None
    po.refresh_from_db()
    # completed unless another module (payments) still has something to say
    answers = [a for a in purchasing_hooks.incomplete(order=po) if a]
    assert po.status == (OrderStatus.SIGNED if answers else OrderStatus.COMPLETED)


def test_cancel_roles_states_and_payment_refusal(org, po):
    f.accept(org, po)
    inv = f.invoice(org, po)
    for who in ("phead1", "finance1"):
        assert "cancel" in services.rules.allowed_actions(org[who], inv)
    for who in ("admin", "ceo1", "keeper1", "rep1"):
        with pytest.raises(PermissionDenied):
            services.invoice_cancel(actor=org[who], invoice=inv, reason="x")
    with pytest.raises(Invalid) as exc:
        services.invoice_cancel(actor=org["buyer1"], invoice=inv, reason="")
    assert _fields(exc) == {"reason"}

    def paid(*, invoice):
        return "付款申请 FK-1 已含此发票" if invoice.pk == inv.pk else None
    hooks.cancel_refusal.connect(paid)
    try:
        with pytest.raises(Conflict) as refused:
            services.invoice_cancel(actor=org["buyer1"], invoice=inv, reason="红冲")
        assert "FK-1" in str(refused.value.message)
        assert "cancel" not in services.rules.allowed_actions(org["buyer1"], inv)
    finally:
        hooks.cancel_refusal._receivers.remove(paid)
    verified = services.invoice_verify(actor=org["finance1"], invoice=inv)
    cancelled = services.invoice_cancel(actor=org["finance1"], invoice=verified, reason="红冲")
    assert cancelled.status == S.CANCELLED
    with pytest.raises(Conflict):
        services.invoice_cancel(actor=org["finance1"], invoice=cancelled, reason="again")


# --- recording: refusals -------------------------------------------------------------------------------------

def _create(org, po, by="buyer1", **over):
    args = {"supplier_id": po.supplier_id, "invoice_type": "vat_special", "code": "1100231130",
            "number": f.number(), "issued_on": timezone.localdate(), "seller_tax_id": po.supplier.credit_code,
            "lines": [f.row(line) for line in po.lines.all()], **over}
    return services.invoice_create(actor=org[by], **args)


@pytest.mark.parametrize(("over", "field"), [
    ({"total": "1.00"}, "total"),
    ({"seller_tax_id": "91110000000000000X"}, "seller_tax_id"),
    ({"issued_on": timezone.localdate() + timedelta(days=1)}, "issued_on"),
    ({"issued_on": "2026-13-01"}, "issued_on"),
    ({"invoice_type": "receipt"}, "invoice_type"),
    ({"number": ""}, "number"),
    ({"number": "12 34"}, "number"),
    ({"supplier_id": 999999}, "supplier_id"),
    ({"lines": []}, "lines"),
])
def test_header_refusals(org, po, over, field):
    with pytest.raises(Invalid) as exc:
        _create(org, po, **over)
    assert field in _fields(exc)
    assert not SupplierInvoice.objects.exists()


def test_line_refusals(org, po):
    one, two = _lines(po)
    with pytest.raises(Invalid) as exc:
        _create(org, po, lines=[f.row(one, qty="0", amount="1.00"), f.row(two, amount="abc", tax_rate="101")])
    assert _fields(exc) == {"lines.1.qty", "lines.2.amount", "lines.2.tax_rate"}
    with pytest.raises(Invalid) as exc:
        _create(org, po, lines=[f.row(one), f.row(one)])
    assert _fields(exc) == {"lines.2.order_line_id"}
    other = f.order(org)  # another supplier's order
    with pytest.raises(Invalid) as exc:
        _create(org, po, lines=[f.row(other.lines.first())])
    assert _fields(exc) == {"lines.1.order_line_id"}
    with pytest.raises(Invalid) as exc:
        _create(org, po, lines=[{"order_line_id": 999999, "qty": "1", "amount": "1", "tax_rate": "13"}])
    assert _fields(exc) == {"lines.1.order_line_id"}


def test_matching_total_is_accepted(org, po):
    assert _create(org, po, total="11666.67").total == Decimal("11666.67")


def test_order_not_signed_is_409(org):
    for status in (OrderStatus.APPROVED, OrderStatus.CANCELLED, OrderStatus.CLOSED):
        draft = f.order(org, status=status)
        with pytest.raises(Conflict) as exc:
            _create(org, draft)
        assert exc.value.code == "order_state" and "lines.1.order_line_id" in _fields(exc)


def test_purchaser_invoices_only_his_orders(org, po):
    other = accounts.user_create(actor=org["admin"], username="buyer2", password="Pass-word-2026!",
                                 display_name="买手二", department=org["buyer1"].department, roles=["purchaser"])
    with pytest.raises(Invalid) as exc:
        services.invoice_create(actor=User.objects.get(pk=other.pk), supplier_id=po.supplier_id,
                                invoice_type="vat_special", number=f.number(), issued_on=timezone.localdate(),
                                seller_tax_id=po.supplier.credit_code, lines=[f.row(line) for line in po.lines.all()])
    assert "lines.1.order_line_id" in _fields(exc)
    assert _create(org, po, by="phead1").status in (S.MATCHED, S.MISMATCH)
    assert _create(org, po, by="finance1").created_by == org["finance1"]


@pytest.mark.parametrize("who", ["rep1", "head1", "keeper1", "ceo1", "admin", "lead1"])
def test_who_may_not_record(org, po, who):
    with pytest.raises(PermissionDenied):
        _create(org, po, by=who)


def test_duplicates_are_409_unless_cancelled(org, po):
    first = _create(org, po, number="00001234")
    with pytest.raises(Conflict) as exc:
        _create(org, po, number="00001234")
    assert exc.value.code == "duplicate_invoice" and _fields(exc) == {"number"}
    assert _create(org, po, number="00001234", code="9999").pk  # another code: another invoice
    services.invoice_cancel(actor=org["buyer1"], invoice=first, reason="红冲")
    assert _create(org, po, number="00001234").pk


def test_file_is_kept(org, po):
    inv = _create(org, po, upload=f.pdf())
    assert inv.file is not None and inv.file.kind == "pdf"


# --- visibility ----------------------------------------------------------------------------------------------

def test_visibility(org, po):
    inv = f.invoice(org, po)
    for who in ("buyer1", "finance1", "phead1", "ceo1", "admin"):
        assert selectors.invoice_get(actor=org[who], pk=inv.pk).pk == inv.pk
    for who in ("rep1", "head1", "keeper1", "lead1", "market1", "legal1"):
        with pytest.raises(NotFound):
            selectors.invoice_get(actor=org[who], pk=inv.pk)
        assert not selectors.visible_invoices(org[who]).exists()


# --- hooks of lower modules ----------------------------------------------------------------------------------

def test_hooks_are_connected(org, po):
    assert services.on_receipt_accepted in receiving_hooks.accepted._receivers
    assert services.receipt_cancel_refusal in receiving_hooks.cancel_refusal._receivers
    for hook, func in ((purchasing_hooks.figures, services.order_figures),
                       (purchasing_hooks.cancel_refusal, services.order_cancel_refusal),
                       (purchasing_hooks.incomplete, services.order_incomplete)):
        assert func in hook._receivers


def test_receipt_and_order_cancel_refusals(org, po):
    receipt = f.accept(org, po)
    assert services.receipt_cancel_refusal(receipt=receipt) is None
    assert services.order_cancel_refusal(order=po) is None
    inv = f.invoice(org, po)
    assert inv.number in services.receipt_cancel_refusal(receipt=receipt)
    assert inv.number in services.order_cancel_refusal(order=po)
    services.invoice_cancel(actor=org["buyer1"], invoice=inv, reason="红冲")
    assert services.receipt_cancel_refusal(receipt=receipt) is None


def test_incomplete_until_accepted_quantities_are_verified(org, po):
    one, two = _lines(po)
    f.accept(org, po)
    assert services.order_incomplete(order=po)  # nothing invoiced
    inv = f.invoice(org, po, rows=[f.row(one)])
    services.invoice_verify(actor=org["finance1"], invoice=inv)
    assert services.order_incomplete(order=po)  # the second line is not invoiced
    inv2 = f.invoice(org, po, rows=[f.row(two)])
    services.invoice_verify(actor=org["finance1"], invoice=inv2)
    assert services.order_incomplete(order=po) is None


# --- reminder ------------------------------------------------------------------------------------------------

def test_reminder_of_an_accepted_receipt_not_invoiced_after_30_days(org, po):
    old = f.accept(org, po, days_ago=31)
    f.accept(org, f.order(org), days_ago=3)  # too recent
    due = list(reminders.unmatched_receipts(timezone.now()))
    assert [(d.recipient, old.number in d.text) for d in due] == [(org["buyer1"], True)]
    f.invoice(org, po)  # matched: covered
    assert list(reminders.unmatched_receipts(timezone.now())) == []
