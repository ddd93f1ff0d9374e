"""Sending the reminders every module provides (core.reminders): at most once per user, text and day."""

from django.utils import timezone

from opsmon.core.reminders import due

from .models import Notification
from .services import notify


def send_reminders(*, now=None) -> int:
    """Notify every reminder due now that the user has not been sent today; answers how many were sent."""
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    for item in due(now):
        if Notification.objects.filter(recipient=item.recipient, text=item.text[:300],
                                       created_at__gte=start_of_day).exists():
            continue
        notify([item.recipient], text=item.text, url=item.url)
        sent += 1
    return sent
