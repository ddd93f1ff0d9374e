"""Payment requests and retention through the services: the ceiling at creation and submission (422 on `amount`),
each transition and refusal with its field or reason, the roles, due dates, warnings, the hooks lower modules call,
visibility and the reminders."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext

from opsmon.accounts.models import User
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for
from opsmon.core.timeline import entries_for
from opsmon.payments import reminders, rules, selectors, services
from opsmon.purchasing import hooks as order_hooks
from opsmon.supplier_invoices import hooks as invoice_hooks
from opsmon.suppliers import services as supplier_services

from . import factories as f

pytestmark = pytest.mark.django_db


def fields(excinfo) -> set:
    return set(excinfo.value.fields)


# --- creation ------------------------------------------------------------------------------------------------

def test_a_draft_on_a_signed_order_with_number_due_date_and_no_warning(org):
    po = f.delivered(org)
    record = f.draft(org, po, kind="progress", amount="38000", note="第一笔进度款")
    assert record.number.startswith("FK-") and record.status == "draft" and record.amount == Decimal("38000.00")
    assert record.due_on == f.today() - timedelta(days=5) + timedelta(days=30)  # acceptance + payment days
    assert record.warnings == [] and record.department == org["buyer1"].department
    advance = f.draft(org, po, kind="advance", amount="30000")
    assert advance.due_on == po.signed_on + timedelta(days=30)
    assert [e.action for e in entries_for(record)] == ["paymentrequest.created"]


def test_bad_input_is_refused_naming_every_field_and_nothing_is_written(org):
    po = f.delivered(org)
    other = f.supplier(org)
    foreign = f.account(org, other)
    unverified = f.invoice(org, po, "1", status="matched")
    with pytest.raises(Invalid) as excinfo:
        services.payment_create(actor=org["buyer1"], order_id=po.pk, kind="bonus", amount="0",
                                payee_account_id=foreign.pk, invoice_ids=[unverified.pk], note="\x07")
    assert fields(excinfo) == {"kind", "amount", "payee_account_id", "invoice_ids", "note"}
    with pytest.raises(Invalid) as excinfo:
        services.payment_create(actor=org["buyer1"], order_id=999999, kind="advance", amount="1",
                                payee_account_id=foreign.pk)
    assert fields(excinfo) == {"order_id"}
    assert not po.payment_requests.exists()


def test_above_the_ceiling_is_a_422_on_amount_naming_what_is_left(org):
    po = f.delivered(org)  # V = 40,000 → 38,000 for advance + progress; A = 30,000
    with pytest.raises(Invalid) as excinfo:
        f.draft(org, po, kind="progress", amount="38000.01")
    assert fields(excinfo) == {"amount"} and "38,000.00" in excinfo.value.fields["amount"][0]
    with pytest.raises(Invalid) as excinfo:
        f.draft(org, po, kind="advance", amount="30000.01")
    assert "30,000.00" in excinfo.value.fields["amount"][0]
    with pytest.raises(Invalid) as excinfo:
        f.draft(org, po, kind="retention", amount="1")
    assert "0.00" in excinfo.value.fields["amount"][0]  # held, not released


def test_requests_in_review_approved_and_paid_count_drafts_and_rejected_do_not(org):
    po = f.delivered(org)
    f.paid(org, po, kind="advance", amount="20000")
    f.approved(org, po, kind="progress", amount="10000")
    f.draft(org, po, kind="progress", amount="8000")  # a draft counts only for itself
    rejected = f.submitted(org, po, kind="progress", amount="8000")
    f.decide_all(org, rejected, "reject")
    assert services.order_ceiling(po) == {"advance": Decimal("8000.00"), "progress": Decimal("8000.00"),
                                          "retention": Decimal("0.00")}
    with pytest.raises(Invalid):
        f.draft(org, po, kind="progress", amount="8000.01")


def test_the_ceiling_is_checked_again_at_submission(org):
    po = f.delivered(org)
    first, second = f.draft(org, po, amount="30000"), f.draft(org, po, amount="30000")
    services.payment_submit(actor=org["buyer1"], record=first)
    with pytest.raises(Invalid) as excinfo:
        services.payment_submit(actor=org["buyer1"], record=second)
    assert fields(excinfo) == {"amount"} and "8,000.00" in excinfo.value.fields["amount"][0]
    second.refresh_from_db()
    assert second.status == "draft"


def test_who_files_and_on_which_orders(org):
    po = f.delivered(org)
    for who in ("rep1", "finance1", "ceo1", "keeper1"):
        with pytest.raises(PermissionDenied):
            f.draft(org, po, by=who)
    assert f.draft(org, po, by="phead1").owner == org["phead1"]  # the procurement head files on any order
    draft_order = f.order(org, status="draft")
    with pytest.raises(Conflict):
        f.draft(org, draft_order, kind="advance", amount="1")
    terminated = f.order(org, status="terminated")
    assert f.draft(org, terminated, kind="advance", amount="1").status == "draft"  # still payable
    # another purchaser's order is not his
    other = User.objects.create_user("buyer2", password="x", department=org["buyer1"].department)
    other.groups.add(Group.objects.get(name="purchaser"))
    with pytest.raises(Invalid) as excinfo:
        services.payment_create(actor=other, order_id=po.pk, kind="advance", amount="1",
                                payee_account_id=po.supplier.bank_accounts.first().pk)
    assert fields(excinfo) == {"order_id"}


def test_a_blacklisted_supplier_stays_payable_with_a_warning(org):
    po = f.delivered(org)
    supplier_services.supplier_blacklist(actor=org["phead1"], supplier=po.supplier, reason="串标")
    record = f.draft(org, po, amount="1000")
    assert record.warnings == [gettext("Supplier %(s)s is blacklisted: money owed stays payable; check before paying.")
                               % {"s": po.supplier.name}]
    record = f.approved(org, po, amount="1000")
    assert record.status == "approved" and record.warnings


# --- review ---------------------------------------------------------------------------------------------------

def test_submit_approve_pay_by_amount_band(org):
    po = f.delivered(org)
    record = f.submitted(org, po, amount="38000")
    assert record.status == "in_review"
    step = rules.current_step(record)
    assert [d.user.username for d in step.deciders.all()] == ["phead1"]
    with pytest.raises(PermissionDenied):
        services.payment_decide(actor=org["buyer1"], record=record, decision="approve")
    record = f.decide_all(org, record)
    assert record.status == "approved"
    assert rules.allowed_actions(org["finance1"], record) == ["pay"]
    assert rules.allowed_actions(org["buyer1"], record) == ["cancel"]
    record = services.payment_pay(actor=org["finance1"], record=record, paid_on=f.today(), amount="38000",
                                  method="bank_transfer", reference="HX-123")
    assert record.status == "paid" and record.paid_amount == Decimal("38000.00") and record.paid_by == org["finance1"]
    assert services.figures(po) == {"paid": Decimal("38000.00"), "paid_excl_retention": Decimal("38000.00")}


def test_a_large_request_has_a_finance_step_after_the_procurement_head(org):
    po = f.order(org, price="100000.0000")  # 1,000,000; A = 300,000
    record = f.submitted(org, po, kind="advance", amount="150000")
    review = rules.current_step(record).review
    assert [s.kind for s in review.steps.order_by("position")] == ["procurement", "finance"]
    assert f.decide_all(org, record).status == "approved"


def test_return_then_resubmit_is_a_new_round_and_reject_is_final(org):
    po = f.delivered(org)
    record = f.submitted(org, po, amount="1000")
    record = f.decide_all(org, record, "return", "补发票")
    assert record.status == "returned" and rules.allowed_actions(org["buyer1"], record) == ["submit", "cancel"]
    record = services.payment_submit(actor=org["buyer1"], record=record)
    assert rules.current_step(record).review.round == 2
    record = f.decide_all(org, record, "reject", "重复申请")
    assert record.status == "rejected" and rules.allowed_actions(org["buyer1"], record) == []
    with pytest.raises(Conflict):
        services.payment_submit(actor=org["buyer1"], record=record)


def test_only_the_requester_submits(org):
    record = f.draft(org, f.delivered(org), amount="1000")
    with pytest.raises(PermissionDenied):
        services.payment_submit(actor=org["phead1"], record=record)


# --- pay and cancel --------------------------------------------------------------------------------------------

def test_pay_refusals(org):
    po = f.delivered(org)
    draft = f.draft(org, po, amount="500")
    with pytest.raises(Conflict):
        services.payment_pay(actor=org["finance1"], record=draft, paid_on=f.today(), amount="500",
                             method="bank_transfer", reference="x")
    record = f.approved(org, po, amount="1000")
    for who in ("buyer1", "phead1", "ceo1"):
        with pytest.raises(PermissionDenied):
            services.payment_pay(actor=org[who], record=record, paid_on=f.today(), amount="1000",
                                 method="bank_transfer", reference="x")
    with pytest.raises(Invalid) as excinfo:
        services.payment_pay(actor=org["finance1"], record=record, paid_on=f.today() + timedelta(days=1),
                             amount="1000.01", method="cash", reference="")
    assert fields(excinfo) == {"paid_on", "amount", "method", "reference"}
    record.refresh_from_db()
    assert record.status == "approved"
    partial = services.payment_pay(actor=org["finance1"], record=record, paid_on=f.today(), amount="999",
                                   method="bank_acceptance", reference="票据 01")
    assert partial.paid_amount == Decimal("999.00")
    with pytest.raises(Conflict):
        services.payment_pay(actor=org["finance1"], record=partial, paid_on=f.today(), amount="1",
                             method="bank_transfer", reference="x")


def test_finance_never_pays_his_own_request(org):
    finance = org["finance1"]
    finance.groups.add(Group.objects.get(name="purchaser"))
    finance = User.objects.get(pk=finance.pk)
    po = f.delivered(org, owner="finance1")
    record = f.approved(org, po, amount="1000")
    assert record.owner == finance
    with pytest.raises(PermissionDenied) as excinfo:
        services.payment_pay(actor=finance, record=record, paid_on=f.today(), amount="1000",
                             method="bank_transfer", reference="x")
    assert excinfo.value.code == "own_request"


def test_cancel_draft_returned_and_approved_but_not_paid(org):
    po = f.delivered(org)
    record = f.approved(org, po, amount="1000")
    with pytest.raises(Invalid) as excinfo:
        services.payment_cancel(actor=org["buyer1"], record=record, reason=" ")
    assert fields(excinfo) == {"reason"}
    with pytest.raises(PermissionDenied):
        services.payment_cancel(actor=org["finance1"], record=record, reason="x")
    record = services.payment_cancel(actor=org["buyer1"], record=record, reason="供应商改账户")
    assert record.status == "cancelled" and record.status_reason == "供应商改账户"
    assert services.payment_cancel(actor=org["phead1"], record=f.draft(org, po, amount="5"),
                                   reason="重复").status == "cancelled"
    paid = f.paid(org, po, amount="1000")
    with pytest.raises(Conflict):
        services.payment_cancel(actor=org["buyer1"], record=paid, reason="x")
    in_review = f.submitted(org, po, amount="10")
    with pytest.raises(Conflict):
        services.payment_cancel(actor=org["buyer1"], record=in_review, reason="x")


# --- retention -------------------------------------------------------------------------------------------------

def test_signing_holds_the_retention_due_only_once_everything_is_accepted(org):
    po = f.order(org)
    retention = selectors.retention_of(po)
    assert retention.amount == Decimal("5000.00") and retention.status == "held" and retention.due_on is None
    f.accept(org, po, "4", accepted_on=f.today() - timedelta(days=20))
    assert services.refresh_due(po).due_on is None  # 6 still to come
    f.accept(org, po, "6", accepted_on=f.today() - timedelta(days=3))
    retention = services.refresh_due(po)
    assert retention.due_on == services.add_months(f.today() - timedelta(days=3), 12) and retention.status == "held"
    later = retention.due_on
    retention = services.refresh_due(po, today=later)
    assert retention.status == "due"
    assert [e.action for e in entries_for(retention)] == ["retention.held", "retention.updated", "retention.due"]
    assert services.add_months(f.today().replace(year=2024, month=1, day=31), 1).day == 29


def test_no_retention_rate_settles_at_once(org):
    po = f.order(org, retention_pct="0.00")
    assert selectors.retention_of(po).status == "settled" and services.close_refusal(po) is None


def _due(org):
    po = f.order(org)
    f.accept(org, po, "10", accepted_on=f.today() - timedelta(days=400))
    retention = services.refresh_due(po)
    assert retention.status == "due"
    return po, retention


def test_sign_off_by_an_inspector_who_is_not_the_purchaser_once_due(org):
    po = f.order(org)
    held = selectors.retention_of(po)
    with pytest.raises(Conflict):
        services.retention_sign_off(actor=org["keeper1"], retention=held)
    po, retention = _due(org)
    for who in ("buyer1", "phead1", "finance1"):
        with pytest.raises(PermissionDenied):
            services.retention_sign_off(actor=org[who], retention=retention)
    inspector_buyer = org["buyer1"]
    inspector_buyer.groups.add(Group.objects.get(name="inspector"))
    with pytest.raises(PermissionDenied) as excinfo:
        services.retention_sign_off(actor=User.objects.get(pk=inspector_buyer.pk), retention=retention)
    assert excinfo.value.code == "own_order"
    with pytest.raises(Invalid):
        services.retention_sign_off(actor=org["keeper1"], retention=retention, comment="\x00")
    signed = services.retention_sign_off(actor=org["keeper1"], retention=retention)
    assert signed.signed_off_by == org["keeper1"] and signed.sign_off_comment == gettext("No open defects.")
    with pytest.raises(Conflict):
        services.retention_sign_off(actor=org["lead1"], retention=signed)


def test_release_after_sign_off_with_a_deduction_then_the_retention_payment_settles_it(org):
    po, retention = _due(org)
    f.invoice(org, po, "10")
    with pytest.raises(Conflict) as excinfo:
        services.retention_release(actor=org["phead1"], retention=retention)
    assert excinfo.value.code == "not_signed_off"
    retention = services.retention_sign_off(actor=org["keeper1"], retention=retention, comment="无遗留缺陷")
    with pytest.raises(PermissionDenied):
        services.retention_release(actor=org["buyer1"], retention=retention)
    with pytest.raises(Invalid) as excinfo:
        services.retention_release(actor=org["phead1"], retention=retention, deduction="5000.01", reason="x")
    assert fields(excinfo) == {"deduction"}
    with pytest.raises(Invalid) as excinfo:
        services.retention_release(actor=org["phead1"], retention=retention, deduction="1000")
    assert fields(excinfo) == {"reason"}
    with pytest.raises(Invalid):
        services.retention_release(actor=org["phead1"], retention=retention, deduction="-1", reason="x")
    retention = services.retention_release(actor=org["phead1"], retention=retention, deduction="1000",
                                           reason="维修费")
    assert retention.status == "released" and retention.releasable == Decimal("4000.00")
    assert services.close_refusal(po)  # not settled yet
    assert services.order_ceiling(po)["retention"] == Decimal("4000.00")
    with pytest.raises(Invalid):
        f.draft(org, po, kind="retention", amount="4000.01")
    record = f.paid(org, po, kind="retention", amount="4000")
    assert record.due_on == f.today() + timedelta(days=30)
    retention.refresh_from_db()
    assert retention.status == "settled" and services.close_refusal(po) is None
    assert services.figures(po)["paid"] == Decimal("4000.00")


def test_a_full_deduction_settles_at_release(org):
    po, retention = _due(org)
    retention = services.retention_sign_off(actor=org["lead1"], retention=retention)
    retention = services.retention_release(actor=org["phead1"], retention=retention, deduction="5000",
                                           reason="质量问题全额扣除")
    assert retention.status == "settled"


# --- hooks of lower modules ------------------------------------------------------------------------------------

def test_order_hooks_answer_paid_incomplete_and_refusals(org):
    po = f.delivered(org, qty="10")
    # our receivers answer among the others' (receiving, supplier_invoices connect too)
    assert {"paid": Decimal("0.00"), "paid_excl_retention": Decimal("0.00")} in order_hooks.figures(order=po)
    assert services.incomplete(po) in order_hooks.incomplete(order=po) and services.incomplete(po)
    assert services.order_cancel_refusal(po) is None
    record = f.submitted(org, po, amount="95000")
    assert record.number in services.order_cancel_refusal(po)
    assert services.order_cancel_refusal(po) in order_hooks.cancel_refusal(order=po)
    f.decide_all(org, record)
    record.refresh_from_db()
    services.payment_pay(actor=org["finance1"], record=record, paid_on=f.today(), amount="95000",
                         method="bank_transfer", reference="x")
    assert services.incomplete(po) is None
    assert services.close_refusal(po) in order_hooks.close_refusal(order=po) and services.close_refusal(po)


def test_an_invoice_carried_by_a_live_request_may_not_be_cancelled(org):
    po = f.order(org)
    f.accept(org, po, "4")
    inv = f.invoice(org, po, "4")
    record = f.draft(org, po, amount="1000", invoice_ids=[inv.pk])
    assert services.invoice_cancel_refusal(inv) is None
    services.payment_submit(actor=org["buyer1"], record=record)
    assert record.number in services.invoice_cancel_refusal(inv)
    assert services.invoice_cancel_refusal(inv) in invoice_hooks.cancel_refusal(invoice=inv)


def test_a_cancelled_order_drops_its_held_retention_and_cancels_drafts(org):
    po = f.order(org)
    record = f.draft(org, po, kind="advance", amount="100")
    po.status = "cancelled"
    po.save()
    order_hooks.ended(order=po)
    record.refresh_from_db()
    assert record.status == "cancelled" and selectors.retention_of(po) is None


# --- visibility ----------------------------------------------------------------------------------------------------

def test_who_sees_which_requests_and_retentions(org):
    po = f.delivered(org)
    record = f.submitted(org, po, amount="1000")
    for who in ("buyer1", "phead1", "finance1", "ceo1", "admin"):
        assert selectors.payment_get(actor=org[who], pk=record.pk) == record
    for who in ("rep1", "keeper1", "head1", "market1"):
        with pytest.raises(NotFound):
            selectors.payment_get(actor=org[who], pk=record.pk)
    retention = selectors.retention_of(po)
    assert selectors.retention_get(actor=org["keeper1"], pk=retention.pk) == retention  # he inspected
    with pytest.raises(NotFound):
        selectors.retention_get(actor=org["lead1"], pk=retention.pk)
    with pytest.raises(NotFound):
        selectors.retention_get(actor=org["rep1"], pk=retention.pk)
    # a named decider (not in a see-all role) sees the request he decides
    decider = User.objects.create_user("decider9", password="x", department=org["rep1"].department)
    decider.groups.add(Group.objects.get(name="procurement_head"))
    assert selectors.visible_payment_requests(decider).filter(pk=record.pk).exists()


# --- reminders ------------------------------------------------------------------------------------------------------

def test_reminders_of_payments_due_and_retentions_due(org):
    po = f.delivered(org, payment_days=3)
    po.supplier.is_sme = True
    po.supplier.save()
    record = f.approved(org, po, amount="1000")  # due: acceptance (5 days ago) + 3 = overdue
    items = list(reminders.due_payments(timezone.now()))
    assert {i.recipient.username for i in items} == {"finance1", "buyer1"}
    assert all(record.number in i.text for i in items)
    assert "[SME" in items[0].text or "中小企业" in items[0].text
    po2 = f.order(org, warranty_months=1)
    f.accept(org, po2, "10", accepted_on=f.today() - timedelta(days=10))
    due = list(reminders.due_retentions(timezone.now()))
    assert [(d.recipient.username, po2.number in d.text) for d in due] == [("buyer1", True)]


def test_paying_all_but_the_retention_completes_the_order_through_purchasing(org):
    po = f.delivered(org, qty="10")
    f.paid(org, po, kind="advance", amount="30000")
    po.refresh_from_db()
    assert po.status == "signed"
    f.paid(org, po, kind="progress", amount="65000")
    po.refresh_from_db()
    assert po.status == "completed", services.incomplete(po)


def test_inbox_items_are_the_buttons_the_user_would_see(org):
    po = f.delivered(org)
    record = f.approved(org, po, amount="1000")
    kinds = {(i.kind, i.record_id) for i in items_for(org["finance1"])}
    assert ("paymentrequest.pay", record.pk) in kinds
    assert not any(i.kind == "paymentrequest.pay" for i in items_for(org["buyer1"]))
    returned = f.decide_all(org, f.submitted(org, po, amount="10"), "return", "改")
    assert ("paymentrequest.returned", returned.pk) in {(i.kind, i.record_id) for i in items_for(org["buyer1"])}
    po2, retention = _due(org)
    assert ("retention.due", retention.pk) in {(i.kind, i.record_id) for i in items_for(org["keeper1"])}
    services.retention_sign_off(actor=org["keeper1"], retention=retention)
    assert ("retention.due", retention.pk) in {(i.kind, i.record_id) for i in items_for(org["phead1"])}
    assert ("retention.due", retention.pk) not in {(i.kind, i.record_id) for i in items_for(org["keeper1"])}
