"""API authentication: a bearer token, or the browser's session with its CSRF token."""

from ninja.security import HttpBearer, SessionAuth

from opsmon.core.errors import NotAuthenticated

from . import services


class BearerAuth(HttpBearer):
    def authenticate(self, request, token):
        try:
            user = services.token_user(token)
        except NotAuthenticated:
            raise  # a wrong token is a 401 even when a session cookie is also sent
        request.user = user
        request.api_token = token
        return user


class ActiveSessionAuth(SessionAuth):
    """The session user, if still active; ninja checks CSRF on unsafe methods before this runs."""

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


api_auth = [BearerAuth(), ActiveSessionAuth()]
