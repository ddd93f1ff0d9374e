"""Supplier invoices (发票, FP-) and the three-way match (PROCUREMENT.md "SupplierInvoice").

Recording checks the invoice as a whole (one 422 naming every bad field): the invoice type is an active code of
`invoice_type`, the seller's tax id is the supplier's credit code (三流一致), the invoice was issued by today, the
lines (on order lines of that supplier's orders that the recorder may invoice) add up to the header's total when
one is given. An order not signed yet (or cancelled, closed) is 409, as is a live invoice with the same (type, code,
number). The orders of the lines are locked while quantities are summed, so two invoices recorded at once are
matched one after the other. The new invoice is matched at once: `matched` or `mismatch` (matching.py).

Re-match: after a receipt of an order is accepted (receiving.hooks.accepted) and after an invoice is cancelled,
the open invoices (submitted, mismatch) of the order are matched again, oldest first."""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.codes.models import CodeItem
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.events import publish
from opsmon.core.files import store_upload
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_money, clean_number, clean_past_date, clean_texts, transition
from opsmon.purchasing import services as purchasing_services
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.receiving.models import Receipt
from opsmon.suppliers.models import Supplier

from . import events, matching, rules, selectors
from .choices import InvoiceStatus
from .models import SupplierInvoice, SupplierInvoiceLine

NUMBER_PREFIX = "FP"
MAX_LINES = 50
QTY_PLACES = 3
MAX_QTY = Decimal("99999999999.999")
HUNDRED = Decimal("100")
LIMITS = {"code": 20, "number": 30, "seller_tax_id": 20}
FILE_KINDS = frozenset({"pdf", "jpg", "png"})


def invoice_url(invoice: SupplierInvoice) -> str:
    return f"/procurement/invoices/{invoice.pk}/"


def _required() -> str:
    return _("This field is required.")


# --- input ----------------------------------------------------------------------------------------------------

def _decimal(value, field: str, errors: dict, *, places: int, positive: bool, high: Decimal) -> Decimal | None:
    return clean_number(value, field, errors, places=places, positive=positive, high=high)


