"""Links between records (opportunity ↔ project ↔ bid ↔ contract ↔ receivables …) only where the viewer may open
the target: elsewhere the page shows the number as text, never a link to a 404 (issue 22, item 6).

Each module registers its record model once (in its AppConfig.ready) with its visibility selector and the name of
its detail page; any page, whatever its module's level, then asks `url_for(viewer, record)` without importing the
target's module. The answer uses the same selector as the target's own page, so a link exists exactly when that
page would open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Model
from django.urls import NoReverseMatch, Resolver404, resolve, reverse


@dataclass(frozen=True)
class Target:
    visible: Callable   # actor → queryset of the records he may open
    url_name: str       # the detail page, reversed with the record's pk


_targets: dict[str, Target] = {}


def register(model: type[Model], *, visible: Callable, url_name: str) -> None:
    _targets[model._meta.label_lower] = Target(visible=visible, url_name=url_name)


def url_for(viewer, record: Model | None) -> str:
    """The record's page when `viewer` may open it, else ""."""
    if record is None or record.pk is None:
        return ""
    target = _targets.get(record._meta.label_lower)
    if target is None or not target.visible(viewer).filter(pk=record.pk).exists():
        return ""
    try:
        return reverse(target.url_name, args=[record.pk])
    except NoReverseMatch:
        return ""


def urls_for(viewer, records) -> dict[int, str]:
    """Several records of one model in one query: pk → url for those `viewer` may open."""
    records = [r for r in records if r is not None and r.pk is not None]
    if not records:
        return {}
    target = _targets.get(records[0]._meta.label_lower)
    if target is None:
        return {}
    opened = set(target.visible(viewer).filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True))
    try:
        return {pk: reverse(target.url_name, args=[pk]) for pk in opened}
    except NoReverseMatch:
        return {}


def record_at(path: str) -> tuple[str, int] | None:
    """The registered record whose page `path` is, as (model label, pk); None for any other path (a list, a page
    of no registered record). Lets a link stored as text (a notification's) be checked like a record."""
    try:
        match = resolve(urlsplit(path).path)
    except (Resolver404, ValueError):
        return None
    for label, target in _targets.items():
        if target.url_name == match.view_name:
            pk = match.kwargs.get("pk", match.args[0] if match.args else None)
            return (label, int(pk)) if isinstance(pk, int) or str(pk).isdigit() else None
    return None


def visible_ids(viewer, label: str, pks) -> set[int]:
    """Of the records `pks` of the registered model `label`, those `viewer` may open (one query)."""
    target = _targets.get(label)
    if target is None:
        return set(pks)
    return set(target.visible(viewer).filter(pk__in=list(pks)).values_list("pk", flat=True))
