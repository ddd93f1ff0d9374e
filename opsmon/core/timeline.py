"""Writing and reading the timeline; services call `record` inside their transaction."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import TimelineEntry


def record(
    obj: models.Model,
    *,
    actor,
    action: str,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    changes: dict | None = None,
) -> TimelineEntry:
    """Append one entry for `obj`; `changes` is {field: [old, new]} with JSON-safe values."""
    return TimelineEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True),
        object_id=obj.pk,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        from_status=from_status or "",
        to_status=to_status or "",
        comment=comment or "",
        changes=changes or {},
    )


def entries_for(obj: models.Model):
    """The record's entries, oldest first."""
    return (
        TimelineEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=True), object_id=obj.pk
        )
        .select_related("actor")
        .order_by("at", "id")
    )


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed, as strings for JSON."""
    def plain(value):
        if value is None or isinstance(value, bool | int | str):
            return value
        return str(value)

    return {k: [plain(before.get(k)), plain(v)] for k, v in after.items() if before.get(k) != v}
