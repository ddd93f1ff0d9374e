"""Receipts (到货验收, DH-): PROCUREMENT.md "Receipt".

- `receipt_create`: a delivery on a signed order (draft), per line delivered ≤ ordered − accepted − pending
  (+ `over_receipt_pct` of the ordered quantity). The order row is locked first (select_for_update; SQLite
  serialises writers with IMMEDIATE transactions), so parallel deliveries never exceed the order together.
- `receipt_submit`: draft → inspecting (the inspector is told; it waits in his inbox).
- `receipt_accept` (the inspector): accepted + rejected = delivered per line; nothing accepted → `rejected`. The
  acceptance date (today, or a given past date) starts the payment clock and the warranty. Then: higher modules
  hear it (receiving.hooks.accepted), the order may be completed (purchasing.services.check_completed), and the
  purchase requests whose every line is accepted are closed.
- `receipt_cancel`: draft, inspecting, or accepted while no higher module objects (an invoice matched)."""

from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.events import publish
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_number, clean_past_date, clean_texts, transition
from opsmon.procurement import services as procurement_services
from opsmon.procurement.models import ProcurementSettings
from opsmon.purchasing import services as order_services
from opsmon.purchasing.models import PurchaseOrder

from . import hooks, rules, selectors
from .choices import ReceiptStatus
from .models import Receipt, ReceiptLine

NUMBER_PREFIX = "DH"
MAX_LINES = 100
QTY_PLACES = 3
MAX_QTY = Decimal("99999999999.999")
HUNDRED = Decimal("100")
ZERO = Decimal("0")


def receipt_url(receipt: Receipt) -> str:
    return f"/procurement/receipts/{receipt.pk}/"


def order_url(order) -> str:
    return f"/procurement/orders/{order.pk}/"


def _qty(value, field: str, errors: dict, *, positive: bool) -> Decimal | None:
    """A plain quantity (ASCII digits, at most 3 decimals), > 0 when `positive`, else ≥ 0."""
    return clean_number(value, field, errors, places=QTY_PLACES, positive=positive, high=MAX_QTY)


