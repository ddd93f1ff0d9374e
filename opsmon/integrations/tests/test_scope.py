"""An integration account's token reaches only the outside system's routes (IntegrationScopeMiddleware): the
records every signed-in person reads (customers, users, codes) are 403 to it."""

import pytest
from django.conf import settings
from django.test import override_settings

from opsmon.accounts.services import token_issue, token_user

from .factories import account, token

pytestmark = pytest.mark.django_db
SCOPE = "opsmon.integrations.middleware.IntegrationScopeMiddleware"


@pytest.fixture
def api(client):
    middleware = settings.MIDDLEWARE if SCOPE in settings.MIDDLEWARE else [*settings.MIDDLEWARE, SCOPE]
    with override_settings(MIDDLEWARE=middleware):
        yield lambda method, path, key, **kw: getattr(client, method)(
            path, HTTP_AUTHORIZATION=f"Bearer {key}", content_type="application/json", **kw)


def test_the_token_is_marked_and_authenticates(org):
    pms = account(org)
    key = token(org, pms)
    assert key.startswith("oi_") and token_user(key) == pms.user


@pytest.mark.parametrize("path", ["/api/v1/customers", "/api/v1/users", "/api/v1/codes/industry",
                                  "/api/v1/departments", "/api/v1/projects", "/api/v1/ui/resources"])
def test_everything_but_the_status_route_is_403(org, api, path):
    key = token(org, account(org))
    response = api("get", path, key)
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"


def test_the_outside_system_s_routes_pass(org, api):
    key = token(org, account(org))
    assert api("get", "/api/v1/me", key).json()["roles"] == ["integration"]
    refused = api("post", "/api/v1/integrations/project-status", key, data={
        "project_number": "LX-2026-999999", "event": "halted", "at": "2026-01-01T10:00:00+08:00",
        "idempotency_key": "s"})
    assert refused.status_code == 404  # past the middleware: no such project handed to it


def test_people_s_tokens_are_not_confined(org, api):
    key, _token = token_issue(user=org["rep1"])
    assert api("get", "/api/v1/customers", key).status_code == 200
