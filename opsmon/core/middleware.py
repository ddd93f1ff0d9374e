import logging

from django.http import JsonResponse
from django.shortcuts import render

from .errors import ApplicationError, Malformed

audit = logging.getLogger("opsmon.audit")


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in querydict.lists())


class ApplicationErrorMiddleware:
    """A service refusal that escapes a web view becomes the error page with its status (404, 409, ...); every
    403 of a page is audited (the API audits its own); input no database can keep is refused with 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET):  # PostgreSQL cannot even compare text with a NUL
            error = Malformed()
            if request.path.startswith("/api/"):
                return JsonResponse(error.as_dict(), status=error.status)
            return render(request, "error.html", {"error": error}, status=error.status)
        response = self.get_response(request)
        if response.status_code == 403 and not request.path.startswith("/api/"):
            audit.warning("refused user=%s %s %s", getattr(getattr(request, "user", None), "username", "?") or "-",
                          request.method, request.path)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, OverflowError):  # e.g. ?owner=10**20 on SQLite, which binds only 64-bit integers
            exception = Malformed()
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None
