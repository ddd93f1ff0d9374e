"""Background tasks of the integrations module."""

from django_tasks import task

from .delivery import deliver_due


@task()
def deliver_webhooks() -> int:
    """Send every due webhook delivery (enqueued after each event; `opsmon deliver-webhooks` sweeps too)."""
    return deliver_due()
