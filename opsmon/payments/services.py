"""Payment requests (付款申请, FK-) and retention (质保金) of purchase orders (PROCUREMENT.md "PaymentRequest",
"Retention").

Ceiling (ceiling.py): checked when a request is filed and again when it is submitted, each time after locking the
order's row (`select_for_update`; SQLite serialises writers with IMMEDIATE transactions), so parallel submissions
on one order queue and can never together pass it. A refusal is a 422 on `amount` naming what may still be asked.

Due dates: a progress payment is due `payment_days` after the order's latest acceptance (receipts), an advance
`payment_days` after signing, a retention payment `payment_days` after the retention's release.

Retention: held at signing (O × r), due at the warranty's end (the acceptance date of the order's last receipt +
warranty_months; computed lazily by `refresh_due`, which the daily reminder and the pages call), signed off by an
inspector ("no open defects"), released by the procurement head (less a deduction with a reason), settled when its
payment is paid."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.approvals import services as approvals
from opsmon.codes.models import CodeItem
from opsmon.core import timeline
from opsmon.core.errors import Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.money import share
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_money, clean_past_date, clean_texts, transition
from opsmon.purchasing import services as order_services
from opsmon.purchasing.models import PurchaseOrder
from opsmon.supplier_invoices.choices import InvoiceStatus
from opsmon.supplier_invoices.models import SupplierInvoice
from opsmon.suppliers.choices import SupplierStatus
from opsmon.suppliers.models import SupplierBankAccount

from . import ceiling, rules, selectors
from .choices import PaymentKind, PaymentStatus, RetentionStatus
from .models import PaymentRequest, Retention

KIND = "payment_request"
NUMBER_PREFIX = "FK"
ZERO = Decimal("0.00")
LIMITS = {"note": 2000}
MAX_INVOICES = 50


def payment_url(record: PaymentRequest) -> str:
    return f"/procurement/payments/{record.pk}/"


def retention_url(retention: Retention) -> str:
    return f"/procurement/payments/retentions/{retention.pk}/"


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- the ceiling ---------------------------------------------------------------------------------------------

def released_retention(order) -> Decimal | None:
    retention = selectors.retention_of(order)
    if retention is None or retention.status not in (RetentionStatus.RELEASED, RetentionStatus.SETTLED):
        return None
    return retention.releasable


def order_ceiling(order, *, exclude: PaymentRequest | None = None) -> dict[str, Decimal]:
    """What may still be requested on the order per kind (ceiling.remaining over its current figures)."""
    counted = selectors.counted_by_kind(order, exclude=exclude)
    return ceiling.remaining(
        total=order.total, retention_pct=order.retention_pct, advance_pct=selectors.advance_pct(order),
        accepted=selectors.accepted_value(order), invoiced=selectors.verified_invoice_value(order),
        released=released_retention(order), advance=counted[PaymentKind.ADVANCE],
        progress=counted[PaymentKind.PROGRESS], retention=counted[PaymentKind.RETENTION])


def _check_ceiling(order, kind: str, amount: Decimal, *, exclude=None) -> None:
    left = order_ceiling(order, exclude=exclude)[kind]
    if amount > left:
        raise Invalid(fields={"amount": _("Above the ceiling: at most %(left)s may still be requested as %(kind)s "
                                          "on order %(n)s.")
                              % {"left": f"{left:,.2f}", "kind": PaymentKind(kind).label, "n": order.number}},
                      code="over_ceiling")


def _locked(order) -> PurchaseOrder:
    """The order's row, locked until the transaction ends (parallel checks of its sums queue here)."""
    return PurchaseOrder.objects.select_for_update().select_related("supplier").get(pk=order.pk)


def due_on(order, kind: str) -> date | None:
    if kind == PaymentKind.ADVANCE:
        start = order.signed_on
    elif kind == PaymentKind.PROGRESS:
        start = selectors.latest_acceptance(order)
    else:
        retention = selectors.retention_of(order)
        start = timezone.localdate(retention.released_at) if retention and retention.released_at else None
    return start + timedelta(days=order.payment_days) if start else None


def supplier_warnings(order) -> list[str]:
    supplier = order.supplier
    if supplier.status == SupplierStatus.BLACKLISTED:
        return [_("Supplier %(s)s is blacklisted: money owed stays payable; check before paying.")
                % {"s": supplier.name}]
    if supplier.status == SupplierStatus.SUSPENDED:
        return [_("Supplier %(s)s is suspended: money owed stays payable; check before paying.")
                % {"s": supplier.name}]
    return []


