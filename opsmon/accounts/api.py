"""/auth, /me, /departments and /users."""

import logging

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from opsmon.core.errors import NotAuthenticated, TooManyAttempts, Unavailable
from opsmon.core.schemas import ERRORS, ErrorOut, Page, PageParams, paginate

from . import selectors, services
from .auth import BearerAuth
from .schemas import (
    DepartmentIn,
    DepartmentOut,
    DepartmentPatch,
    MeOut,
    TokenIn,
    TokenOut,
    UserIn,
    UserName,
    UserOut,
    UserPatch,
    user_out,
)

router = Router(tags=["accounts"])
audit = logging.getLogger("opsmon.audit")


@router.post("/auth/token", auth=None,
             response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut})
def token_create(request, payload: TokenIn):
    """Exchange a username and password for a bearer token (throttled like the login page)."""
    try:
        user = authenticate(request, username=payload.username, password=payload.password)
    except AxesBackendPermissionDenied:
        user = None
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts()
    if user is None and getattr(request, "login_problem", ""):  # the company directory failed (directory.backend)
        raise Unavailable(request.login_problem, code="directory_unavailable")
    if user is None or not user.is_active:
        raise NotAuthenticated(_("Wrong username or password."), code="bad_credentials")
    key, token = services.token_issue(user=user)
    audit.info("login ok user=%s ip=%s via=token", user.username, request.META.get("REMOTE_ADDR", ""))
    return {"token": key, "expires_at": token.expires_at}


@router.delete("/auth/token", auth=BearerAuth(), response={204: None, 401: ErrorOut})
def token_delete(request):
    """Revoke the bearer token this request carries."""
    services.token_revoke(key=request.api_token)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **ERRORS})
def me(request):
    user = request.auth
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name or user.username,
        "roles": sorted(user.roles),
        "department": {"id": user.department_id, "name": user.department.name} if user.department_id else None,
    }


# --- departments ---------------------------------------------------------------------------------

def _department_out(d) -> dict:
    return {"id": d.pk, "name": d.name, "parent_id": d.parent_id, "order": d.order, "active": d.active,
            "depth": d.depth}


@router.get("/departments", response={200: Page[DepartmentOut], **ERRORS})
def department_list(request):
    """The whole tree, parents before children."""
    departments = [_department_out(d) for d in selectors.department_tree()]
    return {"items": departments, "count": len(departments)}


@router.post("/departments", response={201: DepartmentOut, **ERRORS})
def department_create(request, payload: DepartmentIn):
    parent = selectors.department_get(pk=payload.parent_id) if payload.parent_id else None
    department = services.department_create(actor=request.auth, name=payload.name, parent=parent,
                                            order=payload.order)
    return Status(201, _department_out(department))


@router.patch("/departments/{department_id}", response={200: DepartmentOut, **ERRORS})
def department_update(request, department_id: int, payload: DepartmentPatch):
    services.require_admin(request.auth)
    department = selectors.department_get(pk=department_id)
    data = payload.model_dump(exclude_unset=True)
    parent = ...
    if "parent_id" in data:
        parent = selectors.department_get(pk=data["parent_id"]) if data["parent_id"] else None
    department = services.department_update(actor=request.auth, department=department, name=data.get("name"),
                                            parent=parent, order=data.get("order"), active=data.get("active"))
    return _department_out(department)


# --- users ------------------------------------------------------------------------------------------

@router.get("/users", response={200: Page[UserOut] | Page[UserName], **ERRORS})
def user_list(request, q: str = "", role: str = "", department: int | None = None,
              pager: Query[PageParams] = None):
    """Everyone gets names of active users; the admin gets full records, inactive ones included."""
    actor = request.auth
    users = selectors.user_list(q=q[:100], role=role, department=department,
                                active=None if actor.is_admin else True)
    page = paginate(users, pager or PageParams())
    if actor.is_admin:
        page["items"] = [user_out(u) for u in page["items"]]
    else:
        page["items"] = [{"id": u.pk, "username": u.username, "display_name": u.display_name or u.username}
                         for u in page["items"]]
    return page


@router.get("/users/{user_id}", response={200: UserOut | UserName, **ERRORS})
def user_detail(request, user_id: int):
    user = selectors.user_get(pk=user_id)
    if request.auth.is_admin or user.pk == request.auth.pk:
        return user_out(user)
    if not user.is_active:
        raise selectors.NotFound()
    return {"id": user.pk, "username": user.username, "display_name": user.display_name or user.username}


@router.post("/users", response={201: UserOut, **ERRORS})
def user_create(request, payload: UserIn):
    services.require_admin(request.auth)
    department = selectors.department_get(pk=payload.department_id) if payload.department_id else None
    user = services.user_create(actor=request.auth, username=payload.username, password=payload.password,
                                display_name=payload.display_name, email=payload.email, phone=payload.phone,
                                department=department, roles=payload.roles)
    return Status(201, user_out(user))


@router.patch("/users/{user_id}", response={200: UserOut, **ERRORS})
@transaction.atomic  # a refused change of the profile keeps the old password (and the user's tokens) too
def user_update(request, user_id: int, payload: UserPatch):
    services.require_admin(request.auth)
    user = selectors.user_get(pk=user_id)
    data = payload.model_dump(exclude_unset=True)
    department = ...
    if "department_id" in data:
        department = selectors.department_get(pk=data["department_id"]) if data["department_id"] else None
    if data.get("password"):
        services.user_set_password(actor=request.auth, user=user, password=data["password"])
    user = services.user_update(actor=request.auth, user=user, display_name=data.get("display_name"),
                                email=data.get("email"), phone=data.get("phone"), department=department,
                                roles=data.get("roles"), is_active=data.get("is_active"))
    return user_out(user)
