"""Background tasks of notifications."""

from django_tasks import task

from .reminders import send_reminders as send


@task()
def send_reminders() -> int:
    """Notify every reminder due today once (run daily; `opsmon remind` does the same from cron)."""
    return send()
