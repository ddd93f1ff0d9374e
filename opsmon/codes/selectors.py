"""Reads of code tables, and the check every form and API runs on a code value."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from opsmon.core import versions
from opsmon.core.errors import Invalid, NotFound

from .models import VALUE_NAMES, CodeItem, CodeTable, pick_label


def table_get(*, name: str) -> CodeTable:
    try:
        return CodeTable.objects.get(name=name)
    except CodeTable.DoesNotExist:
        raise NotFound(_("No such code table.")) from None


def items(*, table: str, include_inactive: bool = False):
    qs = CodeItem.objects.filter(table__name=table).order_by("order", "code")
    return qs if include_inactive else qs.filter(active=True)


def item_get(*, table: str, code: str) -> CodeItem:
    try:
        return CodeItem.objects.select_related("table").get(table__name=table, code=code)
    except CodeItem.DoesNotExist:
        raise NotFound(_("No such code.")) from None


def require_active(*, table: str, code: str, field: str) -> CodeItem:
    """The active item `code` of `table`, or a 422 naming `field`."""
    item = CodeItem.objects.filter(table__name=table, code=code, active=True).first()
    if item is None:
        raise Invalid(
            _("“%(code)s” is not an active value of %(table)s.") % {"code": code, "table": table},
            code="unknown_code", fields={field: _("unknown or inactive code “%(code)s”") % {"code": code}},
        )
    return item


LABELS = "code_labels"  # core.versions: this process's copy of every item's labels, bumped by every edit


def _all_labels() -> dict[str, list[tuple[str, str, str]]]:
    """{table: [(code, Chinese label, English label)]} of every item, active or not, in one query."""
    out: dict[str, list[tuple[str, str, str]]] = {}
    for table, code, zh, en in CodeItem.objects.values_list("table__name", "code", "label_zh", "label_en"):
        out.setdefault(table, []).append((code, zh, en))
    return out


def labels_changed(**_signal) -> None:
    """An item or table was written: the copies of the labels are stale in every process (core.versions)."""
    versions.bump(LABELS)


def label_of(*, table: str, code: str) -> str:
    """The label of any item, active or not (old records keep their labels); the code if unknown."""
    return label_map(table).get((table, code), code)


def label_map(*tables: str) -> dict[tuple[str, str], str]:
    """{(table, code): label} for whole tables, so lists never look labels up row by row. Read from this process's
    copy of the code tables (core.versions: no query while no item was edited since)."""
    labels = versions.cached(LABELS, _all_labels)
    return {(table, code): pick_label(zh, en) for table in tables for code, zh, en in labels.get(table, ())}


# --- the items' values (models.VALUE_NAMES) --------------------------------------------------------------------

ALL_CATEGORIES = "*"


def value_problem(table: str, value: str) -> str | None:
    """Why `value` is not a valid value of an item of `table` (empty is always valid), or None."""
    if not value:
        return None
    kind = VALUE_NAMES.get(table)
    if kind == "min_quotations":
        if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= 99:
            return _("A whole number from 1 to 99.")
    elif kind == "deductible":
        if value not in ("0", "1"):
            return _("1 (deductible) or 0 (not deductible).")
    elif kind == "rate":
        try:
            rate = Decimal(value) if value.isascii() else None
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not 0 <= rate <= 100 or rate.as_tuple().exponent < -2:
            return _("A percentage from 0 to 100, at most two decimals.")
    elif kind == "mandatory_for":
        codes = [c.strip() for c in value.split(",") if c.strip()]
        if codes != [ALL_CATEGORIES]:
            known = set(CodeItem.objects.filter(table__name="supplier_category").values_list("code", flat=True))
            unknown = [c for c in codes if c not in known]
            if unknown:
                return _("Unknown supplier categories: %(codes)s (use their codes, comma-separated, or “*” for "
                         "all).") % {"codes": ", ".join(unknown)}
    return None


def typed_value(table: str, value: str):
    """An item's value as the API answers it under VALUE_NAMES[table]: min_quotations an int, deductible a bool,
    rate a string with up to two decimals, mandatory_for a list of category codes (["*"]: every category); None when
    the item has none."""
    kind = VALUE_NAMES.get(table)
    if kind is None or (not value and kind != "mandatory_for"):
        return None
    if kind == "min_quotations":
        return int(value)
    if kind == "deductible":
        return value == "1"
    if kind == "rate":
        return value
    return [c.strip() for c in value.split(",") if c.strip()]
