"""Schemas every API module shares: the error body and paginated lists."""

from typing import Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class Page(Schema, Generic[T]):
    items: list[T]
    count: int


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


def paginate(queryset, params: PageParams) -> dict:
    """{"items": [...], "count": N} for one page of `queryset`."""
    start = (params.page - 1) * params.page_size
    return {"items": list(queryset[start: start + params.page_size]), "count": queryset.count()}


# Error responses every authenticated endpoint can give.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# One class per shape: OpenAPI names components after the class, so two "Ref"s would overwrite each other.
class NamedRef(Schema):
    id: int
    name: str


class NumberRef(Schema):
    id: int
    number: str


class UserRef(Schema):
    id: int
    username: str
    display_name: str


class TimelineEntryOut(Schema):
    at: str
    actor: UserRef | None
    action: str
    from_status: str
    to_status: str
    comment: str
    changes: dict


def code_ref(labels: dict, table: str, code: str) -> dict | None:
    """{code, label} of a code-table value (labels from `codes.selectors.label_map`); None when empty."""
    return {"code": code, "label": labels.get((table, code), code)} if code else None


def money(value) -> str | None:
    """A Decimal amount as the API writes it: a string with two places."""
    return f"{value:.2f}" if value is not None else None


def user_ref(user) -> dict | None:
    if user is None:
        return None
    return {"id": user.pk, "username": user.username, "display_name": user.display_name or user.username}


def timeline_out(entries) -> list[dict]:
    return [{"at": e.at.isoformat(), "actor": user_ref(e.actor), "action": e.action, "from_status": e.from_status,
             "to_status": e.to_status, "comment": e.comment, "changes": e.changes} for e in entries]
