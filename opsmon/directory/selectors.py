"""Reads of directory sign-in: users the directory dropped, with the work they leave behind."""

from contextvars import ContextVar

from opsmon.accounts.models import User
from opsmon.core.inbox import items_for

# The inbox provider of this module lists a departed user's items; that listing must not list departed users again.
_listing = ContextVar("directory_listing", default=False)


def departed_users(viewer):
    """Users deactivated because the directory no longer has them: every one for the admin, those in the
    departments he heads (and below) for a department head, none for anyone else."""
    users = User.objects.filter(is_active=False, directory_account__disabled_at__isnull=False).select_related(
        "department", "directory_account").order_by("-directory_account__disabled_at")
    if viewer.is_admin:
        return users
    if not viewer.has_role("dept_head") or viewer.department_id is None:
        return users.none()
    return users.filter(department__path__startswith=viewer.department.path)


def open_work(user) -> list:
    """The inbox items still waiting on a departed user (to be reassigned from each record's page)."""
    token = _listing.set(True)
    try:
        return items_for(user)
    finally:
        _listing.reset(token)


def listing() -> bool:
    return _listing.get()
