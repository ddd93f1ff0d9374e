"""Writing workbooks: the filtered opportunity list, and the import template."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from opsmon.codes.selectors import label_map
from opsmon.core import xlsx
from opsmon.customers import credit_code as ucc

from .. import selectors
from ..choices import OpportunityStatus
from .columns import BY_KEY, CODE_COLUMNS, IMPORT_COLUMNS, CodeLookup, is_chinese

XLSX_CONTENT_TYPE = xlsx.CONTENT_TYPE
AMOUNT_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
CHUNK = 2000

EXPORT_ORDER = ("number", "title", "customer", "credit_code", "customer_type", "estimated_amount", "currency",
                "expected_close_date", "source", "industry", "region", "stage", "probability", "status", "owner",
                "department", "created_at", "description")
# The database fields behind EXPORT_ORDER, read with values_list so no model is built per row.
_FIELDS = ("number", "title", "customer__name", "customer__credit_code", "customer__customer_type",
           "estimated_amount", "currency", "expected_close_date", "source", "industry", "region", "stage",
           "probability", "status", "owner__display_name", "department__name", "created_at", "description",
           "owner__username")
_LABELLED = ("customer_type", "currency", "opportunity_source", "industry", "region", "opportunity_stage")


def sheet_titles() -> tuple[str, str]:
    return ("商机", "说明") if is_chinese() else ("Opportunities", "Instructions")


def _styled(ws, number_format: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws)
    cell.number_format = number_format
    return cell


def export_xlsx(*, actor, filters: selectors.OpportunityFilters | None = None, progress=None) -> bytes:
    """The opportunities `actor` sees through the list's `filters`, as an xlsx: amounts and dates as typed cells.
    `progress(rows)` hears the rows written every CHUNK rows (an export job's progress)."""
    filters = filters or selectors.OpportunityFilters()
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(sheet_titles()[0])
    columns = [BY_KEY[key] for key in EXPORT_ORDER]
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.font = bold
        header.append(cell)
    xlsx.append(ws, header)

    # One styled prototype; its StyleArray is shared by every amount cell.
    amount_style = _styled(ws, AMOUNT_FORMAT)._style
    labels = label_map(*_LABELLED)
    statuses = {value: str(label) for value, label in OpportunityStatus.choices}
    tz = timezone.get_current_timezone()

    def label(table: str, code: str):
        return labels.get((table, code), code) if code else None

    queryset = (selectors.opportunity_list(actor=actor, filters=filters).prefetch_related(None)
                .values_list(*_FIELDS))
    for written, (number, title, customer, credit_code, customer_type, amount, currency, close, source, industry,
                  region, stage, probability, status, owner_name, department, created_at, description, username) \
            in enumerate(queryset.iterator(chunk_size=CHUNK), start=1):
        if progress and written % CHUNK == 0:
            progress(written)
        amount_cell = WriteOnlyCell(ws, amount)
        amount_cell._style = amount_style
        # core.xlsx makes user text safe: formula-like text stays text, control characters are dropped
        xlsx.append(ws, [
            number, title or None, customer or None, credit_code or None, label("customer_type", customer_type),
            amount_cell, label("currency", currency),
            close,  # openpyxl gives a date its yyyy-mm-dd format itself
            label("opportunity_source", source), label("industry", industry), label("region", region),
            label("opportunity_stage", stage), probability, statuses.get(status, status),
            owner_name or username or None, department or None, created_at.astimezone(tz).date(),
            description or None,
        ])
    return xlsx.save(wb)


def _example_credit_code() -> str:
    first17 = "91110108MA0000000"
    return first17 + ucc.check_character(first17)


def template_xlsx() -> bytes:
    """The import template: the header row and one example row, then a sheet explaining every column."""
    lookup = CodeLookup()
    chinese = is_chinese()
    data_title, help_title = sheet_titles()
    wb = xlsx.workbook()
    ws = wb.active
    ws.title = data_title
    required_fill = PatternFill("solid", fgColor="FDE9D9")
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        cell = xlsx.put(ws, 1, index, column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        if column.required:
            cell.fill = required_fill
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"

    def label(table: str, preferred: str = "") -> str:
        items = lookup.items.get(table) or []
        item = next((i for i in items if i.code == preferred), items[0] if items else None)
        if item is None:
            return ""
        return item.label_zh if chinese else item.label_en

    example = {
        "title": _("Smart operations platform (example)"),
        "customer": _("Example Technology Co., Ltd."),
        "credit_code": _example_credit_code(),
        "customer_type": label("customer_type", "private"),
        "estimated_amount": 1250000,
        "currency": label("currency", "CNY"),
        "expected_close_date": timezone.localdate() + timedelta(days=90),
        "source": label("opportunity_source"),
        "industry": label("industry"),
        "region": label("region"),
        "stage": label("opportunity_stage"),
        "description": _("Delete this example row before importing your own rows."),
    }
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        cell = xlsx.put(ws, 2, index, example[column.key] or None)
        if column.key == "estimated_amount":
            cell.number_format = AMOUNT_FORMAT
        elif column.key == "expected_close_date":
            cell.number_format = DATE_FORMAT

    help_ws = wb.create_sheet(help_title)
    ranges = _write_help(help_ws, lookup, chinese)
    _add_dropdowns(ws, help_ws.title, ranges)
    return xlsx.save(wb)


def _write_help(ws, lookup: CodeLookup, chinese: bool) -> dict[str, tuple[int, int, str]]:
    """Explain the columns, then list each code table; answers where each table's labels are."""
    bold = Font(bold=True)
    xlsx.append(ws, [_("Column (Chinese)"), _("Column (English)"), _("Required"), _("Explanation")])
    for cell in ws[1]:
        cell.font = bold
    for column in IMPORT_COLUMNS:
        explanation = str(column.help)
        if column.table:
            explanation = (explanation + " " if explanation else "") + _(
                "Give the code, the Chinese label or the English label (listed below).")
        xlsx.append(ws, [column.zh, column.en, _("yes") if column.required else "", explanation])
    ws.append([])
    xlsx.append(ws, [_("The first row holds the column names, in Chinese or in English; every other row is one "
                 "opportunity. The import is all-or-nothing: when any row has an error nothing is saved and "
                 "every error is listed with its row and column.")])
    xlsx.append(ws, [_("The owner of the imported opportunities is the person importing, in his department.")])
    ranges = {}
    for column in CODE_COLUMNS:
        ws.append([])
        xlsx.append(ws, [f"{column.zh} / {column.en}"])
        ws.cell(row=ws.max_row, column=1).font = bold
        xlsx.append(ws, [_("Code"), _("Chinese label"), _("English label")])
        first = ws.max_row + 1
        for item in lookup.items.get(column.table, []):
            xlsx.append(ws, [item.code, item.label_zh, item.label_en])
        ranges[column.key] = (first, ws.max_row, "B" if chinese else "C")
    for letter, width in (("A", 26), ("B", 26), ("C", 26), ("D", 90)):
        ws.column_dimensions[letter].width = width
    return ranges


def _add_dropdowns(ws, help_title: str, ranges: dict[str, tuple[int, int, str]]) -> None:
    """Offer each code column's labels as a drop-down; other spellings (codes, the other language) stay allowed."""
    for index, column in enumerate(IMPORT_COLUMNS, start=1):
        first, last, letter = ranges.get(column.key, (1, 0, ""))
        if last < first:
            continue
        validation = DataValidation(type="list", formula1=f"'{help_title}'!${letter}${first}:${letter}${last}",
                                    allow_blank=True, showErrorMessage=False)
        ws.add_data_validation(validation)
        col = get_column_letter(index)
        validation.add(f"{col}2:{col}10001")
