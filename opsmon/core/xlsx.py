"""The one way the app writes an .xlsx (issue 21, items 1 and 2): list exports, dashboard exports, import templates.

Every value a module puts in a sheet goes through `value(ws, v)` (by `append`, `put`, or directly):

- text that a spreadsheet would read as a formula or a command (starting with = + - @, a tab or a carriage return)
  is written as a text cell with Excel's quote prefix: shown as typed, never evaluated, not even after the user
  edits the cell (formula injection, "CSV injection");
- control characters no .xlsx may hold are dropped (core.text.printable), so a record stored before input was
  checked still exports instead of crashing the workbook for everyone in scope;
- numbers, dates and styled cells pass unchanged (a styled cell's text is made safe in place).
"""

import io

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from .text import printable

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What makes a spreadsheet treat a text as a formula (=, +, -, @) or split it into another cell (tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def workbook(*, write_only: bool = False) -> Workbook:
    """A new workbook (write-only for long lists: constant memory, rows appended in order)."""
    return Workbook(write_only=write_only)


def _as_text(cell: Cell) -> Cell:
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def value(ws, v):
    """`v` made safe for `ws`: a text cell for formula-like text, control characters removed, others unchanged."""
    if isinstance(v, Cell):
        if isinstance(v.value, str):
            text = printable(v.value)
            v.value = text
            if text.startswith(FORMULA_START):
                _as_text(v)
        return v
    if isinstance(v, str):
        v = printable(v)
        if v.startswith(FORMULA_START):
            return _as_text(WriteOnlyCell(ws, v))
    return v


def append(ws, values) -> None:
    """Append one row of values (plain values or cells) to `ws`, each made safe by `value`."""
    ws.append([value(ws, v) for v in values])


def put(ws, row: int, column: int, v) -> Cell:
    """Set one cell of a normal (not write-only) sheet, made safe like `value`; answers the cell to style."""
    cell = ws.cell(row=row, column=column)
    if isinstance(v, str):
        v = printable(v)
        cell.value = v
        if v.startswith(FORMULA_START):
            _as_text(cell)
    else:
        cell.value = v
    return cell


def save(wb: Workbook) -> bytes:
    """The workbook's bytes."""
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
