"""The figures as an Excel workbook: one sheet per figure, the filters on top, amounts and dates as typed cells."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.styles import Font

from opsmon.core import xlsx

from .figures import FIGURES, compute
from .filters import Filters

AMOUNT_FORMAT = "#,##0.00"
SHEETS = tuple(FIGURES)  # every figure, in the dashboard's order
BOLD = Font(bold=True)


class Sheet:
    """Appends rows to a worksheet, typing money and dates (a Decimal becomes a number formatted as money)."""

    def __init__(self, ws):
        self.ws = ws

    def row(self, *values, bold: bool = False):
        xlsx.append(self.ws, [_cell(v) for v in values])  # formula-like text stays text, control chars dropped
        row = self.ws.max_row
        for column, value in enumerate(values, start=1):
            cell = self.ws.cell(row=row, column=column)
            if bold:
                cell.font = BOLD
            if hasattr(value, "quantize"):
                cell.number_format = AMOUNT_FORMAT
        return self

    def blank(self):
        self.ws.append([])
        return self

    def table(self, headers, rows):
        self.row(*headers, bold=True)
        for r in rows:
            self.row(*r)
        return self.blank()


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None)
    if hasattr(value, "quantize"):  # Decimal: a number, exact to the cent in the file
        return float(value)
    return value


def _title(ws, figure, filters: Filters, data: dict) -> Sheet:
    sheet = Sheet(ws)
    sheet.row(str(figure.title), bold=True)
    sheet.row(_("Period"), filters.date_from, filters.date_to)
    sheet.row(_("Department"), filters.department.name if filters.department else _("All I may see"))
    sheet.row(_("Currency"), filters.currency)
    return sheet.blank()


def _funnel(sheet: Sheet, data: dict):
    sheet.table([_("Stage"), _("Count"), _("Amount"), _("Rate from previous stage (%)"),
                 _("Rate from opportunities (%)")],
                [[s["label"], s["count"], s["amount"], s["rate"], s["rate_from_start"]] for s in data["stages"]])


def _win_rate(sheet: Sheet, data: dict):
    outcome = [_("Won"), _("Lost"), _("Abandoned"), _("Finished"), _("Win rate (%)")]
    t = data["total"]
    sheet.table([_("All bids"), *outcome], [["", t["won"], t["lost"], t["abandoned"], t["finished"], t["win_rate"]]])
    for name, rows in data["dimensions"].items():
        sheet.table([data["dimension_labels"][name], *outcome],
                    [[r["label"], r["won"], r["lost"], r["abandoned"], r["finished"], r["win_rate"]] for r in rows])
    sheet.table([_("Competitor"), _("Openings met"), _("We ranked above them"), _("Beat rate (%)"), _("They won"),
                 _("Average price gap (ours − theirs)"), _("Price gap (%)")],
                [[c["bidder"], c["met"], c["beaten"], c["beat_rate"], c["they_won"], c["average_gap"], c["gap_pct"]]
                 for c in data["competitors"]])


def _pipeline(sheet: Sheet, data: dict):
    stages = data["stages"]
    sheet.table([_("Expected close month"), _("Count"), _("Amount"), _("Weighted amount"),
                 *[s["label"] for s in stages]],
                [[m["month"], m["count"], m["amount"], m["weighted"],
                  *[m["stages"].get(s["code"]) for s in stages]] for m in data["months"]])
    t = data["total"]
    sheet.row(_("Total"), t["count"], t["amount"], t["weighted"], bold=True)


def _bonds(sheet: Sheet, data: dict):
    sheet.row(_("As of"), data["as_of"])
    sheet.blank()
    sheet.table([_("Kind"), _("Status"), _("Count"), _("Amount")],
                [[r["kind_label"], r["status_label"], r["count"], r["amount"]] for r in data["by_status"]])
    sheet.table([_("Money out, by kind"), _("Count"), _("Amount")],
                [*[[r["kind_label"], r["count"], r["amount"]] for r in data["money_out"]],
                 [_("Total"), sum(r["count"] for r in data["money_out"]), data["money_out_total"]]])
    overdue = data["overdue"]
    sheet.table([_("Days overdue"), _("Count"), _("Amount")],
                [*[[f"{b['from_days']}–{b['to_days']}" if b["to_days"] else f"≥ {b['from_days']}", b["count"],
                    b["amount"]] for b in overdue["buckets"]],
                 [_("Total"), overdue["count"], overdue["amount"]]])
    sheet.table([_("Bid"), _("Title"), _("Department"), _("Kind"), _("Amount"), _("Due back on"), _("Days overdue")],
                [[b["bid_number"], b["bid_title"], b["department"], b["kind_label"], b["amount"], b["due_on"],
                  b["age_days"]] for b in overdue["oldest"]])


def _deadlines(sheet: Sheet, data: dict):
    labels = data["kind_labels"]
    sheet.table([_("Date"), *labels.values()],
                [[d["date"], *[d[k] for k in labels]] for d in data["days"] if any(d[k] for k in labels)])
    sheet.table([_("Kind"), _("When"), _("Number"), _("Title"), _("Department"), _("Owner")],
                [[i["kind_label"], i["at"], i["number"], i["title"], i["department"], i["owner"]]
                 for i in data["items"]])


def _signed(sheet: Sheet, data: dict):
    sheet.table([_("Month"), _("Count"), _("Amount"), _("Same month a year earlier"), _("Count"), _("Amount")],
                [[m["month"], m["count"], m["amount"], m["last_month"], m["last_count"], m["last_amount"]]
                 for m in data["months"]])
    t = data["total"]
    sheet.row(_("Total"), t["count"], t["amount"], "", t["last_count"], t["last_amount"], bold=True)
    sheet.row(_("Change (%)"), t["change_pct"])


WRITERS = {"funnel": _funnel, "win-rate": _win_rate, "pipeline": _pipeline, "bonds": _bonds,
           "deadlines": _deadlines, "signed-by-month": _signed}


def workbook(*, actor, filters: dict[str, Filters]) -> bytes:
    """The workbook of the figures named in `filters` ({figure: its filters}), computed for `actor`."""
    wb = xlsx.workbook()
    wb.remove(wb.active)
    for name, figure_filters in filters.items():
        figure = FIGURES[name]
        data = compute(name, actor=actor, filters=figure_filters)
        ws = wb.create_sheet(str(figure.title)[:31])
        ws.column_dimensions["A"].width = 28
        for letter in "BCDEFGH":
            ws.column_dimensions[letter].width = 18
        WRITERS[name](_title(ws, figure, figure_filters, data), data)
    return xlsx.save(wb)
