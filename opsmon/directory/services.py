"""Commands of directory sign-in: the admin's mappings, the refresh at each login, and what happens to a user the
directory no longer has."""

import logging

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import Department, User
from opsmon.accounts.roles import Role
from opsmon.accounts.services import end_sessions, require_admin
from opsmon.core import events, timeline
from opsmon.core.errors import Conflict, Invalid, NotFound
from opsmon.core.phrases import phrase

from . import config, mapping
from .models import DepartmentMapping, DirectoryAccount, RoleMapping

log = logging.getLogger("opsmon.directory")
NAME_FORBIDDEN = set(',+"\\<>;=')


# --- the admin's mappings ------------------------------------------------------------------------

def _clean_value(value) -> str:
    value = (value or "").strip()
    if not value or len(value) > 200:
        raise Invalid(fields={"value": _("1 to 200 characters.")})
    return value


def _clean_department(department) -> Department:
    if department is None or not isinstance(department, Department):
        raise Invalid(fields={"department": _("This field is required.")})
    if not department.active:
        raise Invalid(fields={"department": _("Choose an active department.")})
    return department


def _clean_group(group) -> str:
    group = (group or "").strip()
    if not group or len(group) > 500:
        raise Invalid(fields={"group": _("1 to 500 characters.")})
    if "=" in group:
        if mapping.dn_key(group) is None:
            raise Invalid(fields={"group": _("Not a valid DN, e.g. cn=sales,ou=groups,dc=example,dc=com.")})
    elif NAME_FORBIDDEN & set(group):
        raise Invalid(fields={"group": _("A group name, or the group's whole DN.")})
    return group


def _clean_role(role) -> str:
    if role not in Role.values:
        raise Invalid(fields={"role": _("Unknown role: %(roles)s") % {"roles": role}})
    return role


@transaction.atomic
def department_mapping_save(*, actor, value: str, department: Department,
                            mapping_: DepartmentMapping | None = None) -> DepartmentMapping:
    """Create (or, given `mapping_`, change) a directory value → department mapping; values are unique without
    regard to case."""
    require_admin(actor)
    value, department = _clean_value(value), _clean_department(department)
    clash = DepartmentMapping.objects.filter(value__iexact=value)
    if mapping_ is not None:
        clash = clash.exclude(pk=mapping_.pk)
    if clash.exists():
        raise Conflict(_("This directory value is already mapped."), code="duplicate",
                       fields={"value": _("already mapped")})
    if mapping_ is None:
        mapping_ = DepartmentMapping.objects.create(value=value, department=department)
        timeline.record(mapping_, actor=actor, action="directory.mapping_created")
    else:
        changes = timeline.diff({"value": mapping_.value, "department": mapping_.department_id},
                                {"value": value, "department": department.pk})
        mapping_.value, mapping_.department = value, department
        mapping_.save()
        timeline.record(mapping_, actor=actor, action="directory.mapping_updated", changes=changes)
    return mapping_


@transaction.atomic
def role_mapping_save(*, actor, group: str, role: str, mapping_: RoleMapping | None = None) -> RoleMapping:
    """Create (or change) a directory group → role mapping."""
    require_admin(actor)
    group, role = _clean_group(group), _clean_role(role)
    clash = RoleMapping.objects.filter(group__iexact=group, role=role)
    if mapping_ is not None:
        clash = clash.exclude(pk=mapping_.pk)
    if clash.exists():
        raise Conflict(_("This group is already mapped to this role."), code="duplicate",
                       fields={"group": _("already mapped")})
    if mapping_ is None:
        mapping_ = RoleMapping.objects.create(group=group, role=role)
        timeline.record(mapping_, actor=actor, action="directory.mapping_created")
    else:
        changes = timeline.diff({"group": mapping_.group, "role": mapping_.role}, {"group": group, "role": role})
        mapping_.group, mapping_.role = group, role
        mapping_.save()
        timeline.record(mapping_, actor=actor, action="directory.mapping_updated", changes=changes)
    return mapping_


@transaction.atomic
def mapping_delete(*, actor, mapping_) -> None:
    """Remove a mapping; users keep what they have until their next login."""
    require_admin(actor)
    timeline.record(mapping_, actor=actor, action="directory.mapping_deleted",
                    changes={"mapping": [str(mapping_), None]})
    mapping_.delete()


