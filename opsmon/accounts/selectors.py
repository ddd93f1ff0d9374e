"""Reads of users and departments."""

from django.db.models import Count, Q

from opsmon.core import filter_choices
from opsmon.core.errors import NotFound

from .models import Department, User


def department_tree():
    """Every department in tree order (by path), with its parent."""
    return Department.objects.select_related("parent").annotate(member_count=Count("members")).order_by("path")


def department_get(*, pk) -> Department:
    try:
        return Department.objects.get(pk=pk)
    except (Department.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def department_path(pk) -> str:
    """The path prefix of department `pk` and everything below it; matches nothing when there is no such one."""
    return filter_choices.department_path(pk) or "/none/"  # the process's copy: a list filter asks on every page


def department_ids_under(pk) -> list[int]:
    """Department `pk` and those under it, as ids (a list filter's `department_id__in`: one index range per
    department, not a join to the tree); [] matches nothing when there is no such department."""
    return filter_choices.department_ids_under(pk)


def user_list(*, q: str = "", role: str = "", department: int | None = None, active: bool | None = None):
    users = User.objects.select_related("department").prefetch_related("groups").order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(email__icontains=q))
    if role:
        users = users.filter(groups__name=role)
    if department:
        users = users.filter(department_id=department)
    if active is not None:
        users = users.filter(is_active=active)
    return users


def user_get(*, pk) -> User:
    try:
        return User.objects.select_related("department").get(pk=pk)
    except (User.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
