"""Error pages in the error format: JSON under /api/, a page elsewhere; a lost database is a 503."""

import sys

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
