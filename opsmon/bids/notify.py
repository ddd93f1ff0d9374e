"""Turning reminders into notifications, at most once per user, record and kind per day."""

from django.utils import timezone

from opsmon.notifications.models import Notification
from opsmon.notifications.services import notify

from .reminders import due_for, recipients


def send_reminders(*, now=None) -> int:
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    for user in recipients():
        for r in due_for(user, now=now):
            text = f"{r.record.number} {r.label}"
            url = f"/bids/{r.record.pk}/"
            if Notification.objects.filter(recipient=user, text=text[:300], created_at__gte=start_of_day).exists():
                continue
            notify([user], text=text, url=url)
            sent += 1
    return sent
