"""Notifications of records the user may no longer open are not shown (issue 20): a notification's link is matched
to its record through core.links (each record type's visibility selector), so a rep moved to another department, or
a record handed to another team, leaves no notification that leads to a 404. Nothing is deleted: the rows come back
if the record becomes visible again."""

from opsmon.core import links


def hidden_urls(user, urls) -> set[str]:
    """Of `urls`, the links to a registered record `user` may not open."""
    wanted: dict[str, dict[int, list[str]]] = {}
    for url in set(urls):
        found = links.record_at(url) if url else None
        if found is not None:
            label, pk = found
            wanted.setdefault(label, {}).setdefault(pk, []).append(url)
    hidden = set()
    for label, by_pk in wanted.items():
        seen = links.visible_ids(user, label, by_pk)
        for pk, record_urls in by_pk.items():
            if pk not in seen:
                hidden.update(record_urls)
    return hidden


def visible(user, notifications):
    """`notifications` (a queryset of one user's rows) without those of records he may no longer open."""
    urls = notifications.order_by().values_list("url", flat=True).distinct()
    hidden = hidden_urls(user, urls)
    return notifications.exclude(url__in=hidden) if hidden else notifications
