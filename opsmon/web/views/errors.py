"""Error pages in the error format: JSON under /api/, a page elsewhere; a lost database is a 503."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from opsmon.core.errors import ApplicationError, Malformed, NotFound, PermissionDenied, Unavailable


def _answer(request, error: ApplicationError):
    if request.path.startswith("/api/"):
        return JsonResponse(error.as_dict(), status=error.status)
    if error.status == 503:  # no request context: it would ask the lost database for the user
        return HttpResponse(render_to_string("unavailable.html", {"error": error}), status=503)
    return render(request, "error.html", {"error": error}, status=error.status)


def bad_request(request, exception=None):
    return _answer(request, Malformed())


def forbidden(request, exception=None):
    return _answer(request, PermissionDenied())


def not_found(request, exception=None):
    return _answer(request, NotFound(_("The page or record does not exist, or you may not see it.")))


def server_error(request):
    exc = sys.exc_info()[1]
    # Only a database that cannot be reached is "unavailable"; an IntegrityError or DataError is our bug: 500.
    if isinstance(exc, OperationalError | InterfaceError):
        return _answer(request, Unavailable())
    error = ApplicationError(_("Something went wrong on our side; it has been logged."), code="server_error")
    error.status = 500
    return _answer(request, error)


def csrf_failure(request, reason=""):
    return _answer(request, PermissionDenied(_("The form expired or was sent from elsewhere; reload the page."),
                                             code="csrf_failed"))


# Django's own pages for a 400/403/404 while DEBUG is on (the technical "Page not found" listing the URL patterns)
# carry this robots tag; ours never do.
TECHNICAL_PAGE = b'<meta name="robots" content="NONE,NOARCHIVE">'
HANDLERS = {400: bad_request, 403: forbidden, 404: not_found}


class ErrorPagesInDebugMiddleware:
    """With DEBUG on (development), Django answers an unknown address or a refused page with its technical page,
    in English whatever the user's language. This puts the user's error page, in his language, in its place, so
    development shows what production shows (a 500 keeps Django's traceback: that one is for the developer)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        handler = HANDLERS.get(response.status_code)
        if handler is None or not settings.DEBUG or getattr(response, "streaming", False):
            return response
        if TECHNICAL_PAGE not in response.content:
            return response
        return handler(request)