# --- payment requests ----------------------------------------------------------------------------------------

def _order(actor, order_id, errors: dict):
    found = None
    if str(order_id or "").isdigit():
        qs = PurchaseOrder.objects.select_for_update().filter(pk=order_id)
        if not actor.has_role(Role.PROCUREMENT_HEAD):
            qs = qs.filter(owner=actor.pk)
        found = qs.first()
    if found is None:
        errors["order_id"] = _("Choose a purchase order of yours.")
    return found


def _invoices(order, invoice_ids, errors: dict) -> list[SupplierInvoice]:
    if invoice_ids in (None, ""):
        return []
    if not isinstance(invoice_ids, list | tuple) or len(invoice_ids) > MAX_INVOICES \
            or not all(str(i).isdigit() for i in invoice_ids):
        errors["invoice_ids"] = _("A list of invoice ids.")
        return []
    ids = list(dict.fromkeys(int(i) for i in invoice_ids))
    found = list(SupplierInvoice.objects.filter(pk__in=ids, supplier=order.supplier_id,
                                                status=InvoiceStatus.VERIFIED,
                                                lines__order_line__order=order).distinct())
    if len(found) != len(ids):
        errors["invoice_ids"] = _("Choose verified invoices of this order's supplier on its lines.")
    return found


@transaction.atomic
def payment_create(*, actor, order_id, kind: str, amount, payee_account_id, invoice_ids=(),
                   note: str = "") -> PaymentRequest:
    """A draft request (FK-) of the caller on his order (any order for the procurement head)."""
    refuse(rules.can_create(actor))
    errors: dict = {}
    order = _order(actor, order_id, errors)
    if order is not None:
        refuse(rules.can_create(actor, order))
    texts = clean_texts({"note": note}, LIMITS, errors)
    if kind not in PaymentKind.values:
        errors["kind"] = _("Choose advance, progress or retention.")
    money = clean_money(amount, "amount", errors)
    account = None
    if order is not None:
        account = (SupplierBankAccount.objects.filter(pk=payee_account_id, supplier=order.supplier_id).first()
                   if str(payee_account_id or "").isdigit() else None)
        if account is None:
            errors["payee_account_id"] = _("Choose a bank account registered for the order's supplier.")
        invoices = _invoices(order, invoice_ids, errors)
    if errors:
        raise Invalid(fields=errors)
    order = _locked(order)
    _check_ceiling(order, kind, money)
    record = PaymentRequest.objects.create(
        number=next_number(NUMBER_PREFIX), order=order, kind=kind, amount=money, payee_account=account,
        owner=actor, department_id=actor.department_id, note=texts["note"], due_on=due_on(order, kind),
        warnings=supplier_warnings(order))
    record.invoices.set(invoices)
    timeline.record(record, actor=actor, action="paymentrequest.created", to_status=record.status,
                    changes={"kind": [None, kind], "amount": [None, f"{money:.2f}"],
                             "order": [None, order.number], "invoices": [None, [i.number for i in invoices]]})
    return record


@transaction.atomic
def payment_submit(*, actor, record: PaymentRequest) -> PaymentRequest:
    """draft | returned → in_review: the ceiling again (the order locked), then a review round by amount band."""
    refuse(rules.can_submit(actor, record))
    order = _locked(record.order)
    record = PaymentRequest.objects.select_related("department", "order").get(pk=record.pk)
    refuse(rules.can_submit(actor, record))  # as it is now that the order is ours
    _check_ceiling(order, record.kind, record.amount, exclude=record)
    warnings = supplier_warnings(order)
    record = transition(record, actor=actor, action="submit", transitions=rules.TRANSITIONS,
                        extra={"due_on": due_on(order, record.kind), "warnings": warnings})
    approvals.start_round(actor=actor, kind=KIND, subject=record)
    publish("payment_request.submitted", subject=record, data=payload(record))
    return record


@transaction.atomic
def payment_decide(*, actor, record: PaymentRequest, decision: str, comment: str = "",
                   step_id=None) -> PaymentRequest:
    """Approve, return (back to the requester) or reject (final) the caller's step."""
    record.__dict__.pop("_current_step", None)
    refuse(rules.can_decide(actor, record, decision))
    if step_id is None:
        step_id = getattr(rules.current_step(record), "pk", None)
    result = approvals.decide(actor=actor, record=record, step_id=step_id, decision=decision, comment=comment)
    return PaymentRequest.objects.get(pk=result.pk)


def _finance():
    return list(User.objects.filter(is_active=True, groups__name=Role.FINANCE).order_by("id"))


