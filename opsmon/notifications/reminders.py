"""Sending the reminders every module provides (core.reminders): at most once per user, text and day, through the
channels the user chose for reminders."""

import hashlib

from django.db import transaction
from django.utils import timezone

from opsmon.core.reminders import due

from .channels import REMINDER
from .models import Notification, Outgoing
from .services import deliver_to


def send_reminders(*, now=None) -> int:
    """Send every reminder due now that the user has not been sent today; answers how many were sent."""
    now = now or timezone.now()
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    sent = 0
    for item in due(now):
        text = item.text[:300]
        key = f"reminder:{start_of_day.date()}:{hashlib.sha256(text.encode()).hexdigest()[:32]}"
        if (Notification.objects.filter(recipient=item.recipient, text=text, created_at__gte=start_of_day).exists()
                or Outgoing.objects.filter(recipient=item.recipient, dedupe_key=key).exists()):
            continue
        with transaction.atomic():
            deliver_to([item.recipient], kind=REMINDER, text=item.text, url=item.url, dedupe_key=key)
        sent += 1
    return sent
