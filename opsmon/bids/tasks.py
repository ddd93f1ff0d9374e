"""Background tasks of the bid module."""

from django_tasks import task


@task()
def send_reminders() -> int:
    """Notify every reminder due today once (run daily; `opsmon remind` does the same from cron)."""
    from .notify import send_reminders as send
    return send()
