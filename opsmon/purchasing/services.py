"""Purchase orders (采购合同/订单, CGHT-; PROCUREMENT.md "PurchaseOrder", "Budget and margin").

- `orders_create`: one draft order per awarded supplier of an awarded sourcing (the sourcing → done); lines at the
  award's prices (`award_total`), project/contract from the request lines when they all agree, the retention rate
  of the procurement settings, default milestones (acceptance 100 − r, retention r), promised dates from the
  quotation's delivery days. An ineligible supplier refuses the whole call (409). A request whose every line is
  ordered (ordered ≥ requested qty; lines dropped at the award need nothing) goes awarded → ordered.
- Amounts: incl = round-half-up(qty × price, 2), excl = round(incl ÷ (1 + rate/100), 2); totals are line sums.
- Terms (draft only): milestones sum to 100 and the retention milestones' percent = retention_pct; a retention
  above the settings' warning level warns; an SME supplier (中小企业): payment days > 60 warn, pay after the
  customer (背靠背) is refused. Warnings are kept on the order (`warnings`).
- Review (kind "purchase_order", routes by amount band and category): a total above the award adds a
  procurement-head step; a project-linked order gets procurement's budget check (projected commitment against the
  approved budget: a warning, or a budget step by the head of the project's department). Return → draft; reject →
  cancelled (final).
- Sign (date + signed copy) → revision 1 kept (OrderVersion); hooks.signed. Cancel / terminate → hooks.ended.
- Completed / closed: `check_completed(order)` (higher modules call it after their changes) and `order_close`.
- Amendments (kind "order_amendment", on the order routes): changed terms of a signed order; a rise above 10 % of
  the original total needs a reason; quantities not below what is accepted, the total not below what is paid."""

from collections import defaultdict
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.approvals import services as approvals
from opsmon.codes.models import CodeItem
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.files import store_upload
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.numbering import next_number
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import (
    clean_comment,
    clean_date,
    clean_number,
    clean_past_date,
    clean_texts,
    transition,
)
from opsmon.procurement import rules as procurement_rules
from opsmon.procurement import selectors as procurement_selectors
from opsmon.procurement import services as procurement_services
from opsmon.procurement.choices import RequestStatus
from opsmon.procurement.models import ProcurementSettings, PurchaseRequest
from opsmon.sourcing import services as sourcing_services
from opsmon.sourcing.models import Sourcing, SourcingLine
from opsmon.suppliers import eligibility

from . import hooks, rules, selectors
from .choices import AmendmentStatus, MilestoneKind, OrderStatus
from .models import OrderAmendment, OrderLine, OrderMilestone, OrderVersion, PurchaseOrder

ORDER_KIND = "purchase_order"
AMENDMENT_KIND = "order_amendment"
HEAD_STEP = "procurement"          # review_step_kind of the extra step when the total is above the award
NUMBER_PREFIX = "CGHT"
CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")
QTY_ZERO = Decimal("0")
SME_PAYMENT_DAYS = 60
RISE_NEEDS_REASON = Decimal("0.10")
MAX_QTY = Decimal("99999999999.999")
MAX_PRICE = Decimal("99999999999999.9999")
LIMITS = {"title": 200, "note": 2000, "delivery_address": 300}
MILESTONE_NAME = 100
MAX_MILESTONES = 12
MAX_WARRANTY = 120
MAX_PAYMENT_DAYS = 365
DEFAULT_INVOICE_TYPE = "vat_special"


def order_url(order: PurchaseOrder) -> str:
    return f"/procurement/orders/{order.pk}/"


