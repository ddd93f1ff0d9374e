"""The people and departments that list filters offer ("owner", "department"), kept per process (core.versions) so a
list page does not read every user and the department tree on each request (issue 18). Any write of a user, his
roles or a department drops every process's copy; a login (which writes only the user's last_login) does not."""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import versions

PEOPLE = "filter_people"
DEPARTMENTS = "filter_departments"


@dataclass(frozen=True)
class Option:
    """One choice: `pk`, its name (str()); for a department its depth in the tree, for a person his department
    and roles."""

    pk: int
    name: str
    depth: int = 0
    path: str = ""
    department_id: int | None = None
    roles: frozenset[str] = frozenset()

    def __str__(self):
        return self.name


def _people() -> list[Option]:
    """Every active user, by username (one row per user and role, folded here)."""
    users: dict[int, tuple[str, int | None, set[str]]] = {}
    rows = (get_user_model().objects.filter(is_active=True).order_by("username")
            .values_list("pk", "display_name", "username", "department_id", "groups__name"))
    for pk, display, username, department_id, role in rows:
        users.setdefault(pk, (display or username, department_id, set()))[2].add(role)
    return [Option(pk, name, department_id=department_id, roles=frozenset(roles - {None}))
            for pk, (name, department_id, roles) in users.items()]


def _departments() -> list[Option]:  # core sits below accounts: the model by name, not by import
    rows = apps.get_model("accounts", "Department").objects.order_by("path").values_list("pk", "name", "path")
    return [Option(pk, name, max(path.count("/") - 2, 0), path=path) for pk, name, path in rows]


def people() -> list[Option]:
    """Active users of a department (not integration accounts), by username."""
    return [u for u in versions.cached(PEOPLE, _people) if u.department_id is not None]


def people_with_roles(roles) -> list[Option]:
    """Active users with any of `roles` (in a department or not), by username."""
    return [u for u in versions.cached(PEOPLE, _people) if u.roles.intersection(roles)]


def departments() -> list[Option]:
    """Every department in tree order, with its depth and path."""
    return versions.cached(DEPARTMENTS, _departments)


def department_path(pk) -> str | None:
    """The path of department `pk` from this process's copy; None when there is no such department."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return next((d.path for d in departments() if d.pk == pk), None)


def department_ids_under(pk) -> list[int]:
    """Department `pk` and those under it, as ids, from this process's copy; [] when there is no such department."""
    path = department_path(pk)
    return [] if path is None else [d.pk for d in departments() if d.path.startswith(path)]


def _user_written(sender, instance=None, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # a login
    versions.bump(PEOPLE)


def _department_written(**kwargs):
    versions.bump(DEPARTMENTS)


def _roles_changed(**kwargs):
    versions.bump(PEOPLE)


post_save.connect(_user_written, sender=settings.AUTH_USER_MODEL, dispatch_uid="filter_people_save")
m2m_changed.connect(_roles_changed, sender=apps.get_model(settings.AUTH_USER_MODEL).groups.through,
                    dispatch_uid="filter_people_roles")
post_delete.connect(_user_written, sender=settings.AUTH_USER_MODEL, dispatch_uid="filter_people_delete")
post_save.connect(_department_written, sender="accounts.Department", dispatch_uid="filter_departments_save")
post_delete.connect(_department_written, sender="accounts.Department", dispatch_uid="filter_departments_delete")
