"""Receipts through the services: recording (who, on which orders, the inspector, the open-quantity limit with
pending and accepted deliveries and the over-receipt allowance), submission, the inspector's split (accepted +
rejected = delivered, nothing accepted → rejected, the acceptance date), cancellation (and the higher modules'
objection), the hooks purchasing asks, purchase requests closed, the late-line reminder, the inbox, visibility."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for
from opsmon.notifications.models import Notification
from opsmon.procurement.choices import RequestStatus
from opsmon.procurement.models import ProcurementSettings, PurchaseRequest
from opsmon.procurement.tests import factories as request_factories
from opsmon.purchasing import hooks as order_hooks
from opsmon.purchasing import reminders as order_reminders
from opsmon.purchasing import services as order_services
from opsmon.purchasing.choices import OrderStatus
from opsmon.receiving import hooks, rules, selectors, services
from opsmon.receiving.choices import ReceiptStatus

from . import factories as f

pytestmark = pytest.mark.django_db


def _lines(po):
    return f.lines_of(po)


def _rows(po, *qtys):
    return [{"order_line_id": line.pk, "qty": q} for line, q in zip(_lines(po), qtys, strict=False) if q is not None]


def create(org, po, *qtys, by="buyer1", inspector="keeper1", **kw):
    return services.receipt_create(actor=org[by], order=po, delivered_on=kw.pop("delivered_on", f.today()),
                                   inspector_id=org[inspector].pk if inspector in org else inspector,
                                   lines=_rows(po, *qtys), **kw)


def fields(exc) -> set:
    return set(exc.value.fields)


# --- recording ------------------------------------------------------------------------------------------------

def test_a_delivery_is_recorded_as_a_draft_with_its_lines(org):
    po = f.order(org)
    r = create(org, po, "1", "2.5", note="第一批")
    assert r.number.startswith("DH-") and r.status == ReceiptStatus.DRAFT and r.created_by == org["buyer1"]
    assert [(rl.order_line.position, rl.qty) for rl in r.lines.order_by("order_line__position")] == [
        (1, Decimal("1")), (2, Decimal("2.5"))]
    assert r.inspector == org["keeper1"] and r.accepted_on is None
    assert rules.allowed_actions(org["buyer1"], r) == ["submit", "cancel"]
    assert rules.allowed_actions(org["keeper1"], r) == []


def test_the_procurement_head_records_too_nobody_else(org):
    po = f.order(org)
    assert create(org, po, "1", by="phead1").status == ReceiptStatus.DRAFT
    for who in ("rep1", "keeper1", "finance1", "ceo1"):
        if who in org:
            with pytest.raises(PermissionDenied):
                create(org, po, "1", by=who)


@pytest.mark.parametrize("status", [OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.COMPLETED,
                                    OrderStatus.CLOSED, OrderStatus.TERMINATED])
def test_only_signed_orders_take_deliveries(org, status):
    po = f.order(org, status=status)
    with pytest.raises(Conflict):
        create(org, po, "1")


def test_the_inspector_must_be_an_inspector_and_not_the_orders_purchaser(org):
    po = f.order(org)
    with pytest.raises(Invalid) as exc:
        create(org, po, "1", inspector="rep1")
    assert fields(exc) == {"inspector_id"}
    with pytest.raises(Invalid) as exc:
        create(org, po, "1", inspector=999999)
    assert fields(exc) == {"inspector_id"}
    own = f.order(org, owner="lead1")  # an inspector who is also the order's purchaser
    with pytest.raises(Invalid) as exc:
        create(org, own, "1", by="phead1", inspector="lead1")
    assert fields(exc) == {"inspector_id"}
    assert create(org, own, "1", by="phead1", inspector="keeper1").inspector == org["keeper1"]


def test_bad_input_names_every_field_and_changes_nothing(org):
    po = f.order(org)
    other = f.order(org)
    with pytest.raises(Invalid) as exc:
        services.receipt_create(actor=org["buyer1"], order=po, delivered_on=f.today() + timedelta(days=1),
                                inspector_id=org["keeper1"].pk,
                                lines=[{"order_line_id": _lines(other)[0].pk, "qty": "1"},
                                       {"order_line_id": _lines(po)[0].pk, "qty": "0"},
                                       {"order_line_id": _lines(po)[1].pk, "qty": "1.0001"},
                                       {"order_line_id": _lines(po)[1].pk, "qty": "1"}])
    assert fields(exc) == {"delivered_on", "lines.1.order_line_id", "lines.2.qty", "lines.3.qty",
                           "lines.4.order_line_id"}
    with pytest.raises(Invalid) as exc:
        services.receipt_create(actor=org["buyer1"], order=po, delivered_on="", inspector_id=org["keeper1"].pk,
                                lines=[])
    assert fields(exc) == {"delivered_on", "lines"}
    assert not po.receipts.exists()


def test_delivered_may_not_exceed_ordered_minus_accepted_minus_pending(org):
    po = f.order(org)
    with pytest.raises(Invalid) as exc:
        create(org, po, "2.001")
    assert fields(exc) == {"lines.1.qty"} and "服务器" in exc.value.fields["lines.1.qty"][0]
    pending = create(org, po, "1.5", "10")
    with pytest.raises(Invalid) as exc:
        create(org, po, "0.501")
    assert "0.5" in exc.value.fields["lines.1.qty"][0]
    create(org, po, "0.5")  # exactly the rest
    services.receipt_cancel(actor=org["buyer1"], receipt=pending, reason="送错了")
    r = f.accepted(org, po, ["1.5", "10"], rejected=["0.5", "0"])  # 1 of 1.5 accepted
    assert r.status == ReceiptStatus.ACCEPTED
    # ordered 2: accepted 1 (the rejected 0.5 comes again), pending 0.5 → 0.5 more
    assert services.open_qty(po) == {_lines(po)[0].pk: Decimal("0.5"), _lines(po)[1].pk: Decimal("0")}
    with pytest.raises(Invalid):
        create(org, po, "0.501")
    with pytest.raises(Invalid):
        create(org, po, None, "0.001")


def test_the_over_receipt_allowance_is_a_share_of_the_ordered_quantity(org):
    ProcurementSettings.objects.update_or_create(pk=1, defaults={"over_receipt_pct": Decimal("10.00")})
    po = f.order(org)
    with pytest.raises(Invalid):
        create(org, po, "2.201")
    assert create(org, po, "2.2", "11").status == ReceiptStatus.DRAFT


# --- submission and inspection ---------------------------------------------------------------------------------

def test_submission_tells_the_inspector_and_fills_his_inbox(org):
    po = f.order(org)
    r = create(org, po, "1")
    with pytest.raises(PermissionDenied):
        services.receipt_submit(actor=org["keeper1"], receipt=r)
    r = services.receipt_submit(actor=org["buyer1"], receipt=r)
    assert r.status == ReceiptStatus.INSPECTING
    with pytest.raises(Conflict):
        services.receipt_submit(actor=org["buyer1"], receipt=r)
    assert Notification.objects.filter(recipient=org["keeper1"], text__contains=r.number).exists()
    assert [i.record_id for i in items_for(org["keeper1"]) if i.kind == "receipt.inspect"] == [r.pk]
    assert not [i for i in items_for(org["lead1"]) if i.kind == "receipt.inspect"]
    assert rules.allowed_actions(org["keeper1"], r) == ["accept"]


def test_only_the_inspector_accepts_and_the_split_adds_up(org):
    po = f.order(org)
    r = f.receipt(org, po, ["2", "4"], submit=True)
    a, b = _lines(po)
    good = [{"order_line_id": a.pk, "accepted": "2", "rejected": "0"},
            {"order_line_id": b.pk, "accepted": "3", "rejected": "1", "note": "破损"}]
    for who in ("buyer1", "phead1", "lead1"):
        with pytest.raises(PermissionDenied):
            services.receipt_accept(actor=org[who], receipt=r, lines=good)
    with pytest.raises(Invalid) as exc:
        services.receipt_accept(actor=org["keeper1"], receipt=r, lines=[
            {"order_line_id": a.pk, "accepted": "1", "rejected": "0"},
            {"order_line_id": b.pk, "accepted": "-1", "rejected": "5"}])
    assert fields(exc) == {"lines.1.accepted", "lines.2.accepted"}
    with pytest.raises(Invalid) as exc:
        services.receipt_accept(actor=org["keeper1"], receipt=r, lines=good[:1])
    assert fields(exc) == {"lines"}
    with pytest.raises(Invalid) as exc:
        services.receipt_accept(actor=org["keeper1"], receipt=r, lines=good,
                                accepted_on=f.today() + timedelta(days=1))
    assert fields(exc) == {"accepted_on"}
    with pytest.raises(Invalid) as exc:
        services.receipt_accept(actor=org["keeper1"], receipt=r, lines=good,
                                accepted_on=r.delivered_on - timedelta(days=1))
    assert fields(exc) == {"accepted_on"}
    r.refresh_from_db()
    assert r.status == ReceiptStatus.INSPECTING and not r.lines.filter(accepted__gt=0).exists()
    r = services.receipt_accept(actor=org["keeper1"], receipt=r, lines=good)
    assert r.status == ReceiptStatus.ACCEPTED and r.accepted_on == timezone.localdate()
    assert [(rl.accepted, rl.rejected, rl.note) for rl in r.lines.order_by("order_line__position")] == [
        (Decimal("2"), Decimal("0"), ""), (Decimal("3"), Decimal("1"), "破损")]
    assert Notification.objects.filter(recipient=org["buyer1"], text__contains=r.number).exists()
    with pytest.raises(Conflict):
        services.receipt_accept(actor=org["keeper1"], receipt=r, lines=good)


def test_nothing_accepted_rejects_the_delivery_and_a_past_date_may_be_given(org):
    po = f.order(org)
    r = f.receipt(org, po, ["1"], submit=True, delivered_on=f.today() - timedelta(days=5))
    r = services.receipt_accept(actor=org["keeper1"], receipt=r, lines=[
        {"order_line_id": _lines(po)[0].pk, "accepted": "0", "rejected": "1"}])
    assert r.status == ReceiptStatus.REJECTED and r.accepted_on is None
    day = f.today() - timedelta(days=2)
    r = f.accepted(org, po, ["1"], accepted_on=day, delivered_on=f.today() - timedelta(days=3))
    assert r.status == ReceiptStatus.ACCEPTED and r.accepted_on == day


# --- what purchasing asks ----------------------------------------------------------------------------------------

def test_figures_accepted_quantities_and_the_orders_completion(org):
    po = f.order(org)
    a, b = _lines(po)
    assert services.figures(order=po) == {"received": Decimal("0.00"), "accepted_qty": {a.pk: 0, b.pk: 0}}
    assert services.order_incomplete(order=po)
    f.accepted(org, po, ["1", "3"], rejected=[0, "1"])
    # 1 × 15000.0050 = 15000.01 (half up) + 2 × 99.99 = 199.98
    assert services.figures(order=po) == {"received": Decimal("15199.99"),
                                          "accepted_qty": {a.pk: Decimal("1"), b.pk: Decimal("2")}}
    assert order_services.incomplete_reason(po) is not None
    f.accepted(org, po, ["1", "8"])
    assert services.figures(order=po)["received"] == po.total == Decimal("30999.91")
    assert services.order_incomplete(order=po) is None
    po.refresh_from_db()
    # completed unless a higher module (invoices, payments) still objects
    assert po.status == OrderStatus.COMPLETED or order_services.incomplete_reason(po) is not None


def test_the_order_may_not_be_cancelled_once_anything_is_delivered(org):
    po = f.order(org)
    assert services.order_cancel_refusal(order=po) is None
    r = create(org, po, "1")
    assert services.order_cancel_refusal(order=po)
    services.receipt_cancel(actor=org["buyer1"], receipt=r, reason="撤销")
    assert services.order_cancel_refusal(order=po) is None
    f.accepted(org, po, ["1"])
    assert services.order_cancel_refusal(order=po)
    assert any(order_hooks.cancel_refusal(order=po))


def test_acceptance_closes_the_requests_whose_every_line_is_accepted(org):
    request = request_factories.draft(org, lines=[request_factories.line(qty="2")])
    PurchaseRequest.objects.filter(pk=request.pk).update(status=RequestStatus.ORDERED)
    line = request.lines.get()
    po = f.order(org, lines=[("服务器", "2", "15000.0050", "13")], request_lines={1: line})
    f.accepted(org, po, ["1"])
    request.refresh_from_db()
    assert request.status == RequestStatus.ORDERED
    f.accepted(org, po, ["1"])
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED and request.close_reason


# --- cancellation ------------------------------------------------------------------------------------------------

def test_cancel_needs_a_reason_and_an_accepted_receipt_waits_for_the_higher_modules(org):
    po = f.order(org)
    r = f.accepted(org, po, ["1"])
    with pytest.raises(PermissionDenied):
        services.receipt_cancel(actor=org["keeper1"], receipt=r, reason="x")
    with pytest.raises(Invalid) as exc:
        services.receipt_cancel(actor=org["buyer1"], receipt=r, reason=" ")
    assert fields(exc) == {"reason"}

    def invoiced(*, receipt):
        return "已有发票匹配" if receipt.pk == r.pk else None
    hooks.cancel_refusal.connect(invoiced)
    try:
        with pytest.raises(Conflict) as exc:
            services.receipt_cancel(actor=org["buyer1"], receipt=r, reason="退货")
        assert "已有发票匹配" in str(exc.value.message)
        assert "cancel" not in rules.allowed_actions(org["buyer1"], r)
    finally:
        hooks.cancel_refusal._receivers.remove(invoiced)
    r = services.receipt_cancel(actor=org["phead1"], receipt=r, reason="退货")
    assert r.status == ReceiptStatus.CANCELLED and r.status_reason == "退货"
    assert selectors.accepted_qty(po)[_lines(po)[0].pk] == 0
    with pytest.raises(Conflict):
        services.receipt_cancel(actor=org["buyer1"], receipt=r, reason="再次")


def test_a_rejected_receipt_is_not_cancelled(org):
    po = f.order(org)
    r = f.accepted(org, po, ["1"], rejected=["1"])
    assert r.status == ReceiptStatus.REJECTED
    with pytest.raises(Conflict):
        services.receipt_cancel(actor=org["buyer1"], receipt=r, reason="x")


# --- reminders and visibility -------------------------------------------------------------------------------------

def test_late_lines_remind_the_purchaser_daily_counting_what_was_accepted(org):
    """The order's reminder (purchasing) reads the accepted quantities from receiving (purchasing.hooks.accepted)."""
    late = f.order(org, promised_on=f.today() - timedelta(days=1))
    f.order(org, promised_on=f.today() + timedelta(days=1))
    f.order(org, promised_on=f.today() - timedelta(days=1), status=OrderStatus.COMPLETED)
    f.accepted(org, late, ["2"])  # line 1 done, line 2 still late
    due = list(order_reminders.late_deliveries(timezone.now()))
    assert [(d.recipient, d.url) for d in due] == [(org["buyer1"], f"/procurement/orders/{late.pk}/")]
    assert "网线" in due[0].text and late.number in due[0].text


def test_the_inspector_sees_his_receipts_and_the_orders_viewers_see_the_orders(org):
    po = f.order(org)
    mine = create(org, po, "1", inspector="keeper1")
    theirs = create(org, po, "1", inspector="lead1")
    assert set(selectors.visible_receipts(org["keeper1"])) >= {mine}
    for who in ("buyer1", "phead1", "finance1"):
        assert set(selectors.visible_receipts(org[who])) == {mine, theirs}
    assert not selectors.visible_receipts(org["rep1"]).exists()
    with pytest.raises(NotFound):
        selectors.receipt_get(actor=org["rep1"], pk=mine.pk)
