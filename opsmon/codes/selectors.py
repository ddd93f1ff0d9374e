"""Reads of code tables, and the check every form and API runs on a code value."""

from django.utils.translation import gettext as _

from opsmon.core.errors import Invalid, NotFound

from .models import CodeItem, CodeTable, pick_label


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


def label_of(*, table: str, code: str) -> str:
    """The label of any item, active or not (old records keep their labels); the code if unknown."""
    item = CodeItem.objects.filter(table__name=table, code=code).first()
    return item.label if item else code


def label_map(*tables: str) -> dict[tuple[str, str], str]:
    """{(table, code): label} for whole tables in one query, so lists never look labels up row by row."""
    rows = CodeItem.objects.filter(table__name__in=tables).values_list("table__name", "code", "label_zh", "label_en")
    return {(table, code): pick_label(zh, en) for table, code, zh, en in rows}
