"""Supplier evaluations (供应商评价): PROCUREMENT.md "SupplierEvaluation", one per purchase order before it closes.

- on_time = lines accepted in full by their promised date (a line without one: accepted in full at all) ÷ lines,
  × 100 (lines whose whole quantity was dropped do not count);
- quality = accepted ÷ delivered quantity of the inspected deliveries, × 100;
- price, service: 0–100 by the purchaser;
- score = Σ weight × measure ÷ 100 (weights from the procurement settings, 40/30/20/10 by default), 2 places;
- grade A ≥ 85, B ≥ 70, C ≥ 50, else D; the supplier's grade is its latest evaluation's; a second D in a row asks
  the procurement heads to consider suspending the supplier (notified)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.events import notify
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_texts
from opsmon.procurement.models import ProcurementSettings
from opsmon.purchasing.models import PurchaseOrder
from opsmon.receiving import selectors as receipts
from opsmon.suppliers.models import Supplier

from . import rules, selectors
from .models import SupplierEvaluation

HUNDRED = Decimal("100")
CENT = Decimal("0.01")
GRADES = ((Decimal("85"), "A"), (Decimal("70"), "B"), (Decimal("50"), "C"))


def order_url(order) -> str:
    return f"/procurement/orders/{order.pk}/#evaluation"


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part * HUNDRED / whole).quantize(CENT, rounding=ROUND_HALF_UP) if whole else Decimal("0.00")


def measures(order) -> dict:
    """{"on_time", "quality", "delivered"} of the order from its receipts (see the module's docstring)."""
    lines = [line for line in order.lines.all() if receipts.ordered(line) > 0]
    on_time = 0
    accepted_total = receipts.accepted_qty(order)
    for line in lines:
        if line.promised_on is None:
            done = accepted_total.get(line.pk, 0) >= receipts.ordered(line)
        else:
            done = receipts.accepted_by(order, line, line.promised_on) >= receipts.ordered(line)
        on_time += 1 if done else 0
    accepted, delivered = receipts.delivered_qty(order)
    return {"on_time": _pct(Decimal(on_time), Decimal(len(lines))), "quality": _pct(accepted, delivered),
            "delivered": delivered}


def grade_of(score: Decimal) -> str:
    return next((grade for bound, grade in GRADES if score >= bound), "D")


def score_of(values: dict, weights: ProcurementSettings) -> Decimal:
    total = (weights.weight_quality * values["quality"] + weights.weight_on_time * values["on_time"]
             + weights.weight_price * values["price"] + weights.weight_service * values["service"])
    return (total / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def _mark(value, field: str, errors: dict) -> Decimal | None:
    """A mark 0–100 with at most 2 decimals."""
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    if isinstance(value, float):
        value = repr(value)
    raw = str(value).strip()
    try:
        number = Decimal(raw) if raw.replace(".", "", 1).isdigit() and raw.isascii() else None
    except InvalidOperation:
        number = None
    if number is None:
        errors[field] = _("not a number")
    elif -number.as_tuple().exponent > 2:
        errors[field] = _("At most %(n)s decimal places.") % {"n": 2}
    elif number > HUNDRED:
        errors[field] = _("Between %(low)s and %(high)s.") % {"low": 0, "high": 100}
    else:
        return number
    return None


@transaction.atomic
def evaluation_save(*, actor, order, price, service, comment: str = "") -> SupplierEvaluation:
    """Write (or replace) the evaluation of the order's supplier; the supplier's grade follows it."""
    order = PurchaseOrder.objects.select_for_update().select_related("supplier").get(pk=order.pk)
    refuse(rules.can_evaluate(actor, order))
    errors: dict = {}
    marks = {"price": _mark(price, "price", errors), "service": _mark(service, "service", errors)}
    texts = clean_texts({"comment": comment}, {"comment": 500}, errors)
    if errors:
        raise Invalid(fields=errors)
    found = measures(order)
    if not found["delivered"]:
        raise Conflict(_("Nothing of this order was inspected yet: evaluate after the first inspection."),
                       code="nothing_delivered")
    values = {"on_time": found["on_time"], "quality": found["quality"], **marks}
    score = score_of(values, ProcurementSettings.load())
    grade = grade_of(score)
    fields = {**values, "score": score, "grade": grade, "comment": texts["comment"]}
    current = SupplierEvaluation.objects.filter(order=order).first()
    if current is None:
        evaluation = SupplierEvaluation.objects.create(order=order, supplier=order.supplier, created_by=actor,
                                                       **fields)
        changes = {k: [None, str(v)] for k, v in fields.items()}
    else:
        changes = {k: [str(getattr(current, k)), str(v)] for k, v in fields.items()
                   if str(getattr(current, k)) != str(v)}
        SupplierEvaluation.objects.filter(pk=current.pk).update(**fields, created_by=actor, updated_at=timezone.now())
        evaluation = SupplierEvaluation.objects.get(pk=current.pk)
    timeline.record(evaluation, actor=actor, action="supplierevaluation.saved", changes=changes)
    timeline.record(order, actor=actor, action="purchaseorder.evaluated",
                    comment=f"{grade} {score}", changes={"grade": changes.get("grade", [grade, grade])})
    supplier = order.supplier
    Supplier.objects.filter(pk=supplier.pk).update(grade=grade)  # the latest evaluation's
    previous = selectors.previous_of(evaluation)
    if grade == "D" and previous is not None and previous.grade == "D":
        heads = User.objects.filter(is_active=True, groups__name=Role.PROCUREMENT_HEAD).distinct()
        notify(heads, text=_("Supplier %(s)s was graded D twice in a row (order %(o)s): consider suspending it.")
               % {"s": supplier.name, "o": order.number}, url=f"/suppliers/{supplier.pk}/",
               kind="supplierevaluation.two_d")
    return evaluation


def close_refusal(*, order) -> str | None:
    """purchasing.hooks.close_refusal: an order closes only once its supplier is evaluated."""
    if not SupplierEvaluation.objects.filter(order=order).exists():
        return _("The supplier of this order is not evaluated yet.")
    return None
