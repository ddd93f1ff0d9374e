"""Turns every refusal into the API error format of ARCHITECTURE.md."""

import logging

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .errors import ApplicationError, Invalid, Malformed, NotAuthenticated, NotFound, PermissionDenied

audit = logging.getLogger("opsmon.audit")

_HTTP_CODES = {400: Malformed, 401: NotAuthenticated, 403: PermissionDenied, 404: NotFound}


def _field_name(loc) -> str:
    # ninja reports ("body", "payload", "title"); users care about "title".
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form", "file", "payload", "data")]
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
            fields.setdefault(_field_name(err.get("loc", ())), []).append(err.get("msg", _("invalid")))
        return respond(request, Invalid(fields=fields))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request, exc):
        return respond(request, NotAuthenticated())

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403 and "csrf" in str(exc).lower():
            return respond(request, PermissionDenied(_("CSRF check failed."), code="csrf_failed"))
        cls = _HTTP_CODES.get(exc.status_code)
        if cls is None:
            error = ApplicationError(str(exc), code=f"http_{exc.status_code}")
            error.status = exc.status_code
            return respond(request, error)
        return respond(request, cls())

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, NotFound())
