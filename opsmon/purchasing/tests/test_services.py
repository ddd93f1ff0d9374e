"""Purchase orders through their services: creation from an award, terms, review (return, reject, the extra
procurement-head and budget steps), signing, cancelling, terminating, completing, closing, amendments, the
project's commitment, visibility."""

from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.errors import ApplicationError
from opsmon.procurement import selectors as procurement_selectors
from opsmon.procurement.choices import RequestStatus
from opsmon.procurement.tests import factories as pf
from opsmon.purchasing import hooks, rules, selectors, services
from opsmon.purchasing.models import OrderVersion, PurchaseOrder
from opsmon.sourcing.choices import SourcingStatus
from opsmon.suppliers import services as supplier_services
from opsmon.suppliers.tests import factories as sf

from . import factories as f

pytestmark = pytest.mark.django_db


@contextmanager
def only(hook, receiver):
    """`hook` answered by `receiver` alone for the block (the higher modules' receivers set aside)."""
    kept = list(hook._receivers)
    hook._receivers[:] = [receiver]
    try:
        yield
    finally:
        hook._receivers[:] = kept


def refused(call, status, field=None, code=None):
    with pytest.raises(ApplicationError) as caught:
        call()
    assert caught.value.status == status, (caught.value.status, caught.value.message, caught.value.fields)
    if field:
        assert field in caught.value.fields, caught.value.fields
    if code:
        assert caught.value.code == code, caught.value.code
    return caught.value


def patch(order, who=None, **fields):
    order = PurchaseOrder.objects.get(pk=order.pk)
    return services.order_update(actor=who or order.owner, order=order, version=order.version, **fields)


def test_create_orders_one_per_supplier_at_award_prices(org):
    a, b = sf.qualified(org), sf.qualified(org)
    request = f.approved_request(org, lines=[pf.line(qty="2", est_unit_price="15000"),
                                             pf.line(item="交换机", qty="3", est_unit_price="1000")])
    sourcing = f.awarded_sourcing(org, request=request, suppliers=[a, b], prices=("14000.005", "999.99"))
    refused(lambda: services.orders_create(actor=org["rep1"], sourcing=sourcing), 403)
    orders = services.orders_create(actor=org["buyer1"], sourcing=sourcing)
    assert len(orders) == 2 and {o.supplier_id for o in orders} == {a.pk, b.pk}
    first = next(o for o in orders if o.supplier_id == a.pk)
    assert first.number.startswith("CGHT-") and first.status == "draft" and first.owner == org["buyer1"]
    assert first.total == Decimal("28000.01") and first.award_total == Decimal("28000.01")
    line = first.lines.get()
    assert line.amount_excl == Decimal("24778.77") and first.total_excl == Decimal("24778.77")
    assert line.promised_on == timezone.localdate() + timezone.timedelta(days=10)
    assert first.retention_pct == Decimal("5.00") and first.invoice_type == "vat_special"
    assert [(m.kind, m.percent) for m in first.milestones.all()] == [("acceptance", Decimal("95.00")),
                                                                     ("retention", Decimal("5.00"))]
    sourcing.refresh_from_db()
    request.refresh_from_db()
    assert sourcing.status == SourcingStatus.DONE and request.status == RequestStatus.ORDERED
    refused(lambda: services.orders_create(actor=org["buyer1"], sourcing=sourcing), 409, code="wrong_state")


def test_create_orders_refuses_an_ineligible_supplier(org):
    supplier = sf.qualified(org)
    sourcing = f.awarded_sourcing(org, suppliers=[supplier])
    supplier_services.supplier_blacklist(actor=org["phead1"], supplier=supplier, reason="造假")
    refused(lambda: services.orders_create(actor=org["buyer1"], sourcing=sourcing), 409,
            code="supplier_blacklisted")
    assert not PurchaseOrder.objects.exists()


def test_project_and_contract_come_from_the_requests(org):
    project = pf.project(org)
    order = f.draft(org, project_=project)
    assert order.project_id == project.pk


def test_terms_milestones_retention_and_sme(org):
    order = f.draft(org, suppliers=[sf.qualified(org, is_sme=True)])
    err = refused(lambda: patch(order, milestones=[{"kind": "advance", "percent": "30", "name": "预付"},
                                                   {"kind": "acceptance", "percent": "60", "name": "验收"}]),
                  422, "milestones")
    assert "100" in str(err.fields["milestones"])
    refused(lambda: patch(order, retention_pct="10"), 422, "milestones")  # milestones still say 5
    refused(lambda: patch(order, milestones=[{"kind": "bonus", "percent": "100", "name": "x"}]), 422,
            "milestones.1.kind")
    refused(lambda: patch(order, pay_after_customer=True), 422, "pay_after_customer")
    refused(lambda: patch(order, invoice_type="cash"), 422, "invoice_type")
    refused(lambda: patch(order, title="x", payment_days="abc"), 422, "payment_days")
    refused(lambda: patch(order, org["phead1"], title="x"), 403)
    refused(lambda: services.order_update(actor=order.owner, order=order, version=order.version - 1, title="x"),
            409)
    order = patch(order, retention_pct="12", payment_days=90, milestones=[
        {"kind": "advance", "percent": "30", "name": "预付款"}, {"kind": "acceptance", "percent": "58", "name": ""},
        {"kind": "retention", "percent": "12", "name": "质保金"}])
    assert order.retention_pct == Decimal("12.00") and order.milestones.count() == 3
    assert len(order.warnings) == 2  # retention above 10 %, SME paid after 60 days
    line = order.lines.get()
    order = patch(order, lines=[{"id": line.pk, "promised_on": "2027-01-31"}])
    assert str(order.lines.get().promised_on) == "2027-01-31"
    refused(lambda: patch(order, lines=[{"id": 999999, "promised_on": "2027-01-31"}]), 422, "lines.1.id")


