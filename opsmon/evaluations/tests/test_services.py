"""Supplier evaluations through the services: who evaluates which orders, the measures from the receipts (on time
by the promised date, quality), the weighted score and its grade, the supplier's grade, two Ds in a row, the
order's close refusal, input checks."""

from datetime import timedelta
from decimal import Decimal

import pytest

from opsmon.core.errors import Conflict, Invalid, PermissionDenied
from opsmon.evaluations import rules, selectors, services
from opsmon.evaluations.models import SupplierEvaluation
from opsmon.notifications.models import Notification
from opsmon.procurement.models import ProcurementSettings
from opsmon.purchasing import hooks as order_hooks
from opsmon.purchasing.choices import OrderStatus
from opsmon.receiving.tests import factories as f
from opsmon.suppliers.tests import factories as supplier_factories

pytestmark = pytest.mark.django_db


def days(n):
    return f.today() + timedelta(days=n)


def delivered(org, **kw):
    """An order promised 5 days ago: line 1 (2 servers) accepted in time, line 2 (10 cables) 8 accepted late."""
    po = f.order(org, promised_on=days(-5), **kw)
    f.accepted(org, po, ["2"], delivered_on=days(-7), accepted_on=days(-6))
    f.accepted(org, po, [None, "10"], rejected=[0, "2"], delivered_on=days(-2), accepted_on=days(-1))
    return po


def evaluate(org, po, price="90", service="80", by="buyer1", comment=""):
    return services.evaluation_save(actor=org[by], order=po, price=price, service=service, comment=comment)


def test_measures_score_and_grade(org):
    po = delivered(org)
    assert services.measures(po) == {"on_time": Decimal("50.00"), "quality": Decimal("83.33"),
                                     "delivered": Decimal("12")}
    e = evaluate(org, po, comment="响应及时")
    # (40 × 83.33 + 30 × 50 + 20 × 90 + 10 × 80) / 100 = 74.332
    assert (e.on_time, e.quality, e.price, e.service, e.score, e.grade) == (
        Decimal("50.00"), Decimal("83.33"), Decimal("90"), Decimal("80"), Decimal("74.33"), "B")
    assert e.supplier == po.supplier and e.created_by == org["buyer1"] and e.comment == "响应及时"
    po.supplier.refresh_from_db()
    assert po.supplier.grade == "B"


def test_grades_bounds_and_weights_from_the_settings(org):
    assert [services.grade_of(Decimal(s)) for s in ("85", "84.99", "70", "69.99", "50", "49.99", "0")] == [
        "A", "B", "B", "C", "C", "D", "D"]
    ProcurementSettings.objects.update_or_create(pk=1, defaults={
        "weight_quality": 100, "weight_on_time": 0, "weight_price": 0, "weight_service": 0})
    e = evaluate(org, delivered(org), price="0", service="0")
    assert e.score == Decimal("83.33") and e.grade == "B"


def test_evaluating_again_replaces_the_evaluation(org):
    po = delivered(org)
    first = evaluate(org, po)
    again = evaluate(org, po, price="100", service="100", by="phead1")
    assert again.pk == first.pk and SupplierEvaluation.objects.filter(order=po).count() == 1
    assert again.score == Decimal("78.33") and again.created_by == org["phead1"]


def test_who_and_when(org):
    po = delivered(org)
    for who in ("keeper1", "rep1", "finance1", "ceo1"):
        with pytest.raises(PermissionDenied):
            evaluate(org, po, by=who)
    assert rules.allowed_actions(org["buyer1"], po) == ["evaluate"]
    assert rules.allowed_actions(org["keeper1"], po) == []
    for status in (OrderStatus.DRAFT, OrderStatus.APPROVED, OrderStatus.CLOSED, OrderStatus.CANCELLED,
                   OrderStatus.TERMINATED):
        other = f.order(org, status=status)
        with pytest.raises(Conflict):
            evaluate(org, other)
    completed = f.order(org, status=OrderStatus.SIGNED)
    f.accepted(org, completed, ["2", "10"])
    completed.refresh_from_db()
    if completed.status == OrderStatus.COMPLETED:
        assert evaluate(org, completed).grade == "A"


def test_nothing_inspected_yet_is_refused(org):
    po = f.order(org)
    with pytest.raises(Conflict):
        evaluate(org, po)
    f.receipt(org, po, ["1"], submit=True)  # delivered, not inspected
    with pytest.raises(Conflict):
        evaluate(org, po)


def test_marks_are_0_to_100_with_two_decimals(org):
    po = delivered(org)
    with pytest.raises(Invalid) as exc:
        evaluate(org, po, price="100.01", service="abc")
    assert set(exc.value.fields) == {"price", "service"}
    for bad in ("-1", "1.234", "", "１"):
        with pytest.raises(Invalid):
            evaluate(org, po, price=bad)
    with pytest.raises(Invalid) as exc:
        evaluate(org, po, comment="x" * 501)
    assert set(exc.value.fields) == {"comment"}
    assert not SupplierEvaluation.objects.exists()


def test_two_ds_in_a_row_ask_the_procurement_heads_to_suspend(org):
    supplier = supplier_factories.qualified(org)
    orders = []
    for _ in range(3):
        po = f.order(org, supplier=supplier)
        f.accepted(org, po, ["1"], rejected=["1"])  # everything rejected: quality 0, on time 0
        orders.append(po)
    assert evaluate(org, orders[0], price="0", service="0").grade == "D"
    assert not Notification.objects.filter(recipient=org["phead1"], text__contains=supplier.name).exists()
    assert evaluate(org, orders[1], price="100", service="100").grade == "D"  # 30
    sent = Notification.objects.filter(recipient=org["phead1"], text__contains=supplier.name)
    assert sent.count() == 1 and orders[1].number in sent.get().text
    supplier.refresh_from_db()
    assert supplier.grade == "D"


def test_an_order_closes_only_once_evaluated(org):
    po = delivered(org)
    assert services.close_refusal(order=po)
    assert any(order_hooks.close_refusal(order=po))
    evaluate(org, po)
    assert services.close_refusal(order=po) is None


def test_evaluations_are_seen_with_their_order(org):
    po = delivered(org)
    e = evaluate(org, po)
    assert list(selectors.visible_evaluations(org["phead1"])) == [e]
    assert list(selectors.visible_evaluations(org["buyer1"])) == [e]
    assert not selectors.visible_evaluations(org["rep1"]).exists()
