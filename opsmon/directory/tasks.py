"""Background tasks of directory sign-in."""

from django_tasks import task

from . import config, services


@task()
def sync_directory() -> dict:
    """Deactivate the users the directory disabled or removed (hourly; `opsmon directory_sync` does the same)."""
    if not config.enabled():
        return {"checked": 0, "disabled": 0}
    return services.sync()
