"""Background tasks of notifications (the periodic schedule queues these)."""

from django_tasks import task

from .digest import send_digests  # noqa: F401 - queued every few minutes: the digests whose hour has come
from .outbox import deliver_messages  # noqa: F401 - queued after each notice and every minute: the outbox
from .reminders import send_reminders as send


@task()
def send_reminders() -> int:
    """Notify every reminder due today once (run daily; `opsmon remind` does the same from cron)."""
    return send()
