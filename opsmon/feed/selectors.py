"""Reading the change feed: the changes after a position, in commit order, narrowed to what the actor may see."""

from opsmon.core import events
from opsmon.core.models import Change

from . import types

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
SCAN_BATCHES = 10  # changes the actor may not see are passed over: at most this many batches per call
SCAN_MIN = 200  # rows per batch at least, so that a small `limit` still passes over many changes he may not see


def _numbers(actor, rows) -> dict[tuple[int, int], str | None]:
    """{(content type id, record id): number} of the rows' records the actor may see: one query per type."""
    known = types.by_content_type()
    wanted: dict[int, set[int]] = {}
    for _position, content_type, object_id, _action, _at in rows:
        if content_type in known:
            wanted.setdefault(content_type, set()).add(object_id)
    seen = {}
    for content_type, ids in wanted.items():
        kind = known[content_type]
        for pk, number in kind.visible(actor).filter(pk__in=ids).order_by().values_list("pk", kind.number or "pk"):
            seen[(content_type, pk)] = number if kind.number else None
    return seen


def changes_after(*, actor, after: int, limit: int = DEFAULT_LIMIT) -> tuple[list[dict], int]:
    """(items, next position): up to `limit` changes the actor may see after position `after`, oldest commit
    first. Changes he may not see are skipped and the position still moves past them, so a caller who sees little
    gets fewer items (perhaps none) with a `next` further on; he has caught up when `next` stops moving.
    """
    known = types.by_content_type()
    items: list[dict] = []
    position = after
    batch = max(limit, SCAN_MIN)
    for _batch in range(SCAN_BATCHES):
        rows = list(Change.objects.filter(position__gt=position).order_by("position").values_list(
            "position", "entry__content_type_id", "entry__object_id", "entry__action", "entry__at")[:batch])
        seen = _numbers(actor, rows)
        for row_position, content_type, object_id, action, at in rows:
            position = row_position
            if (content_type, object_id) in seen:
                items.append({"type": known[content_type].name, "id": object_id,
                              "number": seen[(content_type, object_id)], "action": action,
                              "action_label": str(events.label(action)),
                              "at": at.isoformat()})
                if len(items) == limit:
                    return items, position
        if len(rows) < batch:
            break
    return items, position
