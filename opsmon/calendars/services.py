"""Commands on a user's calendar link: create (replacing the old one) and revoke; and finding the user of a link."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from opsmon.core import timeline

from .models import CalendarFeed


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def feed_create(*, actor) -> tuple[str, CalendarFeed]:
    """A new private link for the actor; the old one stops working. The clear key is returned once, never kept."""
    key = secrets.token_urlsafe(32)
    CalendarFeed.objects.filter(user=actor).delete()
    feed = CalendarFeed.objects.create(user=actor, key_hash=_hash(key), prefix=key[:8])
    timeline.record(actor, actor=actor, action="calendar.feed_created")
    return key, feed


@transaction.atomic
def feed_revoke(*, actor) -> bool:
    """Revoke the actor's link (its URL answers 404 from now on); answers whether there was one."""
    deleted, _rows = CalendarFeed.objects.filter(user=actor).delete()
    if deleted:
        timeline.record(actor, actor=actor, action="calendar.feed_revoked")
    return bool(deleted)


def feed_user(key: str):
    """The active user behind a calendar key, or None (unknown, revoked, or the user is deactivated)."""
    if not key or len(key) > 100:
        return None
    feed = CalendarFeed.objects.select_related("user").filter(key_hash=_hash(key)).first()
    if feed is None or not feed.user.is_active:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 300:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)  # coarse, to spare writes
    return feed.user
