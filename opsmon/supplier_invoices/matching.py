"""The three-way match (三单匹配) of an invoice's lines against the purchase order (price, tax rate) and the
receipts (accepted quantity). PROCUREMENT.md "SupplierInvoice":

- quantity: the cumulative invoiced quantity on the order line (live invoices up to and including this line: the
  invoices recorded before this one, then this one's lines in order) ≤ accepted × (1 + match_qty_pct / 100);
- tax rate: the order line's;
- amount: |amount − expected| ≤ max(match_amount_pct % × expected, match_amount_abs), expected =
  round-half-up(qty × the order line's unit price, 2).

Each line answers matched or the reasons it does not (stored in `line.mismatch`, shown to the user)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from opsmon.procurement.models import ProcurementSettings

from .models import SupplierInvoice, SupplierInvoiceLine
from .rules import LIVE
from .selectors import accepted_qty

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
MISMATCH_LIMIT = 300


def expected_amount(qty: Decimal, unit_price: Decimal) -> Decimal:
    return (qty * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def tolerance(expected: Decimal, settings: ProcurementSettings) -> Decimal:
    pct = (abs(expected) * settings.match_amount_pct / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)
    return max(pct, settings.match_amount_abs)


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


@dataclass(frozen=True)
class LineResult:
    expected: Decimal
    reasons: tuple[str, ...]

    @property
    def matched(self) -> bool:
        return not self.reasons

    @property
    def text(self) -> str:
        joined = "；".join(self.reasons)
        return joined if len(joined) <= MISMATCH_LIMIT else joined[:MISMATCH_LIMIT - 1] + "…"


def _before(line: SupplierInvoiceLine) -> Decimal:
    """Quantity invoiced on the line's order line before it: live invoices recorded earlier, and this invoice's
    earlier lines."""
    earlier = (SupplierInvoiceLine.objects.filter(order_line=line.order_line_id, invoice__status__in=LIVE)
               .filter(Q(invoice_id__lt=line.invoice_id) | Q(invoice_id=line.invoice_id, id__lt=line.pk)))
    return earlier.aggregate(s=Sum("qty"))["s"] or Decimal("0")


def match_line(line: SupplierInvoiceLine, *, accepted: Decimal, settings: ProcurementSettings) -> LineResult:
    order_line = line.order_line
    reasons = []
    cumulative = _before(line) + line.qty
    limit = accepted * (1 + settings.match_qty_pct / HUNDRED)
    if cumulative > limit:
        reasons.append(_("Invoiced quantity %(invoiced)s exceeds the accepted %(accepted)s.")
                       % {"invoiced": _qty(cumulative), "accepted": _qty(accepted)})
    if line.tax_rate != order_line.tax_rate:
        reasons.append(_("Tax rate %(rate)s%% differs from the order's %(order)s%%.")
                       % {"rate": _qty(line.tax_rate), "order": _qty(order_line.tax_rate)})
    expected = expected_amount(line.qty, order_line.unit_price)
    if abs(line.amount - expected) > tolerance(expected, settings):
        reasons.append(_("Amount %(amount)s differs from the expected %(expected)s (quantity × order price).")
                       % {"amount": f"{line.amount:.2f}", "expected": f"{expected:.2f}"})
    return LineResult(expected=expected, reasons=tuple(reasons))


def match_invoice(invoice: SupplierInvoice) -> bool:
    """Match every line, store each line's result; answers whether all lines match."""
    settings = ProcurementSettings.load()
    lines = list(invoice.lines.select_related("order_line").order_by("id"))
    accepted = accepted_qty({line.order_line_id for line in lines})
    all_matched = True
    for line in lines:
        result = match_line(line, accepted=accepted.get(line.order_line_id, Decimal("0")), settings=settings)
        all_matched = all_matched and result.matched
        if (line.expected, line.matched, line.mismatch) != (result.expected, result.matched, result.text):
            SupplierInvoiceLine.objects.filter(pk=line.pk).update(expected=result.expected, matched=result.matched,
                                                                  mismatch=result.text)
    return all_matched
