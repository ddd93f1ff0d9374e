"""An integration account's token reaches only what an outside system needs: reporting project status, reading
who it is, revoking its token. Everything else (the customer master data, the user and code lists every signed-in
person reads) answers 403, so the account sees no record but the projects handed to it.

Its tokens start with TOKEN_PREFIX (services.account_token_issue), so the check reads no database: an account has no
password (it cannot get another kind of token) and no session. Listed in settings.MIDDLEWARE after the
authentication middleware."""

from django.http import JsonResponse
from django.utils.translation import gettext as _

TOKEN_PREFIX = "oi_"
ALLOWED = frozenset({("POST", "/api/v1/integrations/project-status"), ("GET", "/api/v1/me"),
                     ("DELETE", "/api/v1/auth/token")})


def confined(request) -> bool:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, key = header.partition(" ")
    return scheme.lower() == "bearer" and key.strip().startswith(TOKEN_PREFIX)


class IntegrationScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if confined(request) and (request.method, request.path) not in ALLOWED:
            return JsonResponse({"error": {"code": "permission_denied", "fields": {},
                                           "message": _("An integration account only reports project status.")}},
                                status=403)
        return self.get_response(request)