def _rows(lines, errors: dict) -> list[dict] | None:
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines):
        errors["lines"] = _("A list of lines.")
        return None
    if not lines:
        errors["lines"] = _("Add at least one line.")
        return None
    if len(lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s lines.") % {"n": MAX_LINES}
        return None
    return list(lines)


def _order_line(order_lines: dict, value, field: str, errors: dict, seen: set):
    line = order_lines.get(int(value)) if str(value).strip().isdigit() else None
    if line is None:
        errors[field] = _("Choose a line of this order.")
    elif line.pk in seen:
        errors[field] = _("This line is listed twice.")
        line = None
    else:
        seen.add(line.pk)
    return line


def open_qty(order, *, exclude=None) -> dict[int, Decimal]:
    """{order_line_id: quantity that may still be delivered}: ordered × (1 + over_receipt_pct %) − accepted −
    pending (never below 0)."""
    pct = ProcurementSettings.load().over_receipt_pct
    accepted = selectors.accepted_qty(order, exclude=exclude)
    pending = selectors.pending_qty(order, exclude=exclude)
    out = {}
    for line in order.lines.all():
        ceiling = (selectors.ordered(line) * (HUNDRED + pct) / HUNDRED).quantize(Decimal("0.001"), ROUND_DOWN)
        out[line.pk] = max(ceiling - accepted.get(line.pk, ZERO) - pending.get(line.pk, ZERO), ZERO)
    return out


def _inspector(order, inspector_id, errors: dict):
    found = (User.objects.filter(pk=inspector_id, is_active=True).first()
             if str(inspector_id or "").strip().isdigit() else None)
    if found is None or not found.has_role(Role.INSPECTOR):
        errors["inspector_id"] = _("Choose an active user with the inspector role.")
        return None
    if found.pk == order.owner_id:
        errors["inspector_id"] = _("The order's purchaser may not inspect its delivery.")
        return None
    return found


def _summary(rows) -> list[str]:
    return [f"{r['line'].item} {selectors.plain(r['qty'])}" for r in rows]


@transaction.atomic
def receipt_create(*, actor, order, delivered_on, inspector_id, lines, note: str = "", today=None) -> Receipt:
    """A draft receipt (DH-) of a delivery on a signed order (see the module's docstring)."""
    order = PurchaseOrder.objects.select_for_update().get(pk=order.pk)  # serialises deliveries of one order
    refuse(rules.can_create(actor, order))
    errors: dict = {}
    day = clean_past_date(delivered_on, "delivered_on", errors, today=today)
    inspector = _inspector(order, inspector_id, errors)
    texts = clean_texts({"note": note}, {"note": 2000}, errors)
    rows = _rows(lines, errors) or []
    order_lines = {line.pk: line for line in order.lines.all()}
    available = open_qty(order)
    clean, seen = [], set()
    for i, row in enumerate(rows, start=1):
        line = _order_line(order_lines, row.get("order_line_id"), f"lines.{i}.order_line_id", errors, seen)
        qty = _qty(row.get("qty"), f"lines.{i}.qty", errors, positive=True)
        if line is not None and qty is not None:
            if qty > available[line.pk]:
                errors[f"lines.{i}.qty"] = _("At most %(n)s of line %(p)s “%(item)s” may still be delivered.") % {
                    "n": selectors.plain(available[line.pk]), "p": line.position,
                    "item": line.item}
            clean.append({"line": line, "qty": qty})
    if errors:
        raise Invalid(fields=errors)
    receipt = Receipt.objects.create(number=next_number(NUMBER_PREFIX), order=order, delivered_on=day,
                                     inspector=inspector, note=texts["note"], created_by=actor)
    ReceiptLine.objects.bulk_create(ReceiptLine(receipt=receipt, order_line=r["line"], qty=r["qty"]) for r in clean)
    timeline.record(receipt, actor=actor, action="receipt.created", to_status=receipt.status,
                    changes={"lines": [None, _summary(clean)], "inspector": [None, str(inspector)],
                             "delivered_on": [None, day.isoformat()]})
    timeline.record(order, actor=actor, action="purchaseorder.delivery_recorded",
                    comment=receipt.number, changes={"receipt": [None, receipt.number]})
    return receipt


@transaction.atomic
def receipt_submit(*, actor, receipt: Receipt) -> Receipt:
    """draft → inspecting: the inspector is told (and finds it in his inbox)."""
    refuse(rules.can_submit(actor, receipt))
    receipt = transition(receipt, actor=actor, action="submit", transitions=rules.TRANSITIONS)
    publish("receipt.submitted", subject=receipt, data=payload(receipt), notify=[receipt.inspector],
            text=_("Delivery %(n)s of order %(o)s waits for your inspection") % {
                "n": receipt.number, "o": receipt.order.number}, url=receipt_url(receipt))
    return receipt


def _split(receipt: Receipt, lines, errors: dict) -> list[dict]:
    """The inspector's split per receipt line: every line once, accepted + rejected = delivered."""
    rows = _rows(lines, errors)
    if rows is None:
        return []
    mine = {rl.order_line_id: rl for rl in receipt.lines.all()}
    clean, seen = [], set()
    for i, row in enumerate(rows, start=1):
        key = f"lines.{i}"
        value = row.get("order_line_id")
        rl = mine.get(int(value)) if str(value).strip().isdigit() else None
        if rl is None:
            errors[f"{key}.order_line_id"] = _("Choose a line of this delivery.")
            continue
        if rl.pk in seen:
            errors[f"{key}.order_line_id"] = _("This line is listed twice.")
            continue
        seen.add(rl.pk)
        accepted = _qty(row.get("accepted"), f"{key}.accepted", errors, positive=False)
        rejected = _qty(row.get("rejected") if row.get("rejected") not in (None, "") else "0", f"{key}.rejected",
                        errors, positive=False)
        line_errors: dict = {}
        note = clean_texts({"note": row.get("note")}, {"note": 500}, line_errors)["note"]
        errors.update({f"{key}.{k}": v for k, v in line_errors.items()})
        if accepted is not None and rejected is not None and accepted + rejected != rl.qty:
            errors[f"{key}.accepted"] = _("Accepted and rejected must add up to the %(n)s delivered.") % {
                "n": selectors.plain(rl.qty)}
        clean.append({"line": rl, "accepted": accepted, "rejected": rejected, "note": note})
    missing = [rl for rl in mine.values() if rl.pk not in seen]
    if missing and "lines" not in errors and not any(k.endswith("order_line_id") for k in errors):
        errors["lines"] = _("Split every delivered line: %(items)s.") % {
            "items": ", ".join(rl.order_line.item for rl in missing)}
    return clean


@transaction.atomic
def receipt_accept(*, actor, receipt: Receipt, lines, accepted_on=None, today=None) -> Receipt:
    """inspecting → accepted (anything accepted) | rejected (nothing): see the module's docstring."""
    PurchaseOrder.objects.select_for_update().filter(pk=receipt.order_id).first()
    receipt = Receipt.objects.select_related("order", "inspector").get(pk=receipt.pk)
    refuse(rules.can_accept(actor, receipt))
    errors: dict = {}
    today = today or timezone.localdate()
    day = clean_past_date(accepted_on, "accepted_on", errors, today=today, required=False) or (
        None if "accepted_on" in errors else today)
    if day is not None and day < receipt.delivered_on:
        errors["accepted_on"] = _("Not before the delivery (%(d)s).") % {"d": receipt.delivered_on.isoformat()}
    clean = _split(receipt, lines, errors)
    if errors:
        raise Invalid(fields=errors)
    for row in clean:
        ReceiptLine.objects.filter(pk=row["line"].pk).update(accepted=row["accepted"], rejected=row["rejected"],
                                                           note=row["note"])
    any_accepted = any(row["accepted"] > 0 for row in clean)
    action = "accept" if any_accepted else "reject"
    receipt = transition(receipt, actor=actor, action=action, transitions=rules.TRANSITIONS,
                         extra={"accepted_on": day} if any_accepted else None,
                         changes={"lines": [None, [f"{r['line'].order_line.item} +{selectors.plain(r['accepted'])} "
                                                   f"−{selectors.plain(r['rejected'])}" for r in clean]]})
    order = receipt.order
    hooks.accepted(receipt=receipt)
    if any_accepted:
        order_services.check_completed(order, actor=actor)
        _close_requests(actor, order)
    owner = order.owner
    publish(f"receipt.{'accepted' if any_accepted else 'rejected'}", subject=receipt, data=payload(receipt),
            notify=[owner] if owner.pk != actor.pk else [],
            text=(_("Delivery %(n)s of order %(o)s accepted") if any_accepted
                  else _("Delivery %(n)s of order %(o)s rejected")) % {"n": receipt.number, "o": order.number},
            url=receipt_url(receipt))
    return receipt


def _close_requests(actor, order) -> None:
    """Close the purchase requests behind the order whose every line is now accepted (over all their orders)."""
    requests = order.lines.filter(request_line__isnull=False).values("request_line__request")
    rows = (ReceiptLine.objects.filter(receipt__status=ReceiptStatus.ACCEPTED,
                                       order_line__request_line__request__in=requests)
            .values("order_line__request_line").annotate(s=Sum("accepted")))
    accepted = {r["order_line__request_line"]: r["s"] for r in rows}
    if accepted:
        procurement_services.requests_fulfilled(actor=actor, accepted=accepted)


@transaction.atomic
def receipt_cancel(*, actor, receipt: Receipt, reason: str) -> Receipt:
    PurchaseOrder.objects.select_for_update().filter(pk=receipt.order_id).first()
    receipt = Receipt.objects.select_related("order").get(pk=receipt.pk)
    refuse(rules.can_cancel(actor, receipt))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    was_accepted = receipt.status == ReceiptStatus.ACCEPTED
    receipt = transition(receipt, actor=actor, action="cancel", transitions=rules.TRANSITIONS, comment=reason,
                         extra={"status_reason": reason})
    if was_accepted:
        hooks.accepted(receipt=receipt)  # the order's accepted quantities changed: higher modules re-match
    publish("receipt.cancelled", subject=receipt, data=payload(receipt),
            notify=[u for u in dict.fromkeys([receipt.inspector, receipt.order.owner]) if u.pk != actor.pk],
            text=_("Delivery %(n)s cancelled: %(r)s") % {"n": receipt.number, "r": reason},
            url=receipt_url(receipt))
    return receipt


def payload(receipt: Receipt) -> dict:
    order = receipt.order
    return {"receipt": {
        "id": receipt.pk, "number": receipt.number, "status": receipt.status,
        "order": {"id": order.pk, "number": order.number},
        "delivered_on": receipt.delivered_on.isoformat(),
        "accepted_on": receipt.accepted_on.isoformat() if receipt.accepted_on else None,
        "inspector_id": receipt.inspector_id,
        "lines": [{"order_line_id": rl.order_line_id, "qty": str(rl.qty), "accepted": str(rl.accepted),
                   "rejected": str(rl.rejected)} for rl in receipt.lines.all()]}}


# --- what purchasing asks (connected in receivers.py) --------------------------------------------------------------

def figures(*, order) -> dict:
    """purchasing.hooks.figures: the accepted value (tax incl., at the order's prices) and quantities."""
    return {"received": selectors.received_value(order), "accepted_qty": selectors.accepted_qty(order)}


def order_incomplete(*, order) -> str | None:
    """purchasing.hooks.incomplete: not every line accepted in full yet."""
    if not selectors.fully_accepted(order):
        return _("Not every line is accepted in full yet.")
    return None


def order_cancel_refusal(*, order) -> str | None:
    """purchasing.hooks.cancel_refusal: anything delivered (waiting for inspection or accepted)."""
    live = Receipt.objects.filter(order=order).exclude(status__in=(ReceiptStatus.CANCELLED, ReceiptStatus.REJECTED))
    if live.filter(status=ReceiptStatus.ACCEPTED).exists():
        return _("Goods were received on this order.")
    if live.exists():
        return _("A delivery on this order waits for its inspection.")
    return None