def _id(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isdigit() and text.isascii() else None


def _supplier(supplier_id, errors: dict) -> Supplier | None:
    pk = _id(supplier_id)
    found = Supplier.objects.filter(pk=pk).first() if pk is not None else None
    if found is None:
        errors["supplier_id"] = _("Choose a supplier.")
    return found


def _invoice_type(code, errors: dict) -> str:
    code = str(code or "").strip()
    if not code:
        errors["invoice_type"] = _required()
    elif not CodeItem.objects.filter(table__name="invoice_type", code=code, active=True).exists():
        errors["invoice_type"] = _("unknown or inactive code “%(code)s”") % {"code": code}
    return code


def _identifier(texts: dict, field: str, errors: dict, *, required: bool) -> str:
    value = texts.get(field, "")
    if field in errors:
        return value
    if not value:
        if required:
            errors[field] = _required()
    elif not (value.isascii() and value.isalnum()):
        errors[field] = _("Letters and digits only.")
    return value.upper()


def clean_lines(actor, supplier, lines, errors: dict) -> tuple[list[dict], list[str]]:
    """Rows {order_line_id, qty, amount, tax_rate}; answers the clean rows and the refusals of orders in the wrong
    state (409, reported after the 422s)."""
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines):
        errors["lines"] = _("A list of lines.")
        return [], []
    if not lines:
        errors["lines"] = _("Add at least one line.")
        return [], []
    if len(lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s lines.") % {"n": MAX_LINES}
        return [], []
    ids = {_id(r.get("order_line_id")) for r in lines} - {None}
    found = {ol.pk: ol for ol in OrderLine.objects.filter(pk__in=ids).select_related("order")}
    out, states, seen = [], {}, set()
    for i, row in enumerate(lines, start=1):
        key = f"lines.{i}"
        order_line = found.get(_id(row.get("order_line_id")))
        if order_line is None or not rules.may_invoice_order(actor, order_line.order):
            errors[f"{key}.order_line_id"] = _("Choose a line of an order you may invoice.")
            order_line = None
        elif supplier is not None and order_line.order.supplier_id != supplier.pk:
            errors[f"{key}.order_line_id"] = _("This line is on an order of another supplier.")
            order_line = None
        elif order_line.pk in seen:
            errors[f"{key}.order_line_id"] = _("This order line is listed twice.")
        elif order_line.order.status not in selectors.INVOICEABLE:
            states[f"{key}.order_line_id"] = _("Order %(n)s is “%(status)s”: only signed orders are invoiced.") % {
                "n": order_line.order.number, "status": order_line.order.get_status_display()}
        if order_line is not None:
            seen.add(order_line.pk)
        qty = _decimal(row.get("qty"), f"{key}.qty", errors, places=QTY_PLACES, positive=True, high=MAX_QTY)
        amount = clean_money(row.get("amount"), f"{key}.amount", errors)
        rate = _decimal(row.get("tax_rate"), f"{key}.tax_rate", errors, places=2, positive=False, high=HUNDRED)
        out.append({"order_line": order_line, "qty": qty, "amount": amount, "tax_rate": rate})
    return out, states


# --- recording ------------------------------------------------------------------------------------------------

@transaction.atomic
def invoice_create(*, actor, supplier_id=None, invoice_type: str = "", code: str = "", number: str = "",
                   issued_on=None, seller_tax_id: str = "", lines=(), total=None, upload=None,
                   today=None) -> SupplierInvoice:
    """Record a supplier invoice and match it (→ matched | mismatch)."""
    refuse(rules.can_create(actor))
    errors: dict = {}
    supplier = _supplier(supplier_id, errors)
    kind = _invoice_type(invoice_type, errors)
    texts = clean_texts({"code": code, "number": number, "seller_tax_id": seller_tax_id}, LIMITS, errors)
    code = _identifier(texts, "code", errors, required=False)
    number = _identifier(texts, "number", errors, required=True)
    tax_id = _identifier(texts, "seller_tax_id", errors, required=True)
    if supplier is not None and tax_id and "seller_tax_id" not in errors and tax_id != supplier.credit_code.upper():
        errors["seller_tax_id"] = _("The seller's tax id must be the supplier's credit code %(code)s (三流一致).") % {
            "code": supplier.credit_code}
    issued = clean_past_date(issued_on, "issued_on", errors, today=today)
    rows, states = clean_lines(actor, supplier, lines, errors)
    header = clean_money(total, "total", errors, required=False)
    if rows and not any(k.startswith("lines") for k in errors):
        line_sum = sum((r["amount"] for r in rows), Decimal("0.00"))
        if line_sum > MAX_AMOUNT:
            errors["lines"] = _("The total is too large.")
        elif header is not None and header != line_sum:
            errors["total"] = _("The lines add up to %(sum)s, not %(total)s.") % {
                "sum": f"{line_sum:.2f}", "total": f"{header:.2f}"}
    if errors:
        raise Invalid(fields=errors)
    if states:
        raise Conflict(next(iter(states.values())), code="order_state", fields=states)
    if SupplierInvoice.objects.filter(invoice_type=kind, code=code, invoice_number=number).exclude(
            status=InvoiceStatus.CANCELLED).exists():
        raise Conflict(_("This invoice (type, code and number) is already recorded."), code="duplicate_invoice",
                       fields={"number": _("already recorded")})
    # Lock the orders: quantities invoiced on their lines are summed next (PostgreSQL; SQLite writes serially).
    order_ids = sorted({r["order_line"].order_id for r in rows})
    orders = {o.pk: o for o in PurchaseOrder.objects.select_for_update().filter(pk__in=order_ids).order_by("pk")}
    for i, row in enumerate(rows, start=1):
        if orders[row["order_line"].order_id].status not in selectors.INVOICEABLE:  # changed while we checked
            raise Conflict(_("The order changed meanwhile; reload and try again."), code="order_state",
                           fields={f"lines.{i}.order_line_id": _("order not signed")})
    stored = store_upload(upload, actor=actor, allowed=FILE_KINDS) if upload is not None else None
    line_sum = sum((r["amount"] for r in rows), Decimal("0.00"))
    try:
        with transaction.atomic():
            invoice = SupplierInvoice.objects.create(
                number=next_number(NUMBER_PREFIX), supplier=supplier, invoice_type=kind, code=code,
                invoice_number=number, issued_on=issued, seller_tax_id=tax_id, total=line_sum, file=stored,
                created_by=actor)
    except IntegrityError:
        raise Conflict(_("This invoice (type, code and number) is already recorded."), code="duplicate_invoice",
                       fields={"number": _("already recorded")}) from None
    SupplierInvoiceLine.objects.bulk_create(
        SupplierInvoiceLine(invoice=invoice, order_line=r["order_line"], qty=r["qty"], amount=r["amount"],
                            tax_rate=r["tax_rate"]) for r in rows)
    timeline.record(invoice, actor=actor, action=events.CREATED, to_status=invoice.status,
                    changes={"invoice_number": [None, f"{kind} {code} {number}".strip()],
                             "total": [None, f"{line_sum:.2f}"]})
    publish(events.RECORDED, subject=invoice, data={"supplier_invoice": _event_data(invoice)}, outbound=True)
    return _match(invoice, actor=actor)


def _event_data(invoice: SupplierInvoice) -> dict:
    return {"id": invoice.pk, "number": invoice.number, "invoice_type": invoice.invoice_type,
            "code": invoice.code, "invoice_number": invoice.invoice_number, "total": f"{invoice.total:.2f}",
            "status": invoice.status, "supplier": {"id": invoice.supplier_id}}


def _owners(invoice: SupplierInvoice) -> list:
    seen = {}
    for line in invoice.lines.select_related("order_line__order__owner"):
        owner = line.order_line.order.owner
        seen[owner.pk] = owner
    return list(seen.values())


def _match(invoice: SupplierInvoice, *, actor, comment: str = "") -> SupplierInvoice:
    """Match the lines; move a submitted invoice to matched or mismatch, a mismatched one to matched when it
    matches now."""
    matched = matching.match_invoice(invoice)
    if matched:
        return transition(invoice, actor=actor, action="matched", transitions=rules.TRANSITIONS, comment=comment)
    if invoice.status == InvoiceStatus.SUBMITTED:
        invoice = transition(invoice, actor=actor, action="mismatch", transitions=rules.TRANSITIONS,
                             comment=comment)
        publish(events.MISMATCHED, subject=invoice, data={"supplier_invoice": _event_data(invoice)},
                notify=[u for u in _owners(invoice) if actor is None or u.pk != actor.pk],
                text=_("Supplier invoice %(n)s does not match its order and receipts.") % {"n": invoice.number},
                url=invoice_url(invoice))
    return invoice


def rematch_order(order, *, actor=None, comment: str = "") -> list[SupplierInvoice]:
    """Match the open invoices of `order` again, oldest first (after a receipt was accepted, an invoice
    cancelled); answers them."""
    open_ids = (SupplierInvoiceLine.objects.filter(order_line__order=order, invoice__status__in=rules.OPEN)
                .values_list("invoice", flat=True).distinct())
    out = []
    for invoice in SupplierInvoice.objects.filter(pk__in=list(open_ids)).order_by("id"):
        out.append(_match(invoice, actor=actor, comment=comment))
    return out


# --- actions --------------------------------------------------------------------------------------------------

@transaction.atomic
def invoice_accept_variance(*, actor, invoice: SupplierInvoice, reason: str = "") -> SupplierInvoice:
    """mismatch → matched: the procurement head accepts the variance, with a reason."""
    refuse(rules.can_accept_variance(actor, invoice))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return transition(invoice, actor=actor, action="accept_variance", transitions=rules.TRANSITIONS,
                      comment=reason, extra={"variance_reason": reason, "variance_by": actor})


def _orders_of(invoice: SupplierInvoice) -> list[PurchaseOrder]:
    ids = set(invoice.lines.values_list("order_line__order", flat=True))
    return list(PurchaseOrder.objects.filter(pk__in=ids).order_by("pk"))




@transaction.atomic
def invoice_verify(*, actor, invoice: SupplierInvoice) -> SupplierInvoice:
    """matched → verified (finance); each order of the invoice may complete now."""
    refuse(rules.can_verify(actor, invoice))
    invoice = transition(invoice, actor=actor, action="verify", transitions=rules.TRANSITIONS,
                         extra={"verified_by": actor, "verified_at": timezone.now()})
    publish(events.VERIFIED, subject=invoice, data={"supplier_invoice": _event_data(invoice)},
            notify=[u for u in _owners(invoice) if u.pk != actor.pk],
            text=_("Supplier invoice %(n)s verified") % {"n": invoice.number}, url=invoice_url(invoice))
    for order in _orders_of(invoice):
        purchasing_services.check_completed(order, actor=actor)  # accepted, invoiced, paid: completed
    return invoice


@transaction.atomic
def invoice_cancel(*, actor, invoice: SupplierInvoice, reason: str = "") -> SupplierInvoice:
    """→ cancelled (红冲) while unpaid, with a reason; open invoices of its orders are matched again."""
    refuse(rules.can_cancel(actor, invoice))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    orders = _orders_of(invoice)
    list(PurchaseOrder.objects.select_for_update().filter(pk__in=[o.pk for o in orders]).order_by("pk"))
    invoice = transition(invoice, actor=actor, action="cancel", transitions=rules.TRANSITIONS, comment=reason,
                         extra={"status_reason": reason})
    publish(events.CANCELLED, subject=invoice, data={"supplier_invoice": _event_data(invoice)},
            notify=[u for u in _owners(invoice) if u.pk != actor.pk],
            text=_("Supplier invoice %(n)s cancelled (红冲): %(r)s") % {"n": invoice.number, "r": reason},
            url=invoice_url(invoice))
    for order in orders:
        rematch_order(order, actor=actor)
    return invoice


# --- what lower modules ask (receivers.py connects these) -------------------------------------------------------

def on_receipt_accepted(*, receipt, **_kw) -> None:
    """receiving.hooks.accepted (a receipt accepted, or cancelled): match the order's open invoices again."""
    rematch_order(receipt.order, actor=None,
                  comment=_("Matched again after receipt %(n)s was accepted.") % {"n": receipt.number})


def receipt_cancel_refusal(*, receipt, **_kw) -> str | None:
    """receiving.hooks.cancel_refusal: an accepted receipt whose order lines are on live invoices stays."""
    if receipt.status != "accepted":
        return None
    line_ids = list(receipt.lines.values_list("order_line", flat=True))
    found = (SupplierInvoice.objects.filter(lines__order_line__in=line_ids, status__in=rules.LIVE)
             .order_by("id").values_list("number", flat=True).distinct())
    numbers = list(found[:5])
    if not numbers:
        return None
    return _("Invoices %(n)s are recorded against these order lines; cancel them (红冲) first.") % {
        "n": "、".join(numbers)}


def order_figures(*, order, **_kw) -> dict:
    """purchasing.hooks.figures."""
    return selectors.order_figures(order)


def order_cancel_refusal(*, order, **_kw) -> str | None:
    """purchasing.hooks.cancel_refusal: anything invoiced on the order."""
    found = (SupplierInvoice.objects.filter(lines__order_line__order=order, status__in=rules.LIVE)
             .order_by("id").values_list("number", flat=True).distinct())
    numbers = list(found[:5])
    if not numbers:
        return None
    return _("Supplier invoices %(n)s are recorded on this order.") % {"n": "、".join(numbers)}


def order_incomplete(*, order, **_kw) -> str | None:
    """purchasing.hooks.incomplete: every accepted quantity invoiced and verified, and no invoice waiting."""
    waiting = (SupplierInvoice.objects.filter(lines__order_line__order=order,
                                              status__in=rules.LIVE - {InvoiceStatus.VERIFIED})
               .order_by("id").values_list("number", flat=True).distinct())
    numbers = list(waiting[:5])
    if numbers:
        return _("Supplier invoices %(n)s are not verified yet.") % {"n": "、".join(numbers)}
    line_ids = list(order.lines.values_list("pk", flat=True))
    accepted = selectors.accepted_qty(line_ids)
    verified = selectors.invoiced_qty(line_ids, statuses={InvoiceStatus.VERIFIED})
    short = [pk for pk, qty in accepted.items() if qty > 0 and verified.get(pk, Decimal("0")) < qty]
    if short:
        return _("Accepted goods of %(n)s order line(s) are not invoiced and verified yet.") % {"n": len(short)}
    return None


def unmatched_receipts(now, *, days: int = 30):
    """Accepted receipts at least `days` old with accepted quantities no matched or verified invoice covers yet:
    (receipt, order) pairs (reminders.py)."""
    from_day = timezone.localdate(now) - timedelta(days=days)
    receipts = (Receipt.objects.filter(status="accepted", accepted_on__lte=from_day)
                .select_related("order", "order__owner").prefetch_related("lines")
                .order_by("accepted_on", "id"))
    out = []
    for receipt in receipts:
        line_ids = [line.order_line_id for line in receipt.lines.all() if line.accepted > 0]
        if not line_ids:
            continue
        accepted = selectors.accepted_qty(line_ids)
        invoiced = selectors.invoiced_qty(line_ids, statuses=rules.INVOICED)
        if any(invoiced.get(pk, Decimal("0")) < qty for pk, qty in accepted.items()):
            out.append(receipt)
    return out