def test_review_return_reject_and_approve(org):
    order = f.draft(org)
    refused(lambda: services.order_submit(actor=org["phead1"], order=order), 403)
    order = services.order_submit(actor=org["buyer1"], order=order)
    assert order.status == "in_review"
    step = approval_selectors.current_step(order)
    assert [d.user.username for d in step.deciders.all()] == ["phead1"]
    refused(lambda: services.order_decide(actor=org["buyer1"], order=order, decision="approve"), 403)
    order = services.order_decide(actor=org["phead1"], order=order, decision="return", comment="改付款条件")
    assert order.status == "draft"
    order = services.order_submit(actor=org["buyer1"], order=order)
    order = services.order_decide(actor=org["phead1"], order=order, decision="approve")
    assert order.status == "approved" and rules.allowed_actions(org["buyer1"], order) == ["sign", "cancel"]
    rejected = services.order_decide(actor=org["phead1"], order=f.submitted(org), decision="reject",
                                     comment="不需要")
    assert rejected.status == "cancelled" and rejected.status_reason == "不需要"


def test_total_above_award_adds_a_procurement_head_step_and_large_orders_a_finance_step(org):
    order = f.draft(org, prices=("60000",))  # 120,000 incl.
    PurchaseOrder.objects.filter(pk=order.pk).update(award_total=Decimal("100000.00"))
    order = services.order_submit(actor=org["buyer1"], order=order)
    steps = list(approval_selectors.current_round(order).steps.order_by("position"))
    assert [s.kind for s in steps] == ["procurement", "procurement"]
    assert any("above" in w or "高于" in w for w in order.warnings)
    big = f.submitted(org, prices=("150000",))  # 300,000: procurement head, then finance
    assert [s.kind for s in approval_selectors.current_round(big).steps.order_by("position")] == [
        "procurement", "finance"]
    assert f.decide_all(org, big).status == "approved"


def test_project_order_gets_the_budget_check(org):
    project = pf.project(org)
    order = f.submitted(org, project_=project)  # no approved budget: a budget step by the project's head
    kinds = [s.kind for s in approval_selectors.current_round(order).steps.order_by("position")]
    assert kinds == ["procurement", "budget"] and order.warnings
    order = f.decide_all(org, order)
    assert order.status == "approved"
    assert procurement_selectors.committed_of(project) == Decimal("24778.76")  # excl. tax (专票): 28000 / 1.13
    assert procurement_selectors.committed_by_category(project) == {"hardware": Decimal("24778.76")}
    services.order_update  # noqa: B018 - the draft path is covered above


def test_sign_cancel_terminate_and_versions(org):
    order = f.approved(org)
    refused(lambda: services.order_sign(actor=order.owner, order=order, signed_on="2999-01-01",
                                        signed_copy=f.pdf()), 422, "signed_on")
    refused(lambda: services.order_sign(actor=order.owner, order=order, signed_on=timezone.localdate(),
                                        signed_copy=None), 422, "file")
    seen = []
    with only(hooks.signed, lambda order: seen.append(order.pk)):
        order = services.order_sign(actor=order.owner, order=order, signed_on=timezone.localdate(),
                                    signed_copy=f.pdf())
    assert order.status == "signed" and order.signed_file_id and order.original_total == order.total
    assert seen == [order.pk] and OrderVersion.objects.get(order=order).revision == 1
    refused(lambda: services.order_cancel(actor=org["buyer1"], order=order, reason=""), 422, "reason")

    with only(hooks.cancel_refusal, lambda order: "已收货"):
        refused(lambda: services.order_cancel(actor=org["buyer1"], order=order, reason="不要了"), 409)
    with only(hooks.cancel_refusal, lambda order: None):
        cancelled = services.order_cancel(actor=org["phead1"], order=order, reason="不要了")
    assert cancelled.status == "cancelled"

    other = f.signed(org)
    line = other.lines.get()

    with only(hooks.accepted, lambda order: {line.pk: Decimal("0.5")}):
        terminated = services.order_terminate(actor=org["buyer1"], order=other, reason="供应商违约")
    assert terminated.status == "terminated" and terminated.lines.get().dropped_qty == Decimal("1.5")
    refused(lambda: services.order_terminate(actor=org["buyer1"], order=terminated, reason="x"), 409)


