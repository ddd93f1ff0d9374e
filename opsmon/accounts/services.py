"""Commands on users, departments and tokens; admins only, each one audited on the timeline."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, NotAuthenticated, PermissionDenied

from .models import ApiToken, Department, User, adopt_roles, role_names
from .roles import Role


def require_admin(actor) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator may do this."))


# --- departments -----------------------------------------------------------------------------

def _set_path(department: Department) -> None:
    prefix = department.parent.path if department.parent_id else "/"
    department.path = f"{prefix}{department.pk}/"


@transaction.atomic
def department_create(*, actor, name: str, parent: Department | None = None, order: int = 0) -> Department:
    """Add a department under `parent` (or at the top)."""
    require_admin(actor)
    name = (name or "").strip()
    if not name:
        raise Invalid(fields={"name": _("This field is required.")})
    if Department.objects.filter(parent=parent, name=name).exists():
        raise Conflict(_("A department with this name already exists here."), code="duplicate",
                       fields={"name": _("already exists")})
    department = Department.objects.create(name=name, parent=parent, order=order)
    _set_path(department)
    department.save(update_fields=["path"])
    timeline.record(department, actor=actor, action="department.created")
    return department


@transaction.atomic
def department_update(*, actor, department: Department, name: str | None = None,
                      parent: Department | None | type(...) = ..., order: int | None = None,
                      active: bool | None = None) -> Department:
    """Rename, move (never under itself) or (de)activate a department; paths below it follow a move."""
    require_admin(actor)
    before = {"name": department.name, "parent": department.parent_id, "order": department.order,
              "active": department.active}
    if name is not None:
        name = name.strip()
        if not name:
            raise Invalid(fields={"name": _("This field is required.")})
        department.name = name
    if parent is not ...:
        if parent is not None and department.contains(parent):
            raise Invalid(_("A department cannot be moved under itself."), fields={"parent": _("would make a cycle")})
        department.parent = parent
    if order is not None:
        department.order = order
    if active is not None:
        if not active and department.members.filter(is_active=True).exists():
            raise Conflict(_("The department still has active members."), code="in_use",
                           fields={"active": _("still has active members")})
        department.active = active
    if Department.objects.filter(parent=department.parent, name=department.name).exclude(pk=department.pk).exists():
        raise Conflict(_("A department with this name already exists here."), code="duplicate",
                       fields={"name": _("already exists")})
    old_path = department.path
    _set_path(department)
    department.save()
    if old_path != department.path:
        for child in Department.objects.filter(path__startswith=old_path).exclude(pk=department.pk).order_by("path"):
            child.path = department.path + child.path[len(old_path):]
            child.save(update_fields=["path"])
    after = {"name": department.name, "parent": department.parent_id, "order": department.order,
             "active": department.active}
    timeline.record(department, actor=actor, action="department.updated", changes=timeline.diff(before, after))
    return department


# --- users -----------------------------------------------------------------------------------

def _check_roles(roles) -> list[str]:
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise Invalid(fields={"roles": _("Unknown role: %(roles)s") % {"roles": ", ".join(sorted(unknown))}})
    return sorted(set(roles))


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise Invalid(fields={"password": list(exc.messages)}) from exc


@transaction.atomic
def user_create(*, actor, username: str, password: str, display_name: str = "", email: str = "",
                department: Department | None = None, roles=(), phone: str = "") -> User:
    """Create a user with roles; the password is validated and hashed with argon2."""
    require_admin(actor)
    username = (username or "").strip()
    if not username:
        raise Invalid(fields={"username": _("This field is required.")})
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict(_("This username is taken."), code="duplicate", fields={"username": _("already taken")})
    roles = _check_roles(roles)
    user = User(username=username, display_name=display_name.strip(), email=email.strip(),
                department=department, phone=phone.strip())
    _check_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    timeline.record(user, actor=actor, action="user.created", changes={"roles": [None, ",".join(roles)]})
    return user


@transaction.atomic
def user_update(*, actor, user: User, display_name: str | None = None, email: str | None = None,
                department: Department | None | type(...) = ..., roles=None, phone: str | None = None,
                is_active: bool | None = None) -> User:
    """Change a user's profile, department, roles or active flag; deactivating ends his sessions."""
    require_admin(actor)
    before = {"display_name": user.display_name, "email": user.email, "department": user.department_id,
              "roles": ",".join(sorted(user.roles)), "is_active": user.is_active, "phone": user.phone}
    if display_name is not None:
        user.display_name = display_name.strip()
    if email is not None:
        user.email = email.strip()
    if phone is not None:
        user.phone = phone.strip()
    if department is not ...:
        user.department = department
    if is_active is not None:
        if not is_active and user.pk == actor.pk:
            raise Conflict(_("You cannot deactivate yourself."), fields={"is_active": _("cannot deactivate yourself")})
        user.is_active = is_active
    if roles is not None:
        roles = _check_roles(roles)
        if user.pk == actor.pk and Role.ADMIN not in roles:
            raise Conflict(_("You cannot remove your own administrator role."), fields={"roles": _("keep admin")})
        user.groups.set(Group.objects.filter(name__in=roles))
        user.__dict__.pop("roles", None)
    user.save()
    after = {"display_name": user.display_name, "email": user.email, "department": user.department_id,
             "roles": ",".join(sorted(user.roles)), "is_active": user.is_active, "phone": user.phone}
    timeline.record(user, actor=actor, action="user.updated", changes=timeline.diff(before, after))
    if not user.is_active:
        end_sessions(user)
    return user


@transaction.atomic
def user_set_password(*, actor, user: User, password: str) -> None:
    """Set a new password (the admin for anyone, a user for himself); his tokens are revoked."""
    if actor.pk != user.pk:
        require_admin(actor)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    timeline.record(user, actor=actor, action="user.password_changed")


def end_sessions(user: User) -> None:
    """Log the user out everywhere: delete his sessions, revoke his tokens."""
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    uid = str(user.pk)
    doomed = [s.session_key for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
              if s.get_decoded().get("_auth_user_id") == uid]
    Session.objects.filter(session_key__in=doomed).delete()


# --- API tokens --------------------------------------------------------------------------------

def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: User) -> tuple[str, ApiToken]:
    """A new bearer token; the clear key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=_hash(key), prefix=key[:8],
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    return key, token


def token_user(key: str) -> User:
    """The active user behind a bearer key, or NotAuthenticated."""
    # One query: the token, its user, his department and his roles (the Viewer reads them next).
    token = (ApiToken.objects.select_related("user", "user__department").annotate(role_names=role_names("user_id"))
             .filter(key_hash=_hash(key or "")).first())
    now = timezone.now()
    if token is None or token.revoked_at or token.expires_at <= now or not token.user.is_active:
        raise NotAuthenticated(_("The token is invalid, expired or revoked."), code="invalid_token")
    adopt_roles(token.user, token.role_names)
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # coarse, to spare writes
    return token.user


def token_revoke(*, key: str) -> None:
    ApiToken.objects.filter(key_hash=_hash(key or ""), revoked_at__isnull=True).update(revoked_at=timezone.now())
