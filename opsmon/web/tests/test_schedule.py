"""The periodic work `opsmon serve` queues: due webhook retries every minute, reminders and the purge of old
finished jobs once a day."""

from datetime import timedelta

from django.utils import timezone

from opsmon.integrations.models import WebhookDelivery, WebhookEndpoint
from opsmon.schedule import Scheduler


def test_reminders_are_queued_once_a_day_and_webhooks_only_when_a_retry_is_due(org, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    now = timezone.now()
    scheduler = Scheduler()
    assert scheduler.tick(now) == ["reminders", "jobs"]
    assert scheduler.tick(now + timedelta(hours=1)) == []
    endpoint = WebhookEndpoint.objects.create(name="x", url="http://127.0.0.1:9/", secret="s" * 20,
                                              events=["bid.won"])
    WebhookDelivery.objects.create(endpoint=endpoint, event="bid.won", payload={},
                                   next_attempt_at=now + timedelta(hours=1, minutes=30))
    assert scheduler.tick(now + timedelta(hours=1, minutes=10)) == []  # the retry is not due yet
    assert scheduler.tick(now + timedelta(hours=1, minutes=31)) == ["webhooks"]
    assert scheduler.tick(now + timedelta(hours=1, minutes=31, seconds=20)) == []  # at most once a minute
    assert scheduler.tick(now + timedelta(days=1, hours=2)) == ["webhooks", "reminders", "jobs"]