def test_completed_and_closed_through_the_hooks(org):
    order = f.signed(org)
    assert services.check_completed(order).status == "signed"  # nothing received
    answers = {"incomplete": "未全部验收", "close": "质保金未结清"}
    with only(hooks.incomplete, lambda order: answers["incomplete"]), \
            only(hooks.close_refusal, lambda order: answers["close"]):
        assert services.check_completed(order).status == "signed"
        answers["incomplete"] = None
        order = services.check_completed(order)
        assert order.status == "completed" and order.completed_at
        refused(lambda: services.order_close(actor=org["buyer1"], order=order), 409, code="not_closable")
        answers["close"] = None
        refused(lambda: services.order_close(actor=org["rep1"], order=order), 403)
        assert services.order_close(actor=org["phead1"], order=order).status == "closed"


def test_amendments_are_reviewed_and_versioned(org):
    order = f.signed(org)
    line = order.lines.get()
    refused(lambda: services.amendment_propose(actor=org["phead1"], order=order, changes={"payment_days": 45}), 403)
    refused(lambda: services.amendment_propose(actor=order.owner, order=order, changes={"supplier": 1}), 422,
            "changes")
    refused(lambda: services.amendment_propose(actor=order.owner, order=order, changes={"payment_days": 30}), 422,
            "changes")  # nothing changes
    refused(lambda: services.amendment_propose(actor=order.owner, order=order,
                                               changes={"lines": [{"id": line.pk, "qty": "3"}]}), 422, "reason")

    with only(hooks.accepted, lambda order: {line.pk: Decimal("2")}):
        refused(lambda: services.amendment_propose(actor=order.owner, order=order, reason="减量",
                                                   changes={"lines": [{"id": line.pk, "qty": "1"}]}), 422,
                "changes.lines.1.qty")
    amendment = services.amendment_propose(actor=order.owner, order=order, reason="增加一台",
                                           changes={"lines": [{"id": line.pk, "qty": "3"}], "payment_days": 45})
    assert amendment.status == "in_review" and amendment.changes["total"] == "42000.00"
    refused(lambda: services.amendment_propose(actor=order.owner, order=order, changes={"payment_days": 50}), 409,
            code="amendment_open")
    order = f.decide_all(org, PurchaseOrder.objects.get(pk=order.pk))
    amendment.refresh_from_db()
    assert amendment.status == "approved" and order.revision == 2 and order.total == Decimal("42000.00")
    assert order.payment_days == 45 and order.lines.get().qty == Decimal("3")
    assert list(order.versions.values_list("revision", flat=True)) == [1, 2]
    again = services.amendment_propose(actor=order.owner, order=order, changes={"warranty_months": 24})
    f.decide_all(org, PurchaseOrder.objects.get(pk=order.pk), decision="reject")
    again.refresh_from_db()
    assert again.status == "rejected" and PurchaseOrder.objects.get(pk=order.pk).warranty_months == 12


def test_visibility(org):
    project = pf.project(org)
    order = f.draft(org, project_=project)
    for name in ("buyer1", "phead1", "ceo1", "admin", "finance1", "rep1", "head1"):
        assert selectors.visible_orders(org[name]).filter(pk=order.pk).exists(), name
    for name in ("rep2", "head2", "keeper1", "market1"):
        assert not selectors.visible_orders(org[name]).filter(pk=order.pk).exists(), name
    figures = selectors.figures(order)
    assert figures["received"] == 0 and selectors.degree(figures["paid"], order.total) == "none"


def test_late_lines_are_reminded_to_the_purchaser(org):
    from opsmon.purchasing import reminders

    order = f.signed(org)
    line = order.lines.get()
    later = timezone.now() + timezone.timedelta(days=30)
    with only(hooks.accepted, lambda order: {}):
        due = [d for d in reminders.late_deliveries(later) if order.number in d.text]
        assert [d.recipient.username for d in due] == ["buyer1"] and line.item in due[0].text
        assert not [d for d in reminders.late_deliveries(timezone.now()) if order.number in d.text]
    with only(hooks.accepted, lambda order: {line.pk: line.qty}):
        assert not [d for d in reminders.late_deliveries(later) if order.number in d.text]


def test_an_inspector_sees_the_orders_of_his_receipts(org):
    from opsmon.receiving.tests import factories as receiving_factories

    order = f.signed(org)
    assert not selectors.visible_orders(org["keeper1"]).filter(pk=order.pk).exists()
    receiving_factories.receipt(org, order, ["1"], inspector="keeper1")
    assert selectors.visible_orders(org["keeper1"]).filter(pk=order.pk).count() == 1
    assert selectors.order_get(actor=org["keeper1"], pk=order.pk).pk == order.pk
