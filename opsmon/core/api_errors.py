"""Turns every refusal into the API error format of ARCHITECTURE.md; refuses input no database can keep."""

import json
import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from .errors import ApplicationError, Invalid, Malformed, NotAuthenticated, NotFound, PermissionDenied, TooLarge

audit = logging.getLogger("opsmon.audit")

_HTTP_CODES = {400: Malformed, 401: NotAuthenticated, 403: PermissionDenied, 404: NotFound}


def has_nul(data) -> bool:
    """Whether a parsed JSON value, or a QueryDict, holds a NUL character (PostgreSQL text cannot)."""
    if isinstance(data, str):
        return "\x00" in data
    if isinstance(data, dict):
        return any(has_nul(k) or has_nul(v) for k, v in data.items())
    if isinstance(data, list):
        return any(has_nul(v) for v in data)
    if hasattr(data, "lists"):  # QueryDict
        return any(has_nul(k) or has_nul(v) for k, v in data.lists())
    return False


def _constant(name: str):  # NaN, Infinity, -Infinity: Python's json reads them, JSON has no such thing
    raise ValueError(f"{name} is not JSON")


class SafeParser(Parser):
    """A JSON object without NaN/Infinity or NUL characters; form and query data without NUL. The body's refusals
    become ninja's 400, the others Malformed (400). Numbers too large for their field are the schemas' and the
    services' 422; one that reaches SQLite beyond 64 bits is the OverflowError handler's 400 below."""

    def parse_body(self, request):
        data = json.loads(request.body, parse_constant=_constant)
        if not isinstance(data, dict):  # every body is an object; ninja would read a list as one with no fields
            raise ValueError("a JSON object is expected")
        if has_nul(data):
            raise ValueError("NUL character")
        return data

    def parse_querydict(self, data, list_fields, request):
        if has_nul(data):
            raise Malformed()
        return super().parse_querydict(data, list_fields, request)


def body_too_large() -> TooLarge:
    """413 for a request body over DATA_UPLOAD_MAX_MEMORY_SIZE (API_BODY_MAX_BYTES), instead of Django's 400."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return TooLarge(_("The request body is larger than %(n)s bytes.") % {"n": f"{limit:,}"}, code="body_too_large")


_WHERE = ("body", "query", "path", "form", "file")
_PARAMS = ("payload", "data", "params", "filters")


def _field_name(loc) -> str:
    # ninja reports ("body", "payload", "title"); users care about "title". Only the leading location and
    # parameter name are dropped, so a field that is itself called "path" or "data" keeps its name.
    parts = [str(p) for p in loc]
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    if parts and parts[0] in _PARAMS:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def install(api: NinjaAPI) -> None:
    def respond(request, error: ApplicationError):
        if error.status == 403:
            audit.warning("refused user=%s %s %s", getattr(request.user, "username", "?"),
                          request.method, request.path)
        return api.create_response(request, error.as_dict(), status=error.status)

    @api.exception_handler(ApplicationError)
    def application_error(request, exc: ApplicationError):
        return respond(request, exc)

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            message = _("Unknown field.") if err.get("type") == "extra_forbidden" else err.get("msg", _("invalid"))
            fields.setdefault(_field_name(err.get("loc", ())), []).append(message)
        return respond(request, Invalid(fields=fields))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return respond(request, NotAuthenticated())

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, RequestDataTooBig):  # ninja wraps the body's refusal in a 400
            return respond(request, body_too_large())
        if exc.status_code == 403 and "csrf" in str(exc).lower():
            return respond(request, PermissionDenied(_("CSRF check failed."), code="csrf_failed"))
        cls = _HTTP_CODES.get(exc.status_code)
        if cls is None:
            error = ApplicationError(str(exc), code=f"http_{exc.status_code}")
            error.status = exc.status_code
            return respond(request, error)
        return respond(request, cls())

    @api.exception_handler(RequestDataTooBig)
    def body_too_big(request, exc):
        return respond(request, body_too_large())

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, NotFound())

    @api.exception_handler(OverflowError)
    def overflow(request, exc):  # e.g. ?owner=10**20 on SQLite, which binds only 64-bit integers
        return respond(request, Malformed())
