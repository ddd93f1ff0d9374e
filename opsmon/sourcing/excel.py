"""The comparison (比价表) of a sourcing as .xlsx, written through core.xlsx (formula-like text stays text, no
formulas): one row per line, per supplier its unit price (tax incl.), tax rate and amount; the lowest valid price of
each line filled green; a row of quotation totals, validity and delivery days."""

from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill

from opsmon.codes.selectors import label_map
from opsmon.core import xlsx

from . import selectors
from .models import Sourcing

LOWEST = PatternFill("solid", fgColor="C6EFCE")
BOLD = Font(bold=True)


def _number(value: Decimal | None):
    return value


def comparison_xlsx(sourcing: Sourcing) -> bytes:
    table = selectors.comparison(sourcing)
    units = label_map("unit")
    wb = xlsx.workbook()
    ws = wb.active
    ws.title = str(_("Comparison"))[:31]
    xlsx.put(ws, 1, 1, f"{sourcing.number} {sourcing.title}").font = BOLD
    xlsx.put(ws, 2, 1, _("Lowest valid price (tax incl.) on %(d)s: filled green.") % {"d": table["day"].isoformat()})
    head = [_("Item"), _("Specification"), _("Unit"), _("Quantity")]
    row = 4
    for col, text in enumerate(head, start=1):
        xlsx.put(ws, row, col, str(text)).font = BOLD
    col = len(head) + 1
    for supplier in table["suppliers"]:
        for k, text in enumerate((_("Unit price (tax incl.)"), _("Tax rate (%)"), _("Amount"))):
            xlsx.put(ws, row - 1, col + k, supplier.name if k == 0 else "").font = BOLD
            xlsx.put(ws, row, col + k, str(text)).font = BOLD
        col += 3
    for r in table["rows"]:
        row += 1
        line = r["line"].request_line
        for c, v in enumerate((line.item, line.spec, units.get(("unit", line.unit), line.unit),
                               _number(r["line"].qty)), start=1):
            xlsx.put(ws, row, c, v)
        col = len(head) + 1
        for cell in r["cells"]:
            ql = cell["line"]
            if ql is not None:
                price = xlsx.put(ws, row, col, _number(ql.unit_price))
                xlsx.put(ws, row, col + 1, _number(ql.tax_rate))
                xlsx.put(ws, row, col + 2, _number(ql.amount))
                if cell["lowest"]:
                    price.fill = LOWEST
                if not cell["valid"]:
                    xlsx.put(ws, row, col + 2, _number(ql.amount)).font = Font(strike=True)
            col += 3
    row += 2
    col = len(head) + 1
    xlsx.put(ws, row, 1, str(_("Total (tax incl.)"))).font = BOLD
    xlsx.put(ws, row + 1, 1, str(_("Valid until")))
    xlsx.put(ws, row + 2, 1, str(_("Delivery days")))
    for supplier in table["suppliers"]:
        q = table["quotations"].get(supplier.pk)
        if q is not None:
            xlsx.put(ws, row, col + 2, _number(q.total))
            xlsx.put(ws, row + 1, col + 2, q.valid_until.isoformat())
            xlsx.put(ws, row + 2, col + 2, q.delivery_days)
        else:
            xlsx.put(ws, row, col + 2, str(_("No quotation")))
        col += 3
    return xlsx.save(wb)
