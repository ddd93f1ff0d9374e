"""Commands on code items: admins add, relabel, reorder and (de)activate; nothing is ever deleted."""

import re

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.accounts.services import require_admin
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid

from .models import VALUE_NAMES, CodeItem, CodeTable
from .selectors import value_problem

CODE_PATTERN = re.compile(r"^[A-Za-z0-9_\-]{1,32}$")


def _check_labels(label_zh: str, label_en: str) -> dict:
    errors = {}
    if not (label_zh or "").strip():
        errors["label_zh"] = _("This field is required.")
    if not (label_en or "").strip():
        errors["label_en"] = _("This field is required.")
    for field, value in (("label_zh", label_zh), ("label_en", label_en)):
        if value and len(value.strip()) > 64:
            errors[field] = _("At most 64 characters.")
    return errors


def _check_probability(table: CodeTable, probability) -> None:
    if probability is None:
        return
    if not table.has_probability:
        raise Invalid(fields={"probability": _("This table has no probability.")})
    if not 0 <= int(probability) <= 100:
        raise Invalid(fields={"probability": _("Must be between 0 and 100.")})


def _check_value(table: CodeTable, value) -> str | None:
    """The item's value, cleaned; None when not given. A table without values takes none (VALUE_NAMES)."""
    if value is None:
        return None
    value = str(value).strip()
    if value and table.name not in VALUE_NAMES:
        raise Invalid(fields={"value": _("This table has no value.")})
    problem = value_problem(table.name, value)
    if problem:
        raise Invalid(fields={"value": problem})
    return value


@transaction.atomic
def item_create(*, actor, table: CodeTable, code: str, label_zh: str, label_en: str, order: int = 0,
                probability: int | None = None, value: str | None = None) -> CodeItem:
    """Add an item to a code table."""
    require_admin(actor)
    code = (code or "").strip()
    errors = _check_labels(label_zh, label_en)
    if not CODE_PATTERN.match(code):
        errors["code"] = _("Use 1–32 letters, digits, “_” or “-”.")
    if errors:
        raise Invalid(fields=errors)
    _check_probability(table, probability)
    value = _check_value(table, value) or ""
    if CodeItem.objects.filter(table=table, code=code).exists():
        raise Conflict(_("This code already exists."), code="duplicate", fields={"code": _("already exists")})
    item = CodeItem.objects.create(table=table, code=code, label_zh=label_zh.strip(), label_en=label_en.strip(),
                                   order=order, probability=probability, value=value)
    timeline.record(item, actor=actor, action="code.created")
    return item


@transaction.atomic
def item_update(*, actor, item: CodeItem, label_zh: str | None = None, label_en: str | None = None,
                order: int | None = None, active: bool | None = None, probability: int | None = None,
                value: str | None = None) -> CodeItem:
    """Relabel, reorder, set the probability or (de)activate an item; the code itself never changes."""
    require_admin(actor)
    errors = _check_labels(label_zh if label_zh is not None else item.label_zh,
                           label_en if label_en is not None else item.label_en)
    if errors:
        raise Invalid(fields=errors)
    _check_probability(item.table, probability)
    value = _check_value(item.table, value)
    before = {"label_zh": item.label_zh, "label_en": item.label_en, "order": item.order,
              "active": item.active, "probability": item.probability, "value": item.value}
    if label_zh is not None:
        item.label_zh = label_zh.strip()
    if label_en is not None:
        item.label_en = label_en.strip()
    if order is not None:
        item.order = order
    if active is not None:
        item.active = active
    if probability is not None:
        item.probability = probability
    if value is not None:
        item.value = value
    item.save()
    after = {"label_zh": item.label_zh, "label_en": item.label_en, "order": item.order,
             "active": item.active, "probability": item.probability, "value": item.value}
    timeline.record(item, actor=actor, action="code.updated", changes=timeline.diff(before, after))
    return item
