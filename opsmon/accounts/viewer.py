"""Who is looking: the facts about a user that visibility reads, resolved once per request.

`viewer_of(user)` answers a `Viewer` (his id, roles, department and, for a department head, the ids of the
departments he heads). Inside a request `ViewerMiddleware` opens a scope: the first `viewer_of` of a user builds
his Viewer and later ones in the same request get that one (a list and its count ask the database once). Outside
a request (a service called by a test, a task, a command) each call builds a fresh one, kept nowhere. Nothing is
ever written on the User object.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models import Subquery

from .models import Department
from .roles import SEE_ALL, Role

# The viewers resolved in the current request, by user id; None outside a request.
_resolved: ContextVar[dict | None] = ContextVar("opsmon_viewers", default=None)


@dataclass(frozen=True)
class Viewer:
    """What visibility needs to know about a user. It answers `pk`, `is_authenticated`, `is_active`, `sees_all`
    and `has_role` as a User does, so a selector may be given either."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    department_id: int | None = None
    # For a department head: his department's path and the ids of it and the departments under it (the records
    # he sees through departments); None for anyone else.
    department_path: str | None = None
    head_departments: tuple[int, ...] | None = None
    sees_all: bool = False
    is_active: bool = False

    @property
    def pk(self) -> int | None:
        return self.user_id

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def heads(self, department: Department | None) -> bool:
        """True when he is the head of `department` or of a department above it."""
        return (self.head_departments is not None and department is not None
                and department.path.startswith(self.department_path))


NOBODY = Viewer(user_id=None)


def _headed(user, roles: frozenset[str]) -> tuple[str | None, tuple[int, ...] | None]:
    """(his department's path, the ids of it and the departments under it) for a department head, in one query;
    (None, None) for anyone else, at no cost: visibility places no one else by department."""
    if Role.DEPT_HEAD not in roles or not user.department_id:
        return None, None
    # Ids, not a subquery, for the selectors: PostgreSQL estimates `department_id IN (5, 6)` from its statistics
    # of each department, but a subquery as an average department, and then may read the whole table.
    own = Department.objects.filter(pk=user.department_id).values("path")[:1]
    rows = list(Department.objects.filter(path__startswith=Subquery(own)).order_by("path")
                .values_list("pk", "path"))
    path = next((p for pk, p in rows if pk == user.department_id), None)
    return path, tuple(pk for pk, _p in rows)


def _build(user) -> Viewer:
    if user is None or not user.is_authenticated:
        return NOBODY
    roles = frozenset(user.roles)
    path, heads = _headed(user, roles)
    return Viewer(user_id=user.pk, roles=roles, department_id=user.department_id, department_path=path,
                  head_departments=heads, sees_all=bool(roles & SEE_ALL), is_active=bool(user.is_active))


def _still(viewer: Viewer, user) -> bool:
    """The resolved viewer still describes this user object (same department, active flag and roles)."""
    return (viewer.department_id == user.department_id and viewer.is_active == bool(user.is_active)
            and viewer.roles == frozenset(user.roles))


def viewer_of(user_or_viewer) -> Viewer:
    """The Viewer of a user (or the viewer itself); the anonymous user and None are NOBODY, who sees nothing."""
    if isinstance(user_or_viewer, Viewer):
        return user_or_viewer
    user = user_or_viewer
    if user is None or not user.is_authenticated or user.pk is None:
        return NOBODY
    resolved = _resolved.get()
    if resolved is None:
        return _build(user)
    viewer = resolved.get(user.pk)
    if viewer is None or not _still(viewer, user):
        viewer = resolved[user.pk] = _build(user)
    return viewer


@contextmanager
def request_scope():
    """Keep the viewers resolved inside the block (one request) and forget them at its end."""
    token = _resolved.set({})
    try:
        yield
    finally:
        _resolved.reset(token)

