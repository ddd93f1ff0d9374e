"""The columns of the opportunity workbook, shared by export, template and import.

Header names are part of the file format, like the code tables' labels: each column has a fixed
Chinese and English name, so a file exported or filled in under one language (or one version of the
translation catalogue) always imports. The explanations around them are translated with gettext.
"""

from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from opsmon.codes.models import CodeItem


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    table: str = ""  # the code table of a code column
    width: int = 16
    help: str = ""

    @property
    def header(self) -> str:
        return self.zh if is_chinese() else self.en


# The columns an import reads, in the template's order.
IMPORT_COLUMNS = (
    Column("title", "商机名称", "Title", required=True, width=36, help=_("At most 200 characters.")),
    Column("customer", "客户名称", "Customer", required=True, width=30,
           help=_("Matched by credit code, else by name (ignoring spaces, punctuation and full-width forms); "
                  "a customer not found is created.")),
    Column("credit_code", "统一社会信用代码", "Credit code", width=22,
           help=_("18 characters with a valid check character; optional.")),
    Column("customer_type", "客户类型", "Customer type", table="customer_type",
           help=_("Used only when the customer is created; “other” when empty.")),
    Column("estimated_amount", "预计金额", "Estimated amount", required=True,
           help=_("A number, not negative, at most two decimals.")),
    Column("currency", "币种", "Currency", table="currency", width=10, help=_("CNY when empty.")),
    Column("expected_close_date", "预计成交日期", "Expected close date", required=True, width=14,
           help=_("A date cell or YYYY-MM-DD, not before today.")),
    Column("source", "商机来源", "Source", table="opportunity_source"),
    Column("industry", "行业", "Industry", table="industry"),
    Column("region", "地区", "Region", table="region"),
    Column("stage", "商机阶段", "Stage", table="opportunity_stage",
           help=_("The first stage when empty; the win probability follows the stage.")),
    Column("description", "描述", "Description", width=40, help=_("At most 5000 characters.")),
)

# Columns only the export writes; an import of an exported file ignores them.
EXPORT_ONLY_COLUMNS = (
    Column("number", "商机编号", "Number", width=16),
    Column("status", "状态", "Status", width=12),
    Column("probability", "赢单概率(%)", "Win probability (%)", width=10),
    Column("owner", "负责人", "Owner", width=12),
    Column("department", "部门", "Department", width=14),
    Column("created_at", "创建日期", "Created on", width=12),
)

BY_KEY = {c.key: c for c in (*IMPORT_COLUMNS, *EXPORT_ONLY_COLUMNS)}
CODE_COLUMNS = tuple(c for c in IMPORT_COLUMNS if c.table)
CODE_TABLES = tuple(c.table for c in CODE_COLUMNS)


def is_chinese() -> bool:
    return not (get_language() or "zh-hans").lower().startswith("en")


def header_key(text) -> str:
    """A header cell as compared: trimmed, without the required-mark “*”, case-insensitive."""
    return str(text or "").strip().rstrip("*＊").strip().casefold()


# Either language's header (and the English one in any case) names the column.
HEADER_LOOKUP = {header_key(name): column for column in BY_KEY.values() for name in (column.zh, column.en)}


class CodeLookup:
    """The active items of the code columns' tables, found by code, Chinese label or English label.

    Built with one query so an import never looks a value up row by row.
    """

    def __init__(self):
        self.values: dict[str, dict[str, CodeItem]] = {table: {} for table in CODE_TABLES}
        self.items: dict[str, list[CodeItem]] = {table: [] for table in CODE_TABLES}
        for item in (CodeItem.objects.filter(table__name__in=CODE_TABLES, active=True)
                     .select_related("table").order_by("order", "code")):
            self.items[item.table.name].append(item)
        for table, items in self.items.items():
            values = self.values[table]
            # Codes go in last so a code wins over a label that happens to spell another item's code.
            for item in items:
                for key in (item.label_zh.strip(), item.label_en.strip().casefold()):
                    if key:
                        values.setdefault(key, item)
            for item in items:
                values[item.code.casefold()] = item
                values[item.code] = item

    def find(self, table: str, text: str) -> CodeItem | None:
        values = self.values[table]
        return values.get(text) or values.get(text.casefold())
