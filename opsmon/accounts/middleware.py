import time

from django.conf import settings
from django.contrib.auth import logout
from django.utils.functional import SimpleLazyObject

from .viewer import request_scope, viewer_of


class SessionTimeoutMiddleware:
    """Ends a session past its absolute lifetime; the idle timeout is the cookie age itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            started = request.session.get("started_at")
            if started is None:  # a session from before the limit existed: its lifetime counts from now
                request.session["started_at"] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class ViewerMiddleware:
    """Resolves each user's Viewer at most once per request (accounts.viewer); `request.viewer` is the caller's,
    read when first asked (after the API's bearer authentication has set request.user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_scope():
            request.viewer = SimpleLazyObject(lambda: viewer_of(getattr(request, "user", None)))
            return self.get_response(request)