def mapping_get(model, pk):
    found = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


# --- login ---------------------------------------------------------------------------------------

def is_directory_user(user) -> bool:
    return user is not None and user.pk is not None and DirectoryAccount.objects.filter(user=user).exists()


def _profile(user) -> dict:
    return {"display_name": user.display_name, "email": user.email, "phone": user.phone,
            "department": user.department_id, "roles": ",".join(sorted(user.roles)), "is_active": user.is_active}


def directory_login(*, user: User, dn: str, attrs, group_dns) -> User | None:
    """Refresh a user the directory has just authenticated: department and roles by the mappings (a user in no
    mapped group gets no role), and the mark that he is the directory's. A user the directory had disabled and
    now lets in again is reactivated; one an administrator deactivated in OpsMon stays out (None)."""
    department = mapping.department_for(dn=dn, attrs=attrs)
    roles = mapping.roles_for(group_dns)
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        account = DirectoryAccount.objects.filter(user=user).first()
        before = _profile(user)
        if account is None:
            account = DirectoryAccount(user=user, dn=dn, synced_at=now)
            before = {"display_name": None, "email": None, "phone": None, "department": None, "roles": None,
                      "is_active": None}
        if not user.is_active:
            if account.disabled_at is None:
                return None
            user.is_active = True
            timeline.record(user, actor=None, action="user.directory_enabled")
        account.dn, account.synced_at, account.disabled_at = dn, now, None
        account.save()
        user.department = department
        user.save()
        user.groups.set(Group.objects.filter(name__in=roles))
        user.__dict__.pop("roles", None)
        changes = timeline.diff(before, _profile(user))
        if changes:
            timeline.record(user, actor=None, action="user.directory_synced", changes=changes)
    return user


def heads_of(user: User):
    """The active department heads of the user's department and the departments above it."""
    if user.department_id is None:
        return User.objects.none()
    above = [int(pk) for pk in user.department.path.strip("/").split("/") if pk.isdigit()]
    return User.objects.filter(is_active=True, groups__name=Role.DEPT_HEAD, department_id__in=above).exclude(
        pk=user.pk).distinct()


@transaction.atomic
def directory_gone(*, user: User) -> bool:
    """The directory no longer has the user (removed, or disabled and so filtered out): deactivate him, end his
    sessions and tokens, and tell his heads that his open work waits to be reassigned. Answers whether he was
    active until now."""
    account = DirectoryAccount.objects.select_for_update().filter(user=user).first()
    if account is None or account.disabled_at is not None:
        return False
    account.disabled_at = timezone.now()
    account.save(update_fields=["disabled_at"])
    was_active = user.is_active
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    timeline.record(user, actor=None, action="user.directory_disabled")
    end_sessions(user)
    log.info("directory: %s is no longer in the directory; deactivated", user.username)
    if was_active:
        text = phrase(gettext_noop("%(name)s was disabled in the company directory: reassign his open work."),
                      name=user.display_name or user.username)
        events.notify(heads_of(user), text=text, url="/directory/departed/")
    return was_active


def check_gone(username: str) -> bool:
    """After a failed login of a directory user: if the directory (reachable) no longer has him, he is gone."""
    account = DirectoryAccount.objects.select_related("user", "user__department").filter(
        user__username__iexact=username, disabled_at__isnull=True).first()
    if account is None:
        return False
    try:
        found = config.find_user(account.user.username)
    except config.DirectoryUnavailable:
        return False
    return directory_gone(user=account.user) if found is None else False


def sync(*, limit: int | None = None) -> dict:
    """Look every active directory user up (one connection); deactivate those the directory no longer has. Run
    periodically so a disabled user's open sessions and tokens end without waiting for his next login."""
    accounts = list(DirectoryAccount.objects.select_related("user", "user__department")
                    .filter(disabled_at__isnull=True, user__is_active=True).order_by("pk")[:limit])
    checked = gone = 0
    if not accounts:
        return {"checked": 0, "disabled": 0}
    connection = config.connect()
    try:
        for account in accounts:
            checked += 1
            if config.find_user(account.user.username, connection) is None:
                gone += int(directory_gone(user=account.user))
    finally:
        connection.unbind_s()
    return {"checked": checked, "disabled": gone}
