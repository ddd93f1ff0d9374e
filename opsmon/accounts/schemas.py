from datetime import datetime

from ninja import Schema
from pydantic import Field

from opsmon.core.schemas import In
from opsmon.core.schemas import NamedRef as DepartmentRef


class TokenIn(In):
    username: str = Field(max_length=150)
    password: str = Field(max_length=256)


class TokenOut(Schema):
    token: str
    expires_at: datetime


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    roles: list[str]
    department: DepartmentRef | None


class DepartmentOut(Schema):
    id: int
    name: str
    parent_id: int | None
    order: int
    active: bool
    depth: int


class DepartmentIn(In):
    name: str = Field(min_length=1, max_length=100)
    parent_id: int | None = None
    order: int = Field(0, ge=0, le=1_000_000)


class DepartmentPatch(In):
    name: str | None = Field(None, min_length=1, max_length=100)
    parent_id: int | None = None
    order: int | None = Field(None, ge=0, le=1_000_000)
    active: bool | None = None


class UserName(Schema):
    """What every user may see of another."""

    id: int
    username: str
    display_name: str


class UserOut(UserName):
    email: str
    phone: str
    is_active: bool
    roles: list[str]
    department: DepartmentRef | None


class UserIn(In):
    username: str = Field(min_length=1, max_length=150, pattern=r"^[\w.@+-]+$")
    password: str = Field(min_length=1, max_length=256)
    display_name: str = Field("", max_length=100)
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=32)
    department_id: int | None = None
    roles: list[str] = []


class UserPatch(In):
    display_name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=32)
    department_id: int | None = None
    roles: list[str] | None = None
    is_active: bool | None = None
    password: str | None = Field(None, min_length=1, max_length=256)


def user_out(user) -> dict:
    return {
        "id": user.pk, "username": user.username, "display_name": user.display_name or user.username,
        "email": user.email, "phone": user.phone, "is_active": user.is_active,
        "roles": sorted(user.roles),
        "department": {"id": user.department_id, "name": user.department.name} if user.department_id else None,
    }