def payment_approved(*, actor, subject: PaymentRequest, review, comment: str, changes: dict) -> PaymentRequest:
    record = transition(subject, actor=actor, action="approved", transitions=rules.TRANSITIONS, comment=comment,
                        changes=changes)
    publish("payment_request.approved", subject=record, data=payload(record),
            notify=[record.owner, *_finance()],
            text=_("Payment request approved, to be paid: %(n)s %(a)s") % {"n": record.number,
                                                                             "a": f"{record.amount:,.2f}"},
            url=payment_url(record))
    return record


def _back(action: str, event: str, text: str):
    def back(*, actor, subject: PaymentRequest, review, comment: str, changes: dict) -> PaymentRequest:
        record = transition(subject, actor=actor, action=action, transitions=rules.TRANSITIONS, comment=comment,
                            changes=changes)
        publish(event, subject=record, data=payload(record), notify=[record.owner],
                text=_(text) % {"n": record.number, "c": comment}, url=payment_url(record))
        return record
    return back


payment_returned = _back("returned", "payment_request.returned",
                         gettext_noop("Payment request returned for changes: %(n)s — %(c)s"))
payment_rejected = _back("rejected", "payment_request.rejected",
                         gettext_noop("Payment request rejected: %(n)s — %(c)s"))


def _method(value, errors: dict) -> str:
    code = str(value or "")
    if not CodeItem.objects.filter(table__name="payment_method", code=code, active=True).exists():
        errors["method"] = _("unknown or inactive code “%(code)s”") % {"code": code}
    return code


def _completed(order, actor) -> None:
    """Let purchasing move the order on (signed → completed) now that more is paid."""
    order_services.check_completed(order, actor=actor)


@transaction.atomic
def payment_pay(*, actor, record: PaymentRequest, paid_on, amount, method: str, reference: str = "",
                today=None) -> PaymentRequest:
    """approved → paid (finance, not the requester): the date (not in the future), the amount paid (more than 0, at
    most the approved amount), the method (code payment_method) and the bank reference. A paid retention request
    settles the retention."""
    refuse(rules.can_pay(actor, record))
    errors: dict = {}
    day = clean_past_date(paid_on, "paid_on", errors, today=today)
    money = clean_money(amount, "amount", errors)
    if money is not None and money > record.amount:
        errors["amount"] = _("At most the approved amount %(a)s.") % {"a": f"{record.amount:,.2f}"}
    code = _method(method, errors)
    texts = clean_texts({"reference": reference}, {"reference": 100}, errors)
    if not texts.get("reference") and "reference" not in errors:
        errors["reference"] = _("This field is required.")
    if errors:
        raise Invalid(fields=errors)
    record = transition(record, actor=actor, action="pay", transitions=rules.TRANSITIONS,
                        extra={"paid_on": day, "paid_amount": money, "method": code,
                               "reference": texts["reference"], "paid_by": actor},
                        changes={"paid_amount": [None, f"{money:.2f}"], "paid_on": [None, day.isoformat()]})
    order = record.order
    if record.kind == PaymentKind.RETENTION:
        _settle(actor, order)
    publish("payment_request.paid", subject=record, data=payload(record),
            notify=[record.owner] if record.owner_id != actor.pk else [],
            text=_("Payment request paid: %(n)s %(a)s") % {"n": record.number, "a": f"{money:,.2f}"},
            url=payment_url(record))
    _completed(order, actor)
    return record


@transaction.atomic
def payment_cancel(*, actor, record: PaymentRequest, reason: str) -> PaymentRequest:
    refuse(rules.can_cancel(actor, record))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    record = transition(record, actor=actor, action="cancel", transitions=rules.TRANSITIONS, comment=reason,
                        extra={"status_reason": reason})
    publish("payment_request.cancelled", subject=record, data=payload(record),
            notify=[record.owner] if record.owner_id != actor.pk else [],
            text=_("Payment request cancelled: %(n)s — %(r)s") % {"n": record.number, "r": reason},
            url=payment_url(record))
    return record


def payload(record: PaymentRequest) -> dict:
    return {"payment_request": {
        "id": record.pk, "number": record.number, "kind": record.kind, "status": record.status,
        "amount": f"{record.amount:.2f}", "order": {"id": record.order_id, "number": record.order.number},
        "due_on": record.due_on.isoformat() if record.due_on else None,
        "paid_amount": f"{record.paid_amount:.2f}" if record.paid_amount is not None else None,
        "paid_on": record.paid_on.isoformat() if record.paid_on else None}}


# --- retention -----------------------------------------------------------------------------------------------

