"""Notify users in the app; read and unread."""

from django.utils import timezone

from opsmon.core.events import Published

from .models import Notification


def notify(recipients, *, text: str, url: str = "") -> None:
    """One notification per distinct active recipient (call inside the transaction of the change)."""
    seen, rows = set(), []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, text=text[:300], url=url[:300]))
    Notification.objects.bulk_create(rows)


def tell_recipients(happening: Published) -> None:
    """core.events subscriber: a published event with recipients and a text becomes their notifications."""
    if happening.recipients and happening.text:
        notify(happening.recipients, text=happening.text, url=happening.url)


def mark_read(*, actor, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the actor's notifications read; returns how many changed."""
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


def unread_count(actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).count()
