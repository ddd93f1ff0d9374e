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