def line_amounts(qty: Decimal, price: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(incl, excl): incl = round-half-up(qty × price, 2), excl = round-half-up(incl ÷ (1 + rate/100), 2)."""
    incl = procurement_services.line_amount(qty, price)
    excl = (incl / (1 + rate / HUNDRED)).quantize(CENT, rounding=ROUND_HALF_UP)
    return incl, excl


def deductible_types() -> set[str]:
    """invoice_type codes whose value says deductible (专票: 1)."""
    return set(CodeItem.objects.filter(table__name="invoice_type", value="1").values_list("code", flat=True))


def category_of(order: PurchaseOrder) -> str:
    """The route category: the supplier_category with the largest amount (ties: the first line's)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in order.lines.order_by("position", "id"):
        sums[line.category] += line.amount
    return max(sums, key=lambda c: sums[c]) if sums else ""


def _totals(order: PurchaseOrder) -> tuple[Decimal, Decimal]:
    got = order.lines.aggregate(t=Sum("amount"), e=Sum("amount_excl"))
    return got["t"] or ZERO, got["e"] or ZERO


# --- creating orders from an award ----------------------------------------------------------------------------

def default_milestones(retention: Decimal) -> list[dict]:
    out = [{"kind": MilestoneKind.ACCEPTANCE, "percent": HUNDRED - retention, "name": _("On acceptance")}]
    if retention > 0:
        out.append({"kind": MilestoneKind.RETENTION, "percent": retention, "name": _("Retention")})
    return out


def _write_milestones(order: PurchaseOrder, milestones: list[dict]) -> None:
    order.milestones.all().delete()
    OrderMilestone.objects.bulk_create(
        OrderMilestone(order=order, position=i, kind=m["kind"], name=m["name"], percent=m["percent"])
        for i, m in enumerate(milestones, start=1))


def _one_or_none(values):
    found = set(values)
    return found.pop() if len(found) == 1 else None


@transaction.atomic
def orders_create(*, actor, sourcing: Sourcing, today=None) -> list[PurchaseOrder]:
    """One draft order per awarded supplier of an awarded sourcing (see the module's docstring)."""
    sourcing = Sourcing.objects.select_for_update().get(pk=sourcing.pk)
    refuse(rules.can_create_orders(actor, sourcing))
    today = today or timezone.localdate()
    lines = list(SourcingLine.objects.filter(sourcing=sourcing, awarded__isnull=False)
                 .select_related("awarded__quotation__supplier", "request_line__request")
                 .order_by("id"))
    if not lines:
        raise Conflict(_("No line of this sourcing is awarded."), code="nothing_awarded")
    by_supplier: dict[int, list[SourcingLine]] = defaultdict(list)
    for line in lines:
        by_supplier[line.awarded.quotation.supplier_id].append(line)
    for group in by_supplier.values():
        refuse(eligibility.refusal(group[0].awarded.quotation.supplier, today))
    settings = ProcurementSettings.load()
    orders = []
    for group in by_supplier.values():
        quotation = group[0].awarded.quotation
        supplier = quotation.supplier
        requests = [line.request_line.request for line in group]
        project_id = _one_or_none(r.project_id for r in requests)
        contract_id = _one_or_none(r.contract_id for r in requests)
        title = (sourcing.title or _one_or_none(r.title for r in requests) or sourcing.number)[:150]
        order = PurchaseOrder.objects.create(
            number=next_number(NUMBER_PREFIX), title=f"{title} — {supplier.name}"[:200], sourcing=sourcing,
            supplier=supplier, owner=sourcing.owner, department=sourcing.department, project_id=project_id,
            contract_id=contract_id, retention_pct=settings.retention_pct,
            invoice_type=(DEFAULT_INVOICE_TYPE
                          if DEFAULT_INVOICE_TYPE in procurement_services.active_codes("invoice_type") else ""))
        award_total = ZERO
        rows = []
        for i, line in enumerate(group, start=1):
            awarded, request_line = line.awarded, line.request_line
            incl, excl = line_amounts(line.qty, awarded.unit_price, awarded.tax_rate)
            award_total += awarded.amount if awarded.amount is not None else incl
            rows.append(OrderLine(
                order=order, position=i, sourcing_line=line, request_line=request_line, item=request_line.item,
                spec=request_line.spec, unit=request_line.unit, category=request_line.category, qty=line.qty,
                unit_price=awarded.unit_price, tax_rate=awarded.tax_rate, amount=incl, amount_excl=excl,
                promised_on=today + timedelta(days=awarded.quotation.delivery_days)))
        OrderLine.objects.bulk_create(rows)
        _write_milestones(order, default_milestones(order.retention_pct))
        total, total_excl = _totals(order)
        warnings = terms_warnings(order, settings=settings)
        PurchaseOrder.objects.filter(pk=order.pk).update(total=total, total_excl=total_excl, award_total=award_total,
                                                         warnings=warnings)
        order.refresh_from_db()
        timeline.record(order, actor=actor, action="purchaseorder.created", to_status=order.status,
                        changes={"sourcing": [None, sourcing.number], "total": [None, f"{total:.2f}"]})
        publish("purchase_order.created", subject=order, data=payload(order))
        orders.append(order)
    sourcing_services.mark_done(actor=actor, sourcing=sourcing)
    mark_requests_ordered(actor=actor, request_ids={line.request_line.request_id for line in lines})
    return orders


def mark_requests_ordered(*, actor, request_ids) -> None:
    """Awarded requests whose every line (those not dropped at an award) has ordered ≥ requested qty on live
    orders → ordered."""
    for request in PurchaseRequest.objects.filter(pk__in=request_ids, status=RequestStatus.AWARDED):
        done = True
        for line in request.lines.all():
            awarded = SourcingLine.objects.filter(request_line=line, awarded__isnull=False).exists()
            if not awarded:
                continue  # dropped at the award: nothing to order
            ordered = (OrderLine.objects.filter(request_line=line, order__status__in=rules.LIVE)
                       .aggregate(s=Sum("qty"))["s"] or QTY_ZERO)
            if ordered < line.qty:
                done = False
                break
        if done:
            procurement_services.request_mark_ordered(actor=actor, request=request)


# --- terms ----------------------------------------------------------------------------------------------------

def _decimal(value, field: str, errors: dict, *, places: int, low: Decimal, high: Decimal) -> Decimal | None:
    return clean_number(value, field, errors, places=places, low=low, high=high)


def _whole(value, field: str, errors: dict, *, high: int) -> int | None:
    if isinstance(value, bool) or value in (None, ""):
        errors[field] = _("A whole number is required.")
        return None
    number = _decimal(value, field, errors, places=0, low=Decimal("0"), high=Decimal(high))
    return None if number is None else int(number)


def clean_milestones(milestones, errors: dict) -> list[dict]:
    """[{kind, percent, name}]: known kinds, percents 0–100 (2 decimals), names required."""
    if not isinstance(milestones, list | tuple) or not all(isinstance(m, dict) for m in milestones):
        errors["milestones"] = _("A list of milestones.")
        return []
    if not milestones:
        errors["milestones"] = _("Add at least one milestone.")
        return []
    if len(milestones) > MAX_MILESTONES:
        errors["milestones"] = _("At most %(n)s milestones.") % {"n": MAX_MILESTONES}
        return []
    out = []
    for i, row in enumerate(milestones, start=1):
        key = f"milestones.{i}"
        kind = str(row.get("kind") or "")
        if kind not in MilestoneKind.values:
            errors[f"{key}.kind"] = _("Choose advance, delivery, acceptance or retention.")
        percent = _decimal(row.get("percent"), f"{key}.percent", errors, places=2, low=Decimal("0"), high=HUNDRED)
        texts = clean_texts({"name": row.get("name")}, {"name": MILESTONE_NAME}, errors)
        name = texts["name"]
        if "name" in errors:
            errors[f"{key}.name"] = errors.pop("name")
        elif not name:
            name = str(MilestoneKind(kind).label) if kind in MilestoneKind.values else ""
        out.append({"kind": kind, "percent": percent, "name": name})
    return out


def check_milestones(milestones: list[dict], retention: Decimal, errors: dict) -> None:
    """Milestones sum to 100 %; the retention milestones' percent = the retention rate."""
    if errors or not milestones:
        return
    total = sum((m["percent"] for m in milestones), Decimal("0"))
    if total != HUNDRED:
        errors["milestones"] = _("The milestones add up to %(s)s%%, not 100%%.") % {"s": total.normalize()}
        return
    held = sum((m["percent"] for m in milestones if m["kind"] == MilestoneKind.RETENTION), Decimal("0"))
    if held != retention:
        errors["milestones"] = (_("The retention milestone is %(m)s%% but the retention is %(r)s%%.")
                                % {"m": held.normalize(), "r": retention.normalize()})


def terms_warnings(order: PurchaseOrder, *, settings=None, extra=()) -> list[str]:
    """What the order's terms should make its people look twice at (kept on the order)."""
    settings = settings or ProcurementSettings.load()
    out = []
    if order.retention_pct > settings.retention_warn_pct:
        out.append(_("A retention of %(r)s%% is above the usual %(w)s%%.")
                   % {"r": order.retention_pct.normalize(), "w": settings.retention_warn_pct.normalize()})
    if order.supplier.is_sme and order.payment_days > SME_PAYMENT_DAYS:
        out.append(_("%(s)s is an SME: payment within %(n)s days is expected (中小企业款项支付), not %(d)s.")
                   % {"s": order.supplier.name, "n": SME_PAYMENT_DAYS, "d": order.payment_days})
    return [*out, *[w for w in extra if w]]


def _sme_refusal(order: PurchaseOrder, pay_after_customer: bool, errors: dict) -> None:
    if pay_after_customer and order.supplier.is_sme:
        errors["pay_after_customer"] = _("%(s)s is an SME: paying only after the customer pays (背靠背) is not "
                                         "allowed.") % {"s": order.supplier.name}


def _milestone_rows(order: PurchaseOrder) -> list[dict]:
    return [{"kind": m.kind, "percent": m.percent, "name": m.name} for m in order.milestones.order_by("position")]


def _milestone_summary(rows) -> list[str]:
    return [f"{r['kind']} {r['percent']}% {r['name']}" for r in rows]


TERM_FIELDS = ("title", "note", "delivery_address", "retention_pct", "warranty_months", "payment_days",
               "invoice_type", "pay_after_customer")


@transaction.atomic
def order_update(*, actor, order: PurchaseOrder, version: int, **fields) -> PurchaseOrder:
    """Change a draft order's terms (the `version` it read; stale → 409): title, note, delivery_address,
    retention_pct, warranty_months, payment_days, invoice_type, pay_after_customer, milestones (replaces them all),
    lines [{id, promised_on}]. One 422 names every bad field; warnings are kept on the order."""
    refuse(rules.can_edit(actor, order))
    errors: dict = {}
    unknown = sorted(set(fields) - {*TERM_FIELDS, "milestones", "lines"})
    for key in unknown:
        errors[key] = _("Unknown field.")
    clean: dict = clean_texts({k: fields[k] for k in LIMITS if k in fields}, LIMITS, errors)
    if "title" in clean and not clean["title"] and "title" not in errors:
        errors["title"] = _("This field is required.")
    if "retention_pct" in fields:
        clean["retention_pct"] = _decimal(fields["retention_pct"], "retention_pct", errors, places=2,
                                          low=Decimal("0"), high=HUNDRED)
    if "warranty_months" in fields:
        clean["warranty_months"] = _whole(fields["warranty_months"], "warranty_months", errors, high=MAX_WARRANTY)
    if "payment_days" in fields:
        clean["payment_days"] = _whole(fields["payment_days"], "payment_days", errors, high=MAX_PAYMENT_DAYS)
    if "invoice_type" in fields:
        code = str(fields["invoice_type"] or "")
        if code not in procurement_services.active_codes("invoice_type"):
            errors["invoice_type"] = _("unknown or inactive code “%(code)s”") % {"code": code}
        clean["invoice_type"] = code
    if "pay_after_customer" in fields:
        if not isinstance(fields["pay_after_customer"], bool):
            errors["pay_after_customer"] = _("Yes or no.")
        else:
            clean["pay_after_customer"] = fields["pay_after_customer"]
            _sme_refusal(order, fields["pay_after_customer"], errors)
    milestones = clean_milestones(fields["milestones"], errors) if "milestones" in fields else None
    promised = _clean_promised(order, fields["lines"], errors) if "lines" in fields else None
    retention = clean.get("retention_pct", order.retention_pct)
    if retention is not None and ("milestones" in fields or "retention_pct" in fields):
        check_milestones(milestones if milestones is not None else _milestone_rows(order), retention, errors)
    if errors:
        raise Invalid(fields=errors)
    before = {k: str(getattr(order, k)) for k in clean}
    if not PurchaseOrder.objects.filter(pk=order.pk, version=version, status=OrderStatus.DRAFT).update(
            **clean, version=F("version") + 1, updated_at=timezone.now()):
        raise StaleVersion()
    changes = {k: [before[k], str(v)] for k, v in clean.items() if before[k] != str(v)}
    if milestones is not None:
        old = _milestone_summary(_milestone_rows(order))
        _write_milestones(order, milestones)
        if old != _milestone_summary(milestones):
            changes["milestones"] = [old, _milestone_summary(milestones)]
    if promised:
        for line, day in promised:
            if line.promised_on != day:
                changes[f"lines.{line.position}.promised_on"] = [str(line.promised_on or ""), str(day or "")]
                OrderLine.objects.filter(pk=line.pk).update(promised_on=day)
    order = PurchaseOrder.objects.select_related("supplier").get(pk=order.pk)
    PurchaseOrder.objects.filter(pk=order.pk).update(warnings=terms_warnings(order))
    timeline.record(order, actor=actor, action="purchaseorder.updated", changes=changes)
    return PurchaseOrder.objects.get(pk=order.pk)


def _clean_promised(order: PurchaseOrder, rows, errors: dict) -> list:
    if not isinstance(rows, list | tuple) or not all(isinstance(r, dict) for r in rows):
        errors["lines"] = _("A list of lines.")
        return []
    lines = {line.pk: line for line in order.lines.all()}
    out = []
    for i, row in enumerate(rows, start=1):
        line = lines.get(row.get("id")) if isinstance(row.get("id"), int) else None
        if line is None:
            errors[f"lines.{i}.id"] = _("Not a line of this order.")
            continue
        day = clean_date(row.get("promised_on"), f"lines.{i}.promised_on", errors)
        out.append((line, day))
    return out


# --- review ---------------------------------------------------------------------------------------------------

def line_cost(line: OrderLine, deductible: bool, *, qty: Decimal | None = None) -> Decimal:
    """The line's cost: excl. tax when the invoice type is deductible, else incl.; of `qty` (default: the line's
    quantity less what was dropped)."""
    qty = line.qty - line.dropped_qty if qty is None else qty
    if qty <= 0:
        return ZERO
    incl, excl = (line.amount, line.amount_excl) if qty == line.qty else line_amounts(qty, line.unit_price,
                                                                                     line.tax_rate)
    return excl if deductible else incl


def order_cost(order: PurchaseOrder) -> Decimal:
    deductible = order.invoice_type in deductible_types()
    return sum((line_cost(line, deductible) for line in order.lines.all()), ZERO)


def budget_check(order: PurchaseOrder) -> tuple[str, bool]:
    """procurement's check on the projected commitment: the project's commitment without this order's request
    lines, plus this order's cost."""
    if order.project_id is None:
        return "", False
    ids = [line.request_line_id for line in order.lines.all() if line.request_line_id]
    projected = procurement_selectors.committed_of(order.project, exclude_lines=ids) + order_cost(order)
    return procurement_services.budget_verdict(order.project, projected)


def _heads() -> list:
    """The procurement heads (the extra step when the total is above the award)."""
    return list(User.objects.filter(is_active=True, groups__name=Role.PROCUREMENT_HEAD).order_by("id"))


@transaction.atomic
def order_submit(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """draft → in_review: a new round (route by amount band and category); a procurement-head step when the total
    is above the award; the budget step when the project's budget does not cover it."""
    refuse(rules.can_submit(actor, order))
    order = (PurchaseOrder.objects.select_for_update(of=("self",)).select_related("supplier", "project__department",
                                                                       "department").get(pk=order.pk))
    errors: dict = {}
    check_milestones(_milestone_rows(order), order.retention_pct, errors)
    _sme_refusal(order, order.pay_after_customer, errors)
    if not order.invoice_type:
        errors["invoice_type"] = _("This field is required.")
    if errors:
        raise Invalid(fields=errors)
    warning, over = budget_check(order)
    extra = []
    above = order.total > order.award_total
    if above:
        extra.append((HEAD_STEP, _heads()))
    if over:
        extra.append((procurement_services.BUDGET_STEP,
                      approvals.heads_over(order.project.department, excluded={order.owner_id})))
    if above:
        warning_above = (_("The total %(t)s is above the awarded %(a)s: the procurement head decides one more step.")
                         % {"t": f"{order.total:,.2f}", "a": f"{order.award_total:,.2f}"})
    else:
        warning_above = ""
    warnings = terms_warnings(order, extra=(warning, warning_above))
    order = transition(order, actor=actor, action="submit", transitions=rules.TRANSITIONS,
                       extra={"warnings": warnings},
                       changes={"warnings": [None, warnings]} if warnings else None)
    approvals.start_round(actor=actor, kind=ORDER_KIND, subject=order, extra_steps=extra)
    publish("purchase_order.submitted", subject=order, data=payload(order))
    return order


def _step(order: PurchaseOrder, step_id):
    return step_id if step_id is not None else getattr(procurement_rules.current_step(order), "pk", None)


@transaction.atomic
def order_decide(*, actor, order: PurchaseOrder, decision: str, comment: str = "", step_id=None) -> PurchaseOrder:
    """Approve, return (back to draft) or reject (cancelled, final) the caller's step of the order's round, or of
    its amendment's round."""
    order.__dict__.pop("_current_step", None)
    refuse(rules.can_decide(actor, order, decision))
    approvals.decide(actor=actor, record=order, step_id=_step(order, step_id), decision=decision, comment=comment)
    return PurchaseOrder.objects.get(pk=order.pk)


def order_approved(*, actor, subject: PurchaseOrder, review, comment: str, changes: dict) -> PurchaseOrder:
    order = transition(subject, actor=actor, action="approved", transitions=rules.TRANSITIONS, comment=comment,
                       changes=changes)
    publish("purchase_order.approved", subject=order, data=payload(order), notify=[order.owner],
            text=phrase(gettext_noop("Purchase order approved: %(n)s"), n=order.number), url=order_url(order))
    return order


def order_returned(*, actor, subject: PurchaseOrder, review, comment: str, changes: dict) -> PurchaseOrder:
    order = transition(subject, actor=actor, action="returned", transitions=rules.TRANSITIONS, comment=comment,
                       changes=changes)
    notify([order.owner], text=phrase(gettext_noop("Purchase order returned for changes: %(n)s — %(c)s"),
                                       n=order.number, c=comment),
           url=order_url(order), kind="purchaseorder.returned")
    return order


def order_rejected(*, actor, subject: PurchaseOrder, review, comment: str, changes: dict) -> PurchaseOrder:
    order = transition(subject, actor=actor, action="rejected", transitions=rules.TRANSITIONS, comment=comment,
                       changes=changes, extra={"status_reason": comment[:500]})
    notify([order.owner], text=phrase(gettext_noop("Purchase order rejected: %(n)s — %(c)s"),
                                       n=order.number, c=comment),
           url=order_url(order), kind="purchaseorder.rejected")
    hooks.ended(order=order)
    return order


# --- signing, cancelling, terminating, completing, closing ----------------------------------------------------

def terms_of(order: PurchaseOrder) -> dict:
    """The order's terms as kept in a version (JSON)."""
    return {
        "title": order.title, "total": f"{order.total:.2f}", "total_excl": f"{order.total_excl:.2f}",
        "retention_pct": str(order.retention_pct), "warranty_months": order.warranty_months,
        "payment_days": order.payment_days, "invoice_type": order.invoice_type,
        "pay_after_customer": order.pay_after_customer, "delivery_address": order.delivery_address,
        "lines": [{"id": line.pk, "item": line.item, "qty": str(line.qty), "unit_price": str(line.unit_price),
                   "tax_rate": str(line.tax_rate), "amount": f"{line.amount:.2f}",
                   "promised_on": line.promised_on.isoformat() if line.promised_on else None}
                  for line in order.lines.order_by("position", "id")],
        "milestones": [{"kind": m.kind, "percent": str(m.percent), "name": m.name}
                       for m in order.milestones.order_by("position", "id")],
    }


@transaction.atomic
def order_sign(*, actor, order: PurchaseOrder, signed_on, signed_copy, today=None) -> PurchaseOrder:
    """approved → signed: the signed date (not in the future) and the signed copy; revision 1 of the terms is
    kept; the original total is fixed; hooks.signed (payments holds the retention)."""
    refuse(rules.can_sign(actor, order))
    errors: dict = {}
    day = clean_past_date(signed_on, "signed_on", errors, today=today)
    if signed_copy is None:
        errors["file"] = _("Upload the signed copy.")
    if errors:
        raise Invalid(fields=errors)
    stored = store_upload(signed_copy, actor=actor)
    order = transition(order, actor=actor, action="sign", transitions=rules.TRANSITIONS, comment=stored.original_name,
                       extra={"signed_on": day, "signed_file": stored, "original_total": order.total, "revision": 1})
    OrderVersion.objects.create(order=order, revision=1, terms=terms_of(order))
    hooks.signed(order=order)
    publish("purchase_order.signed", subject=order, data=payload(order))
    return order


def _locked(order: PurchaseOrder) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update(of=("self",)).select_related("supplier", "owner").get(pk=order.pk)


@transaction.atomic
def order_cancel(*, actor, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """draft | approved | signed → cancelled while nothing is received, invoiced or paid (hooks.cancel_refusal)."""
    order = _locked(order)
    refuse(rules.can_cancel(actor, order))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    order = transition(order, actor=actor, action="cancel", transitions=rules.TRANSITIONS, comment=reason,
                       extra={"status_reason": reason})
    hooks.ended(order=order)
    publish("purchase_order.cancelled", subject=order, data=payload(order),
            notify=[order.owner] if order.owner_id != actor.pk else [],
            text=phrase(gettext_noop("Purchase order cancelled: %(n)s — %(r)s"), n=order.number, r=reason),
            url=order_url(order))
    return order


@transaction.atomic
def order_terminate(*, actor, order: PurchaseOrder, reason: str) -> PurchaseOrder:
    """signed → terminated: each line's open quantity is dropped (dropped = qty − accepted); hooks.ended."""
    order = _locked(order)
    refuse(rules.can_terminate(actor, order))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    accepted = selectors.accepted_of(order)
    dropped = {}
    for line in order.lines.all():
        drop = max(line.qty - accepted.get(line.pk, QTY_ZERO), QTY_ZERO)
        OrderLine.objects.filter(pk=line.pk).update(dropped_qty=drop)
        if drop:
            dropped[f"lines.{line.position}.dropped_qty"] = [None, str(drop)]
    order = transition(order, actor=actor, action="terminate", transitions=rules.TRANSITIONS, comment=reason,
                       extra={"status_reason": reason}, changes=dropped)
    hooks.ended(order=order)
    publish("purchase_order.terminated", subject=order, data=payload(order),
            notify=[order.owner] if order.owner_id != actor.pk else [],
            text=phrase(gettext_noop("Purchase order terminated: %(n)s — %(r)s"), n=order.number, r=reason),
            url=order_url(order))
    return order


def incomplete_reason(order: PurchaseOrder) -> str | None:
    """Why a signed order is not completed yet (the first answer of hooks.incomplete); None when complete. With
    no module answering, an order is never completed by itself."""
    answers = hooks.incomplete(order=order)
    if not answers:
        return _("Nothing is received yet.")
    return next((str(a) for a in answers if a), None)


@transaction.atomic
def check_completed(order: PurchaseOrder, *, actor=None) -> PurchaseOrder:
    """signed → completed when every hooks.incomplete answer is None (all accepted, invoiced, paid bar retention).
    Receiving, supplier invoices and payments call it after their changes; answers the order as it now is."""
    order = _locked(order)
    if order.status != OrderStatus.SIGNED or incomplete_reason(order) is not None:
        return order
    order = transition(order, actor=actor, action="complete", transitions=rules.TRANSITIONS,
                       extra={"completed_at": timezone.now()})
    publish("purchase_order.completed", subject=order, data=payload(order), notify=[order.owner],
            text=phrase(gettext_noop("Purchase order completed: %(n)s"), n=order.number), url=order_url(order))
    return order


@transaction.atomic
def order_close(*, actor, order: PurchaseOrder) -> PurchaseOrder:
    """completed → closed when every hooks.close_refusal answer is None (retention settled, evaluated); the
    procurement head or the purchaser."""
    order = _locked(order)
    refuse(rules.can_close(actor, order))
    order = transition(order, actor=actor, action="close", transitions=rules.TRANSITIONS,
                       extra={"closed_at": timezone.now()})
    publish("purchase_order.closed", subject=order, data=payload(order))
    return order


def close(actor, order: PurchaseOrder) -> PurchaseOrder:
    """order_close for the callers that name it `close(actor, order)`."""
    return order_close(actor=actor, order=order)


# --- amendments -----------------------------------------------------------------------------------------------

AMENDABLE = ("title", "delivery_address", "retention_pct", "warranty_months", "payment_days", "milestones",
             "lines")


def _amended_lines(order: PurchaseOrder, rows, errors: dict, accepted: dict) -> dict[int, dict]:
    """{line id: {qty, unit_price, promised_on}} of the changed lines; qty not below what is accepted."""
    if not isinstance(rows, list | tuple) or not all(isinstance(r, dict) for r in rows):
        errors["changes.lines"] = _("A list of lines.")
        return {}
    lines = {line.pk: line for line in order.lines.all()}
    out = {}
    for i, row in enumerate(rows, start=1):
        key = f"changes.lines.{i}"
        line = lines.get(row.get("id")) if isinstance(row.get("id"), int) else None
        if line is None:
            errors[f"{key}.id"] = _("Not a line of this order.")
            continue
        new = {"qty": line.qty, "unit_price": line.unit_price, "promised_on": line.promised_on}
        if "qty" in row:
            qty = _decimal(row["qty"], f"{key}.qty", errors, places=3, low=Decimal("0.001"), high=MAX_QTY)
            done = accepted.get(line.pk, QTY_ZERO)
            if qty is not None and qty < done:
                errors[f"{key}.qty"] = _("Not below the accepted quantity %(q)s.") % {"q": done.normalize()}
            new["qty"] = qty
        if "unit_price" in row:
            new["unit_price"] = _decimal(row["unit_price"], f"{key}.unit_price", errors, places=4,
                                         low=Decimal("0"), high=MAX_PRICE)
        if "promised_on" in row:
            new["promised_on"] = clean_date(row["promised_on"], f"{key}.promised_on", errors)
        out[line.pk] = new
    return out


def _amendment_terms(order: PurchaseOrder, changes, errors: dict) -> dict:
    """The order's terms after `changes` (checked like a draft's terms), as terms_of answers them."""
    if not isinstance(changes, dict) or not changes:
        errors["changes"] = _("An object of changed terms is expected.")
        return {}
    unknown = sorted(set(changes) - set(AMENDABLE))
    if unknown:
        errors["changes"] = _("These cannot be amended: %(f)s") % {"f": ", ".join(unknown)}
        return {}
    current = terms_of(order)
    new = dict(current)
    texts = clean_texts({k: changes[k] for k in ("title", "delivery_address") if k in changes}, LIMITS, errors)
    for key, value in texts.items():
        if key in errors:
            errors[f"changes.{key}"] = errors.pop(key)
        new[key] = value
    if "title" in texts and not texts["title"]:
        errors["changes.title"] = _("This field is required.")
    retention = order.retention_pct
    if "retention_pct" in changes:
        retention = _decimal(changes["retention_pct"], "changes.retention_pct", errors, places=2, low=Decimal("0"),
                             high=HUNDRED)
        new["retention_pct"] = str(retention)
    for key, high in (("warranty_months", MAX_WARRANTY), ("payment_days", MAX_PAYMENT_DAYS)):
        if key in changes:
            new[key] = _whole(changes[key], f"changes.{key}", errors, high=high)
    milestones = None
    if "milestones" in changes:
        inner: dict = {}
        milestones = clean_milestones(changes["milestones"], inner)
        errors.update({f"changes.{k}": v for k, v in inner.items()})
        if milestones and not inner:
            new["milestones"] = [{"kind": m["kind"], "percent": str(m["percent"]), "name": m["name"]}
                                 for m in milestones]
    if retention is not None and ("milestones" in changes or "retention_pct" in changes):
        inner = {}
        rows = milestones if milestones is not None else _milestone_rows(order)
        check_milestones(rows, retention, inner)
        errors.update({f"changes.{k}": v for k, v in inner.items()})
    if "lines" in changes:
        accepted = selectors.accepted_of(order)
        amended = _amended_lines(order, changes["lines"], errors, accepted)
        lines = []
        for row in current["lines"]:
            change = amended.get(row["id"])
            if change and change["qty"] is not None and change["unit_price"] is not None:
                line = order.lines.get(pk=row["id"])
                incl, _excl = line_amounts(change["qty"], change["unit_price"], line.tax_rate)
                row = {**row, "qty": str(change["qty"]), "unit_price": str(change["unit_price"]),
                       "amount": f"{incl:.2f}",
                       "promised_on": change["promised_on"].isoformat() if change["promised_on"] else None}
            lines.append(row)
        new["lines"] = lines
        new["total"] = f"{sum((Decimal(r['amount']) for r in lines), ZERO):.2f}"
    return new


@transaction.atomic
def amendment_propose(*, actor, order: PurchaseOrder, changes, reason: str = "") -> OrderAmendment:
    """Propose new terms for a signed order; its review starts at once (on the order routes, for the amended
    total). A rise above 10 % of the original total needs a reason; quantities not below what is accepted, the
    total not below what is paid."""
    order = _locked(order)
    refuse(rules.can_amend(actor, order))
    errors: dict = {}
    reason = clean_texts({"reason": reason}, {"reason": 2000}, errors).get("reason", "")
    new = _amendment_terms(order, changes, errors)
    if errors:
        raise Invalid(fields=errors)
    current = terms_of(order)
    diff = {k: [current[k], new[k]] for k in new if new[k] != current[k]}
    if not diff:
        raise Invalid(_("The amendment changes nothing."), code="no_change",
                      fields={"changes": _("The amendment changes nothing.")})
    total = Decimal(new["total"])
    original = order.original_total if order.original_total is not None else order.total
    if total > order.total and total > original * (1 + RISE_NEEDS_REASON) and not reason:
        errors["reason"] = _("The total rises more than 10%% above the original %(o)s: give a reason.") % {
            "o": f"{original:,.2f}"}
    paid = selectors.figures(order)["paid"]
    if total < paid:
        errors["changes"] = _("The total %(t)s would be below what is paid, %(p)s.") % {
            "t": f"{total:,.2f}", "p": f"{paid:,.2f}"}
    if total > MAX_AMOUNT:
        errors["changes"] = _("The total is too large.")
    if errors:
        raise Invalid(fields=errors)
    amendment = OrderAmendment.objects.create(order=order, changes={k: new[k] for k in diff}, reason=reason,
                                              created_by=actor)
    amendment.order = order
    approvals.start_round(actor=actor, kind=AMENDMENT_KIND, subject=amendment)
    timeline.record(order, actor=actor, action="purchaseorder.amendment_proposed", comment=reason, changes=diff)
    return amendment


def amended_total(amendment: OrderAmendment) -> Decimal:
    return Decimal(amendment.changes["total"]) if "total" in amendment.changes else amendment.order.total


def _decided(amendment: OrderAmendment, status: str) -> None:
    if not OrderAmendment.objects.filter(pk=amendment.pk, status=AmendmentStatus.IN_REVIEW).update(
            status=status, decided_at=timezone.now()):
        raise Conflict(_("The amendment has already been decided."), code="already_decided")


def amendment_rejected(*, actor, subject: OrderAmendment, review, comment, changes) -> PurchaseOrder:
    amendment, order = subject, subject.order
    _decided(amendment, AmendmentStatus.REJECTED)
    timeline.record(order, actor=actor, action="purchaseorder.amendment_rejected", comment=comment, changes=changes)
    notify([order.owner, amendment.created_by],
           text=phrase(gettext_noop("Amendment of %(n)s rejected: %(c)s"), n=order.number, c=comment),
           url=order_url(order), kind="purchaseorder.amendment_rejected")
    return order


def amendment_approved(*, actor, subject: OrderAmendment, review, comment, changes) -> PurchaseOrder:
    """Apply the amendment: new terms (lines re-priced), the next revision kept beside the earlier ones."""
    amendment = subject
    _decided(amendment, AmendmentStatus.APPROVED)
    order = _locked(amendment.order)
    if order.status != OrderStatus.SIGNED:
        raise Conflict(_("The order changed since the amendment was proposed."), code="stale")
    new = amendment.changes
    fields = {k: new[k] for k in ("title", "delivery_address", "warranty_months", "payment_days") if k in new}
    if "retention_pct" in new:
        fields["retention_pct"] = Decimal(new["retention_pct"])
    for row in new.get("lines", []):
        line = order.lines.get(pk=row["id"])
        qty, price = Decimal(row["qty"]), Decimal(row["unit_price"])
        incl, excl = line_amounts(qty, price, line.tax_rate)
        OrderLine.objects.filter(pk=line.pk).update(
            qty=qty, unit_price=price, amount=incl, amount_excl=excl,
            promised_on=row["promised_on"] or None)
    if "milestones" in new:
        _write_milestones(order, [{**m, "percent": Decimal(m["percent"])} for m in new["milestones"]])
    total, total_excl = _totals(order)
    PurchaseOrder.objects.filter(pk=order.pk).update(
        **fields, total=total, total_excl=total_excl, revision=F("revision") + 1, version=F("version") + 1,
        updated_at=timezone.now())
    order.refresh_from_db()
    PurchaseOrder.objects.filter(pk=order.pk).update(warnings=terms_warnings(order))
    OrderVersion.objects.create(order=order, revision=order.revision, terms=terms_of(order), amendment=amendment)
    timeline.record(order, actor=actor, action="purchaseorder.amended", comment=comment,
                    changes={**changes, "revision": [order.revision - 1, order.revision]})
    notify([order.owner, amendment.created_by],
           text=phrase(gettext_noop("Amendment of %(n)s approved: revision %(v)s"), n=order.number, v=order.revision),
           url=order_url(order), kind="purchaseorder.amended")
    publish("purchase_order.amended", subject=order, data=payload(order))
    return order


# --- the project's commitment (procurement.hooks.order_commitment) ---------------------------------------------

def commitment(*, project, by_category: bool = False, **_kw):
    """Lines of the project's orders `approved` or later (not cancelled), dropped quantity excluded, at the line
    cost (excl. tax when the order's invoice type is deductible)."""
    deductible = deductible_types()
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    lines = (OrderLine.objects.filter(order__project=project, order__status__in=rules.COMMITTED)
             .select_related("order"))
    for line in lines:
        out[line.category] += line_cost(line, line.order.invoice_type in deductible)
    return dict(out) if by_category else sum(out.values(), ZERO)


def payload(order: PurchaseOrder) -> dict:
    return {"purchase_order": {
        "id": order.pk, "number": order.number, "title": order.title, "status": order.status,
        "total": f"{order.total:.2f}", "supplier": {"id": order.supplier_id, "name": order.supplier.name},
        "owner_id": order.owner_id,
        "project": {"id": order.project_id, "number": order.project.number} if order.project_id else None}}
