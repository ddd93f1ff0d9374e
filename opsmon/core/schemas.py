"""Schemas every API module shares: the error body and paginated lists."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from . import events, text
from .money import parse_amount
from .paging import capped_count, page_rows
from .workflow import date_problem

T = TypeVar("T")


class Out(BaseModel):
    """Base of answer shapes that lists repeat per row. ninja's Schema wraps every nested object in a getter
    that resolves Django attributes, about 10 ms for a page of 50 opportunities; pydantic reads attributes
    (from_attributes) and dicts natively. Request bodies stay ninja Schemas."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True)


class In(Schema):
    """Base of every request body: a field the schema does not know is a 422 naming it (api_errors), never
    silently dropped, so a misspelt field in a client's body is not lost without a word."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _checked(cls, value, info):
        """Every text of a body passes core.text (control, bidi, only-invisible characters refused; NFC), every
        date core.workflow's bound (none after LAST_YEAR): a 422 naming the field, as a service would answer.
        Secrets (passwords, tokens) are compared byte for byte, never normalised."""
        if any(word in (info.field_name or "") for word in SECRET_FIELDS):
            return value
        return _check_value(value)


SECRET_FIELDS = ("password", "secret", "token")


def _refused(reason: str) -> PydanticCustomError:
    return PydanticCustomError("refused_text", reason)


def _check_value(value):
    if isinstance(value, str):
        reason = text.problem(value)
        if reason:
            raise _refused(reason)
        return text.clean(value)
    if isinstance(value, date) and (reason := date_problem(value)):
        raise _refused(reason)
    if isinstance(value, list):
        return [_check_value(v) for v in value]
    if isinstance(value, dict):
        return {_check_value(k) if isinstance(k, str) else k: _check_value(v) for k, v in value.items()}
    return value


def _amount(value):
    """A query amount parsed like every amount (core.money.parse_amount: commas allowed, never float); an empty
    one is no filter. A refusal is a 422 naming the parameter."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        return parse_amount(value)
    except ValueError as exc:
        raise ValueError(str(exc)) from None


Amount = Annotated[Decimal | None, BeforeValidator(_amount)]


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class Page(Out, Generic[T]):
    items: list[T]
    count: int = Field(description="Rows matching the filters, counted exactly up to 10,000 (see count_exact).")
    count_exact: bool = Field(True, description="False when more than 10,000 rows match: `count` is then 10,000 "
                                                "and the pages go on until one comes back short.")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=1_000_000)
    page_size: int = Field(50, ge=1, le=200)


def paginate(queryset, params: PageParams, counted: tuple[int, bool] | None = None, rows=None) -> dict:
    """{"items": [...], "count": N, "count_exact": bool} for one page of `queryset` (core.paging); `counted` is a
    (count, exact) and `rows(ids)` the rows of the page, when the caller gets them more cheaply."""
    start = (params.page - 1) * params.page_size
    count, exact = counted or capped_count(queryset)
    items = page_rows(queryset, start, start + params.page_size, rows=rows)
    return {"items": items, "count": count, "count_exact": exact}


# Error responses every authenticated endpoint can give.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class JobAccepted(Schema):
    """202 of long work (core.jobs): poll `GET /api/v1/jobs/{job_id}` (`url`) until `status` is done or failed."""

    job_id: int
    status: str
    url: str


def job_accepted(job) -> dict:
    return {"job_id": job.pk, "status": job.status, "url": f"/api/v1/jobs/{job.pk}"}


# One class per shape: OpenAPI names components after the class, so two "Ref"s would overwrite each other.
class NamedRef(Out):
    id: int
    name: str


class NumberRef(Out):
    id: int
    number: str


class UserRef(Out):
    id: int
    username: str
    display_name: str


class TimelineEntryOut(Schema):
    at: str
    actor: UserRef | None
    action: str
    action_label: str = Field(description="The action's label in the caller's language (core.events).")
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
    return user_values(user.pk, user.username, user.display_name)


def user_values(pk: int, username: str, display_name: str) -> dict:
    """A UserRef from the columns (lists that read values rather than users)."""
    return {"id": pk, "username": username, "display_name": display_name or username}


def timeline_out(entries) -> list[dict]:
    return [{"at": e.at.isoformat(), "actor": user_ref(e.actor), "action": e.action,
             "action_label": events.label(e.action), "from_status": e.from_status,
             "to_status": e.to_status, "comment": e.comment, "changes": e.changes} for e in entries]


def inline_schema(model) -> dict:
    """The JSON schema of `model` with its $defs written in place: for a body read by hand (JSON or multipart), which
    ninja does not add to the document's components, so a $ref to it would not resolve."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            if ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node
    return walk(schema)