def retention_amount(order) -> Decimal:
    return share(order.total, order.retention_pct) or ZERO


def hold(order) -> Retention:
    """The order was signed: hold O × r (nothing to hold when r is 0: settled at once)."""
    amount = retention_amount(order)
    retention, created = Retention.objects.get_or_create(
        order=order, defaults={"amount": amount,
                               "status": RetentionStatus.HELD if amount > 0 else RetentionStatus.SETTLED})
    if created:
        timeline.record(retention, actor=None, action="retention.held", to_status=retention.status,
                        changes={"amount": [None, f"{amount:.2f}"]})
    return retention


def warranty_end(order) -> date | None:
    """The acceptance date of the order's last receipt + warranty_months, once every line is accepted."""
    if not selectors.fully_accepted(order):
        return None
    accepted_on = selectors.latest_acceptance(order)
    return add_months(accepted_on, order.warranty_months) if accepted_on else None


def refresh_due(order, *, today: date | None = None) -> Retention | None:
    """Bring the order's retention up to date while it is held or due: its amount (O × r of the order as it is
    now), its due date (None until the last receipt is accepted), held → due once the due date has come."""
    retention = selectors.retention_of(order)
    if retention is None or retention.status not in (RetentionStatus.HELD, RetentionStatus.DUE):
        return retention
    today = today or timezone.localdate()
    order = retention.order
    amount, due = retention_amount(order), warranty_end(order)
    status = RetentionStatus.DUE if due is not None and due <= today else RetentionStatus.HELD
    if retention.status == RetentionStatus.DUE and retention.signed_off_by_id is not None:
        status = RetentionStatus.DUE  # signed off: it stays due
    if (amount, due, status) == (retention.amount, retention.due_on, retention.status):
        return retention
    updated = Retention.objects.filter(pk=retention.pk, version=retention.version, status=retention.status).update(
        amount=amount, due_on=due, status=status, version=retention.version + 1, updated_at=timezone.now())
    if updated:
        changes = {k: [str(old) if old is not None else None, str(new) if new is not None else None]
                   for k, old, new in (("amount", retention.amount, amount), ("due_on", retention.due_on, due))
                   if old != new}
        timeline.record(retention, actor=None,
                        action="retention.due" if status != retention.status else "retention.updated",
                        from_status=retention.status, to_status=status, changes=changes)
    return Retention.objects.get(pk=retention.pk)


def refresh_all(*, today: date | None = None, retentions=None) -> None:
    """refresh_due for every retention held or due (the daily job), or for those of `retentions` (a list reads
    the viewer's before showing them)."""
    rows = Retention.objects.all() if retentions is None else retentions
    for order_id in rows.filter(status__in=(RetentionStatus.HELD, RetentionStatus.DUE)) \
            .values_list("order_id", flat=True):
        with transaction.atomic():
            refresh_due(PurchaseOrder.objects.get(pk=order_id), today=today)


def _fresh(retention: Retention, today=None) -> Retention:
    refresh_due(retention.order, today=today)
    return Retention.objects.select_related("order__supplier", "order__owner").get(pk=retention.pk)


@transaction.atomic
def retention_sign_off(*, actor, retention: Retention, comment: str = "", today=None) -> Retention:
    """An inspector (not the order's purchaser) states "no open defects" on a due retention."""
    retention = _fresh(retention, today)
    refuse(rules.can_sign_off(actor, retention))
    comment = clean_comment(comment, required=False, limit=500) or _("No open defects.")
    if not Retention.objects.filter(pk=retention.pk, version=retention.version, signed_off_by__isnull=True).update(
            signed_off_by=actor, signed_off_at=timezone.now(), sign_off_comment=comment,
            version=retention.version + 1, updated_at=timezone.now()):
        raise StaleVersion()
    timeline.record(retention, actor=actor, action="retention.signed_off", comment=comment)
    notify([u for u in User.objects.filter(is_active=True, groups__name=Role.PROCUREMENT_HEAD)],
           text=_("Retention of %(n)s signed off: release it") % {"n": retention.order.number},
           url=retention_url(retention), kind="retention.signed_off")
    return Retention.objects.get(pk=retention.pk)


