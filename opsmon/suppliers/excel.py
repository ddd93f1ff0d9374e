"""The supplier list as .xlsx (core.xlsx) and the import of suppliers from one: at most MAX_ROWS rows, all or
nothing; in the page's request, or as a core.jobs job for the API (202, then GET /api/v1/jobs/{id}). The workbook
is opened as the opportunity import opens it (size, zip-bomb and type checks); every row is checked like a
registration (services._clean) and every problem is reported with its row and column."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from opsmon.codes.models import CodeItem
from opsmon.codes.selectors import label_map
from opsmon.core import jobs, xlsx
from opsmon.core.errors import ApplicationError
from opsmon.core.files import store_upload
from opsmon.core.models import Job
from opsmon.core.rules import refuse
from opsmon.opportunities.excel.reading import ImportRefused, open_workbook

from . import events, rules, selectors, services

MAX_ROWS = 1000
# key → header (the export writes these; the import also reads the other language's header)
COLUMNS = (
    ("number", gettext_lazy("Number"), "编号", "Number"),
    ("name", gettext_lazy("Name"), "名称", "Name"),
    ("credit_code", gettext_lazy("Unified social credit code"), "统一社会信用代码", "Unified social credit code"),
    ("categories", gettext_lazy("Categories"), "类别", "Categories"),
    ("is_sme", gettext_lazy("SME"), "中小企业", "SME"),
    ("contact", gettext_lazy("Contact person"), "联系人", "Contact person"),
    ("phone", gettext_lazy("Phone"), "电话", "Phone"),
    ("address", gettext_lazy("Address"), "地址", "Address"),
    ("status", gettext_lazy("Status"), "状态", "Status"),
)
IMPORTED = ("name", "credit_code", "categories", "is_sme", "contact", "phone", "address")
YES = {"是", "yes", "y", "true", "1", "✓"}
NO = {"否", "no", "n", "false", "0", ""}


def export_xlsx(*, actor, filters: selectors.SupplierFilters | None = None) -> bytes:
    filters = filters or selectors.SupplierFilters()
    labels = label_map("supplier_category")
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet(title=str(_("Suppliers"))[:31])
    xlsx.append(ws, [str(c[1]) for c in COLUMNS])
    for s in selectors.supplier_list(actor=actor, filters=filters).iterator(chunk_size=500):
        xlsx.append(ws, [s.number, s.name, s.credit_code,
                         "、".join(labels.get(("supplier_category", c), c) for c in s.category_codes),
                         _("Yes") if s.is_sme else _("No"), s.contact, s.phone, s.address,
                         str(s.get_status_display())])
    return xlsx.save(wb)


def _header_keys(header) -> dict[int, str]:
    known = {}
    for key, _label, zh, en in COLUMNS:
        for text in (zh, en, str(_label)):
            known[text.strip().lower()] = key
    return {i: known[str(h).strip().lower()] for i, h in enumerate(header)
            if h is not None and str(h).strip().lower() in known}


def _category_codes() -> dict[str, str]:
    """{label or code (lower case): code} of the active supplier categories."""
    out = {}
    for item in CodeItem.objects.filter(table__name="supplier_category", active=True):
        for name in (item.code, item.label_zh, item.label_en):
            out[name.strip().lower()] = item.code
    return out


def _refusal(problems: list[dict]) -> ImportRefused:
    message = ngettext("The file has %(n)d error; nothing was imported.",
                       "The file has %(n)d errors; nothing was imported.", len(problems)) % {"n": len(problems)}
    return ImportRefused(message, rows=problems)


def read_rows(fileobj) -> list[tuple[int, dict]]:
    """[(row number, cleaned basics)], or ImportRefused listing every problem (row 1 is the header)."""
    wb = open_workbook(fileobj)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None) or ()
    keys = _header_keys(header)
    headers = {k: str(header[i]) for i, k in keys.items()}
    missing = [str(c[1]) for c in COLUMNS if c[0] in ("name", "credit_code", "categories") and c[0] not in headers]
    if missing:
        message = _("Missing columns: %(names)s.") % {"names": ", ".join(missing)}
        raise ImportRefused(message, rows=[{"row": 1, "column": "", "message": message}])
    categories = _category_codes()
    problems, out, seen = [], [], {}
    for number, values in enumerate(rows, start=2):
        if all(v in (None, "") for v in values):
            continue
        if len(out) >= MAX_ROWS:
            message = _("At most %(n)d suppliers per file.") % {"n": MAX_ROWS}
            raise ImportRefused(message, rows=[{"row": number, "column": "", "message": message}])
        data = {k: ("" if values[i] is None else str(values[i]).strip()) for i, k in keys.items()
                if i < len(values) and k in IMPORTED}
        errors: dict = {}
        sme = data.pop("is_sme", "").lower()
        if sme not in YES | NO:
            errors["is_sme"] = _("Write 是 or 否 (yes or no).")
        data["is_sme"] = sme in YES
        names = [n.strip() for n in data.get("categories", "").replace("，", ",").replace("、", ",").split(",")
                 if n.strip()]
        data["categories"] = [categories.get(n.lower(), n) for n in names]
        clean = services.clean_basics(data, partial=False, errors=errors)
        code = clean.get("credit_code")
        if code and "credit_code" not in errors:
            if code in seen:
                errors["credit_code"] = _("The same credit code as row %(row)d.") % {"row": seen[code]}
            elif services.duplicate_of(code):
                errors["credit_code"] = _("A supplier with this credit code is already registered.")
            seen.setdefault(code, number)
        for field, message in errors.items():
            text = message[0] if isinstance(message, list) else message
            problems.append({"row": number, "column": headers.get(field, field), "message": str(text)})
        out.append((number, clean))
    if problems:
        raise _refusal(problems)
    if not out:
        message = _("The file holds no supplier.")
        raise ImportRefused(message, rows=[{"row": 2, "column": "", "message": message}])
    return out


@transaction.atomic
def import_suppliers(*, actor, fileobj) -> list:
    """Register every supplier of the workbook (pending), or none: answers the suppliers created."""
    refuse(rules.can_create(actor))
    rows = read_rows(fileobj)
    created = []
    for number, clean in rows:
        try:
            created.append(services.create_checked(actor=actor, clean=dict(clean), action=events.IMPORTED))
        except ApplicationError as exc:  # registered meanwhile by someone else
            raise _refusal([{"row": number, "column": "", "message": str(exc.message)}]) from None
    return created


def import_upload(*, actor, upload) -> list:
    return import_suppliers(actor=actor, fileobj=upload)


IMPORT_JOB = "suppliers.import"


@transaction.atomic
def import_job_create(*, actor, upload) -> Job:
    """Keep the checked upload (size, type, what it unpacks to: 413/422 here, nothing kept) and import it in the
    task worker after the commit."""
    refuse(rules.can_create(actor))
    stored = store_upload(upload, actor=actor, allowed=frozenset({"xlsx"}))
    return jobs.create(kind=IMPORT_JOB, actor=actor, file=stored)


def _run_import(job: Job, progress) -> jobs.Outcome:
    with job.file.file.open("rb") as fileobj:
        created = import_suppliers(actor=job.created_by, fileobj=fileobj)
    progress(done=len(created), total=len(created))
    return jobs.Outcome(result={"created": len(created), "ids": [s.pk for s in created]})


jobs.register(IMPORT_JOB, gettext_lazy("Import suppliers"), _run_import)
