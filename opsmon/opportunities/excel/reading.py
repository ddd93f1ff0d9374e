"""Reading an opportunity workbook: the header check and every row checked in memory, errors collected."""

import logging
import re
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from opsmon.core import text as core_text
from opsmon.core.errors import Invalid, TooLarge
from opsmon.core.files import sniff
from opsmon.core.money import parse_amount
from opsmon.customers import credit_code as ucc
from opsmon.customers.names import name_key

from ..services import TEXT_LIMITS
from .columns import HEADER_LOOKUP, IMPORT_COLUMNS, CodeLookup, header_key

log = logging.getLogger("opsmon.opportunities.import")
MAX_ROWS = 100_000
MAX_REPORTED_ERRORS = 1_000
PROGRESS_EVERY = 500
CUSTOMER_NAME_LIMIT = 200
# 2026-05-01, 2026/5/1, 2026.5.1, 2026年5月1日, optionally with a midnight time
_DATE_PATTERN = re.compile(
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*(?:[ T]00:00(?::00)?)?\s*$")
_ORDER = {c.key: i for i, c in enumerate(IMPORT_COLUMNS)}
_KEYS = tuple(c.key for c in IMPORT_COLUMNS)


class ImportRefused(Invalid):
    """The file was refused; `rows` lists every problem as {row, column, message} (row 1 is the header)."""

    default_code = "import_refused"

    def __init__(self, message, *, rows=(), fields=None, total_errors: int | None = None):
        super().__init__(message, fields=fields or {"file": [str(message)]})
        self.rows = list(rows)
        self.total_errors = total_errors if total_errors is not None else len(self.rows)

    def as_dict(self) -> dict:
        return {**super().as_dict(), "rows": self.rows}


@dataclass(slots=True)
class ParsedRow:
    """One valid-looking row; `customer` is resolved against the database afterwards."""

    row: int
    title: str
    customer_name: str
    customer_key: str
    credit_code: str
    customer_type: str
    estimated_amount: Decimal
    currency: str
    expected_close_date: date
    source: str
    industry: str
    region: str
    stage: str
    probability: int
    description: str
    customer: object = None


class Errors:
    """Collects {row, column, message}; keeps the first MAX_REPORTED_ERRORS, counts them all."""

    def __init__(self, headers: dict[str, str]):
        self.headers = headers  # column key -> the header as written in the file
        self.items: list[tuple[int, int, str, str]] = []
        self.count = 0

    def add(self, row: int, key: str, message) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED_ERRORS:
            self.items.append((row, _ORDER.get(key, -1), self.headers.get(key, key), str(message)))

    def __bool__(self) -> bool:
        return self.count > 0

    def rows(self) -> list[dict]:
        """The errors kept so far, in row and column order."""
        return [{"row": r, "column": c, "message": m} for r, _i, c, m in sorted(self.items, key=lambda e: e[:2])]

    def refusal(self) -> ImportRefused:
        rows = self.rows()
        message = ngettext("The file has %(n)d error; nothing was imported.",
                           "The file has %(n)d errors; nothing was imported.", self.count) % {"n": self.count}
        if self.count > len(rows):
            message += " " + _("The first %(shown)d are listed.") % {"shown": len(rows)}
        return ImportRefused(message, rows=rows, total_errors=self.count)


def not_xlsx_message() -> str:
    return _("The file is not an Excel workbook (.xlsx).")


def unreadable_message() -> str:
    return _("This file is not a readable Excel workbook (.xlsx): it is damaged or incomplete; save it again in "
             "Excel.")


def _refused(message: str) -> ImportRefused:
    return ImportRefused(message, rows=[{"row": 0, "column": "", "message": message}])


def open_workbook(fileobj):
    """The workbook in read-only mode, or a refusal when the bytes are not an xlsx openpyxl can read. A zip that
    expands past core.files' limits (size, ratio, entries) is refused before anything is unpacked."""
    try:
        kind = sniff(fileobj, "upload.xlsx")
    except Invalid as exc:
        raise _refused(unreadable_message() if exc.code == "bad_file" else str(exc.message)) from None
    if kind != "xlsx":
        raise _refused(not_xlsx_message())
    try:
        return load_workbook(fileobj, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file; each means "cannot read it"
        raise _refused(unreadable_message()) from exc


class TooBigForRequest(TooLarge):
    """The synchronous import's row or time limit (issue 21): 413, telling the user to import it as a job."""

    default_code = "import_too_large"

    def __init__(self, message):
        message = f"{message} " + _("Import it from the opportunity import page, which runs it in the background.")
        super().__init__(message, fields={"file": [message]})


def map_header(header) -> tuple[dict[int, str], dict[str, str]]:
    """({cell index: column key}, {column key: header as written}); unknown, repeated or missing
    required columns refuse the file."""
    problems, positions, written = [], {}, {}
    for index, cell in enumerate(header or ()):
        text = str(cell if cell is not None else "").strip()[:100]
        if not text:
            continue
        column = HEADER_LOOKUP.get(header_key(text))
        if column is None:
            problems.append({"row": 1, "column": text, "message": _("Unknown column “%(name)s”.") % {"name": text}})
        elif column.key in written:
            problems.append({"row": 1, "column": text,
                             "message": _("The column “%(name)s” appears twice.") % {"name": text}})
        else:
            positions[index] = column.key
            written[column.key] = text
    missing = [c for c in IMPORT_COLUMNS if c.required and c.key not in written]
    for column in missing:
        problems.append({"row": 1, "column": f"{column.zh} / {column.en}",
                         "message": _("The required column “%(name)s” is missing.") % {"name": column.header}})
    if problems:
        raise ImportRefused(
            _("The header row does not match the template; no row was read.") + " "
            + " ".join(p["message"] for p in problems),
            rows=problems, fields={"columns": [p["message"] for p in problems]},
        )
    return positions, written


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    return str(value).strip()


def _date(value) -> date | None:
    """A date cell, or text like 2026-05-01, 2026/5/1, 2026年5月1日; None when it is none of these."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_PATTERN.match(str(value)) if isinstance(value, str) else None
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


class RowReader:
    """Checks one row at a time with the rules of services.clean_fields, against prefetched code tables."""

    def __init__(self, positions: dict[int, str], errors: Errors):
        # Each column key reads one cell index; a column the file lacks reads the padding None at the end.
        self.width = max(positions, default=-1) + 2
        found = {key: index for index, key in positions.items()}
        self.index = tuple(found.get(c.key, self.width - 1) for c in IMPORT_COLUMNS)
        self.errors = errors
        self.codes = CodeLookup()
        self.code_cache: dict[tuple, str | None] = {}  # the same few values repeat on every row
        self.today = timezone.localdate()
        stage = self.codes.find("opportunity_stage", "discovery") or next(
            iter(self.codes.items["opportunity_stage"]), None)
        self.default_stage = (stage.code, stage.probability or 0) if stage else None
        self.probability = {i.code: i.probability or 0 for i in self.codes.items["opportunity_stage"]}
        self.required = _("This field is required.")
        self.too_long = {n: _("At most %(n)s characters.") % {"n": n} for n in (*TEXT_LIMITS.values(),
                                                                                  CUSTOMER_NAME_LIMIT)}

    def _code(self, row: int, key: str, table: str, value, default: str = "") -> str | None:
        cache_key = (table, type(value), value)
        code = self.code_cache.get(cache_key, False)
        if code is False:
            text = _text(value)
            item = self.codes.find(table, text) if text else None
            code = self.code_cache[cache_key] = item.code if item else ("" if not text else None)
        if code is None:
            self.errors.add(row, key, _("unknown or inactive code “%(code)s”") % {"code": _text(value)[:50]})
            return None
        return code or default

    def _checked(self, row: int, key: str, value: str) -> str:
        """Text as every input takes it (core.text: NFC; control, bidi or only invisible characters refused)."""
        if value.isascii() and value.isprintable():
            return value
        try:
            return core_text.clean(value)
        except ValueError as exc:
            self.errors.add(row, key, exc)
            return value

    def read(self, row: int, values: tuple) -> ParsedRow | None:
        known = self.width - 1  # cells that can hold a known column; one None after them stands for the rest
        values = (*values[:known], *((None,) * (known - min(len(values), known) + 1)))
        cells = dict(zip(_KEYS, (values[i] for i in self.index), strict=True))
        errors, before = self.errors, self.errors.count

        title = self._checked(row, "title", _text(cells["title"]))
        if not title:
            errors.add(row, "title", self.required)
        elif len(title) > TEXT_LIMITS["title"]:
            errors.add(row, "title", self.too_long[TEXT_LIMITS["title"]])
        description = self._checked(row, "description", _text(cells["description"]))
        if len(description) > TEXT_LIMITS["description"]:
            errors.add(row, "description", self.too_long[TEXT_LIMITS["description"]])
        customer_name = self._checked(row, "customer", _text(cells["customer"]))
        key = name_key(customer_name)
        if not key:
            errors.add(row, "customer", self.required)
        elif len(customer_name) > CUSTOMER_NAME_LIMIT:
            errors.add(row, "customer", self.too_long[CUSTOMER_NAME_LIMIT])
        credit_code = ucc.normalise(_text(cells["credit_code"]))
        if credit_code and not ucc.is_valid(credit_code):
            errors.add(row, "credit_code", _("Not a valid unified social credit code (check the 18 characters)."))

        amount = None
        raw = cells["estimated_amount"]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.add(row, "estimated_amount", self.required)
        elif isinstance(raw, bool | datetime | date):
            errors.add(row, "estimated_amount", _("not a number"))
        else:
            try:
                amount = parse_amount(raw)
            except ValueError as exc:
                errors.add(row, "estimated_amount", exc)

        close = None
        raw = cells["expected_close_date"]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            errors.add(row, "expected_close_date", self.required)
        else:
            close = _date(raw)
            if close is None:
                errors.add(row, "expected_close_date", _("Not a valid date (YYYY-MM-DD)."))
            elif close < self.today:
                errors.add(row, "expected_close_date",
                           _("The expected close date cannot be before the opportunity was created."))

        customer_type = self._code(row, "customer_type", "customer_type", cells["customer_type"], "other")
        currency = self._code(row, "currency", "currency", cells["currency"], "CNY")
        source = self._code(row, "source", "opportunity_source", cells["source"])
        industry = self._code(row, "industry", "industry", cells["industry"])
        region = self._code(row, "region", "region", cells["region"])
        stage, probability = None, 0
        if _text(cells["stage"]):
            stage = self._code(row, "stage", "opportunity_stage", cells["stage"])
            if stage is not None:
                probability = self.probability[stage]
        elif self.default_stage is None:
            errors.add(row, "stage", self.required)
        else:
            stage, probability = self.default_stage

        if errors.count != before:
            return None
        return ParsedRow(row, title, customer_name, key, credit_code, customer_type, amount, currency, close,
                         source, industry, region, stage, probability, description)


def _row_estimate(sheet) -> int:
    """Data rows for the progress bar: the sheet's recorded size, else a count of its <row> elements."""
    if sheet.max_row:
        return max(sheet.max_row - 1, 0)
    count, tail = 0, b""
    try:
        with sheet._get_source() as xml:  # a sheet written without <dimension> (openpyxl's write-only mode)
            while chunk := xml.read(1 << 20):
                data = tail + chunk
                count += data.count(b"<row") + data.count(b":row ")
                tail = data[-5:]
                count -= tail.count(b"<row") + tail.count(b":row ")  # counted again with the next chunk
    except Exception:  # only an estimate; the reading itself reports a damaged file
        return 0
    return max(count - 1, 0)


def _too_many_columns(limit: int) -> ImportRefused:
    message = _("The sheet has more than %(n)s columns; keep only the template's columns.") % {"n": limit}
    return ImportRefused(message, rows=[{"row": 1, "column": "", "message": message}])


def _sync_rows_refusal(limit: int) -> TooBigForRequest:
    return TooBigForRequest(_("The file has more than %(n)s rows, too many to import within one request.")
                            % {"n": f"{limit:,}"})


def read_rows(fileobj, *, progress=None, max_rows: int | None = None, max_seconds: float | None = None,
              on_errors=None) -> tuple[list[ParsedRow], Errors]:
    """Every non-empty row of the first sheet, checked; header problems refuse before any row is read.

    `max_rows` and `max_seconds` bound a synchronous import (TooBigForRequest, 413); without them the job's limit
    MAX_ROWS applies. A sheet wider than IMPORT_MAX_COLUMNS is refused, and a file damaged anywhere (a bad CRC, a
    truncated part) is the 422 "not a readable Excel workbook", never a crash. `on_errors(rows)` hears the errors
    found so far whenever there are new ones at a progress point (a job shows them while it runs)."""
    workbook = open_workbook(fileobj)
    max_columns = settings.IMPORT_MAX_COLUMNS
    deadline = time.monotonic() + max_seconds if max_seconds else None
    try:
        sheet = workbook.worksheets[0]
        if (sheet.max_column or 0) > max_columns:
            raise _too_many_columns(max_columns)
        total = _row_estimate(sheet)
        if max_rows is not None and total > max_rows:
            raise _sync_rows_refusal(max_rows)  # the sheet says so itself: refused before reading a row
        rows = sheet.iter_rows(values_only=True, max_col=max_columns + 1)
        header = next(rows, None)
        if header is not None and len(header) > max_columns and any(v is not None for v in header[max_columns:]):
            raise _too_many_columns(max_columns)
        positions, written = map_header(header)
        errors = Errors(written)
        reader = RowReader(positions, errors)
        parsed, count, reported = [], 0, 0
        for number, values in enumerate(rows, start=2):
            if not any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
                continue
            count += 1
            if max_rows is not None and count > max_rows:
                raise _sync_rows_refusal(max_rows)
            if count > MAX_ROWS:
                raise ImportRefused(_("The file has more than %(n)s rows; split it into smaller files.")
                                    % {"n": f"{MAX_ROWS:,}"},
                                    rows=[{"row": number, "column": "", "message": _("too many rows")}])
            row = reader.read(number, values)
            if row is not None:
                parsed.append(row)
            if count % PROGRESS_EVERY == 0:
                if progress:
                    progress("validating", count, max(total, count))
                if on_errors and errors.count != reported:
                    reported = errors.count
                    on_errors(errors.rows())
                if deadline is not None and time.monotonic() > deadline:
                    raise TooBigForRequest(_("Reading the file takes longer than %(n)s seconds.")
                                           % {"n": f"{max_seconds:g}"})
    except (ImportRefused, TooLarge):
        raise
    except Exception as exc:  # a bad CRC or a truncated part shows only while the rows are read
        log.warning("unreadable workbook: %s: %s", type(exc).__name__, exc)
        raise _refused(unreadable_message()) from exc
    finally:
        workbook.close()
    if count == 0:
        raise ImportRefused(_("The file has no rows to import."),
                            rows=[{"row": 2, "column": "", "message": _("no rows")}])
    if progress:
        progress("validating", count, count)
    return parsed, errors
