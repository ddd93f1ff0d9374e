"""Values between the API and the screen: reading a dotted path of a record, showing a value, filling a template
path from a record, and the starting value of an edit field."""

import re
from datetime import datetime

from . import i18n

_PLACEHOLDER = re.compile(r"\{([^}]+)\}")


def dig(record, path: str):
    """record["a"]["b"] for "a.b"; None where the path breaks off."""
    value = record
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def fill(template: str, record: dict, row: dict | None = None) -> str | None:
    """"/contracts/{id}/reviews/{current_step.id}/approve" with the record's values ({row.x}: the row's); None
    when a value is missing (the action cannot be fired on this record now)."""
    def value(match):
        key = match.group(1)
        found = dig(row or {}, key[4:]) if key.startswith("row.") else dig(record, key)
        if found in (None, ""):
            raise KeyError(key)
        return str(found)
    try:
        return _PLACEHOLDER.sub(value, template)
    except KeyError:
        return None


def money(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.2f}"


def show(value, kind: str = "text") -> str:
    """A value as a person reads it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return i18n.tr("Yes") if value else i18n.tr("No")
    if kind == "money":
        return money(value)
    if isinstance(value, dict):
        if "user" in value:  # a decider: who
            return show(value["user"])
        for key in ("label", "display_name", "name", "number", "title", "code", "id"):
            if value.get(key) not in (None, ""):
                return str(value[key])
        return ", ".join(f"{k}: {show(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(show(v) for v in value) if value else "—"
    if kind == "datetime" and isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if moment.tzinfo is not None:
            moment = moment.astimezone()
        return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)


def initial(record: dict, name: str):
    """The value an edit field starts from: the record's own field (a code's code, a reference's id), or for
    `customer_id` the record's `customer.id`, for `member_ids` the ids of its `members`."""
    if name in record:
        value = record[name]
    elif name.endswith("_ids"):
        base = name[:-4]
        items = record.get(base + "s", record.get(base))
        return [item.get("id") for item in items] if isinstance(items, list) else None
    elif name.endswith("_id") and isinstance(record.get(name[:-3]), dict):
        return record[name[:-3]].get("id")
    else:
        return None
    if isinstance(value, dict):
        return value.get("code", value.get("id"))
    return value