@transaction.atomic
def retention_release(*, actor, retention: Retention, deduction=None, reason: str = "", today=None) -> Retention:
    """due (signed off) → released, less a deduction (0 ≤ deduction ≤ amount; one above 0 needs a reason). Nothing
    left to pay (all deducted): settled at once."""
    retention = _fresh(retention, today)
    refuse(rules.can_release(actor, retention))
    errors: dict = {}
    money = clean_money(deduction, "deduction", errors, required=False, zero=True)
    money = ZERO if money is None else money
    if "deduction" not in errors and money > retention.amount:
        errors["deduction"] = _("At most the retention %(a)s.") % {"a": f"{retention.amount:,.2f}"}
    texts = clean_texts({"reason": reason}, {"reason": 500}, errors)
    if money > 0 and not texts.get("reason") and "reason" not in errors:
        errors["reason"] = _("A deduction needs a reason.")
    if errors:
        raise Invalid(fields=errors)
    retention = transition(retention, actor=actor, action="release", transitions=rules.RETENTION_TRANSITIONS,
                           comment=texts["reason"],
                           extra={"deduction": money, "deduction_reason": texts["reason"], "released_by": actor,
                                  "released_at": timezone.now()},
                           changes={"deduction": [None, f"{money:.2f}"]})
    if retention.releasable <= 0:
        retention = transition(retention, actor=actor, action="settle", transitions=rules.RETENTION_TRANSITIONS)
    notify([retention.order.owner],
           text=_("Retention of %(n)s released: %(a)s may be requested") % {
               "n": retention.order.number, "a": f"{retention.releasable:,.2f}"},
           url=retention_url(retention), kind="retention.release")
    return retention


def _settle(actor, order) -> None:
    """A retention payment was paid: the retention is settled once its releasable amount is paid."""
    retention = Retention.objects.filter(order=order, status=RetentionStatus.RELEASED).first()
    if retention is not None and selectors.paid_by_kind(order)[PaymentKind.RETENTION] >= retention.releasable:
        transition(retention, actor=actor, action="settle", transitions=rules.RETENTION_TRANSITIONS)


def retention_get_fresh(*, actor, pk, today=None) -> Retention:
    """The retention through the selector (404 outside scope), brought up to date first."""
    found = selectors.retention_get(actor=actor, pk=pk)
    with transaction.atomic():
        refresh_due(found.order, today=today)
    return selectors.retention_get(actor=actor, pk=pk)


# --- what lower modules ask (receivers.py connects these to their hooks) -------------------------------------

def figures(order) -> dict:
    paid = selectors.paid_by_kind(order)
    return {"paid": sum(paid.values(), ZERO),
            "paid_excl_retention": paid[PaymentKind.ADVANCE] + paid[PaymentKind.PROGRESS]}


def incomplete(order) -> str | None:
    """Paid (advance and progress) below the total less the retention."""
    retention = selectors.retention_of(order)
    held = retention.amount if retention is not None else retention_amount(order)
    paid = figures(order)["paid_excl_retention"]
    if paid < order.total - held:
        return _("Paid %(p)s of %(d)s due before the retention.") % {"p": f"{paid:,.2f}",
                                                                      "d": f"{order.total - held:,.2f}"}
    return None


def close_refusal(order) -> str | None:
    retention = selectors.retention_of(order)
    if retention is not None and retention.status != RetentionStatus.SETTLED:
        return _("Its retention %(a)s is not settled yet.") % {"a": f"{retention.amount:,.2f}"}
    return None


def order_cancel_refusal(order) -> str | None:
    counted = PaymentRequest.objects.filter(order=order, status__in=rules.COUNTED)
    if counted.exists():
        return _("Payment requests in review, approved or paid: %(n)s.") % {
            "n": ", ".join(counted.order_by("id").values_list("number", flat=True)[:5])}
    return None


def invoice_cancel_refusal(invoice) -> str | None:
    live = invoice.payment_requests.filter(status__in=rules.LIVE)
    if live.exists():
        return _("Payment requests carry this invoice: %(n)s.") % {
            "n": ", ".join(live.order_by("id").values_list("number", flat=True)[:5])}
    return None


def order_ended(order) -> None:
    """The order was cancelled or terminated: drafts and returned requests of a cancelled order are cancelled and
    its retention (nothing was delivered) dropped; a terminated order keeps both (money owed stays payable)."""
    order = PurchaseOrder.objects.get(pk=order.pk)
    if order.status != "cancelled":
        refresh_due(order)
        return
    for record in PaymentRequest.objects.filter(order=order, status__in=(PaymentStatus.DRAFT,
                                                                         PaymentStatus.RETURNED)):
        transition(record, actor=None, action="cancel", transitions=rules.TRANSITIONS,
                   comment=_("The order was cancelled."), extra={"status_reason": _("The order was cancelled.")})
    Retention.objects.filter(order=order, status=RetentionStatus.HELD).delete()

