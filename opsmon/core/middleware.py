from django.shortcuts import render

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    """A service refusal that escapes a web view becomes the error page with its status (404, 409, ...)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, ApplicationError) and not request.path.startswith("/api/"):
            return render(request, "error.html", {"error": exception}, status=exception.status)
        return None
