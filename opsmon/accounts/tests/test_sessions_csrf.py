"""Sessions and CSRF over real HTTP: every mutating API route refuses a session without its CSRF token, no GET
changes anything, login rotates the session id, logout/deactivation/password change end sessions and tokens,
and the idle and absolute timeouts hold (tested by moving the session's clock, not by sleeping)."""

import json
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from opsmon.core.models import TimelineEntry
from opsmon.core.tests import world

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MUTATING = ("post", "put", "patch", "delete")
# Routes a session cannot use at all, so they need no CSRF check: the login itself (it answers a token in its
# body, sets no cookie) and its revocation, which takes the bearer token only.
NO_SESSION = {("post", "/api/v1/auth/token"), ("delete", "/api/v1/auth/token")}


def resolve(schema, components):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def example(schema, components, depth=0):
    """A plausible value for a JSON schema: required properties filled by type, so a body can get past parsing."""
    schema = resolve(schema, components)
    if "anyOf" in schema:
        schema = resolve(next((s for s in schema["anyOf"] if s.get("type") != "null"), schema["anyOf"][0]),
                         components)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {name: example(props[name], components, depth + 1) for name in schema.get("required", [])
                if name in props and depth < 4}
    if kind == "array":
        return []
    if kind == "integer":
        return 1
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return timezone.localdate().isoformat()
    if schema.get("format") == "date-time":
        return timezone.now().isoformat()
    return "示例"


def request_kwargs(operation, components) -> dict:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return {"data": json.dumps(example(content["application/json"]["schema"], components)),
                "content_type": "application/json"}
    if "multipart/form-data" in content:
        props = resolve(content["multipart/form-data"]["schema"], components).get("properties", {})
        data = {n: SimpleUploadedFile("合同.pdf", PDF, content_type="application/pdf") if p.get("format") == "binary"
                else "tender" if n == "kind" else timezone.localdate().isoformat() if "on" in n.split("_") else "x"
                for n, p in props.items()}
        return {"data": data}
    return {}


def mutating_routes(schema):
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in MUTATING:
                yield method, path, operation, components


def send(client, method, url, operation, components, **extra):
    kwargs = request_kwargs(operation, components)  # fresh: an uploaded file is read once
    return getattr(client, method)(url, **kwargs, **extra)


def error_code(response):
    try:
        return response.json().get("error", {}).get("code")
    except ValueError:
        return None


@pytest.fixture
def session_client(org):
    """A browser-like test client logged in with a session, which checks CSRF like a real browser request."""
    def make(username):
        client = Client(enforce_csrf_checks=True)
        client.force_login(org[username])
        client.get("/")  # the page sets the csrftoken cookie
        return client
    return make


@pytest.mark.django_db(transaction=False)
def test_every_mutating_api_route_refuses_a_session_without_the_csrf_token(org, session_client):
    ids = world.build(org)
    browser = session_client("admin")
    routes = list(mutating_routes(browser.get("/api/v1/openapi.json").json()))
    assert len(routes) > 40  # the sweep sees the whole API, not a part of it
    before, timeline_before = world.snapshot(), TimelineEntry.objects.count()
    unprotected = []
    for method, path, operation, components in routes:
        url = world.fill(path, ids)
        response = send(browser, method, url, operation, components)
        if (method, path) in NO_SESSION:
            assert response.status_code in (401, 422), (method, path, response.status_code)
        elif response.status_code != 403 or error_code(response) != "csrf_failed":
            unprotected.append((method, url, response.status_code, response.content[:200]))
    assert unprotected == []
    assert world.diff(before, world.snapshot()) == {}
    assert TimelineEntry.objects.count() == timeline_before
    # with the token every route gets past the CSRF check to its own answer
    token = browser.cookies[settings.CSRF_COOKIE_NAME].value
    for method, path, operation, components in routes:
        if (method, path) in NO_SESSION:
            continue
        response = send(browser, method, world.fill(path, ids), operation, components, HTTP_X_CSRFTOKEN=token)
        assert response.status_code < 500, (method, path, response.content[:300])
        assert error_code(response) != "csrf_failed", (method, path)


def test_the_same_write_passes_with_the_token_over_http_and_a_bearer_needs_none(http, org):
    browser = http()
    browser.login_session("admin")
    refused = browser.post("/api/v1/departments", json={"name": "无令牌的部门"}, csrf=False)
    assert refused.status_code == 403 and error_code(refused) == "csrf_failed"
    created = browser.post("/api/v1/departments", json={"name": "有令牌的部门"})
    assert created.status_code == 201, created.text
    client = http("admin")  # bearer tokens are not ambient credentials: no CSRF token needed
    assert client.post("/api/v1/departments", json={"name": "令牌部门"}, csrf=False).status_code == 201


def web_paths(ids):
    """Every web URL pattern (the API is swept apart) with its parameters filled from `ids`."""
    by_prefix = {"opportunities": "opportunity_id", "customers": "customer_id", "projects": "project_id",
                 "bids/documents": "doc_id", "bids": "bid_id", "bonds": "bond_id",
                 "contracts/attachments": "attachment_id", "contracts": "signed_contract_id",
                 "admin/review-routes": "route_id", "notifications": "notification_id", "admin/users": "user_id",
                 "admin/departments": "department_id", "admin/webhooks": "endpoint_id",
                 "opportunities/import": "job_id"}
    prefixes = sorted(by_prefix.items(), key=lambda kv: -len(kv[0]))

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("api/"):
                    continue
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    for pattern in walk(get_resolver().url_patterns):
        key = next((ids[v] for k, v in prefixes if pattern.startswith(k + "/")), 1)
        path = pattern.replace("<int:pk>", str(key)).replace("<int:step_id>", str(ids["step_id"]))
        path = path.replace("<slug:table>", ids["table"]).replace("<str:code>", ids["code"])
        path = path.replace("<slug:stage>", ids["stage"])
        yield "/" + path


@pytest.mark.django_db(transaction=False)
def test_no_web_view_is_exempt_from_csrf_and_a_form_post_without_the_token_is_refused(org):
    exempt = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if not str(p.pattern).startswith("api/"):
                    walk(p.url_patterns, prefix + str(p.pattern))
            elif getattr(p.callback, "csrf_exempt", False):
                exempt.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    assert exempt == []
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(org["admin"])
    for path in ("/admin/departments/new/", "/logout/", "/i18n/setlang/", "/notifications/read-all/"):
        assert browser.post(path, {"name": "x", "language": "en"}).status_code == 403, path
    assert browser.get("/").status_code == 200  # still logged in: the logout was refused


@pytest.mark.django_db(transaction=False)
def test_no_get_changes_anything(org, session_client):
    """Every GET route of the API and every web page, as the admin (who reaches the most): not one row changes."""
    ids = world.build(org)
    browser = session_client("admin")
    schema = browser.get("/api/v1/openapi.json").json()
    api_paths = [world.fill(path, ids) for path, ops in schema["paths"].items() if "get" in ops]
    before = world.snapshot()
    answers = {}
    for url in api_paths + list(web_paths(ids)):
        response = browser.get(url)
        answers[url] = response.status_code
        assert response.status_code < 500, (url, response.content[:300])
        if not response.streaming:  # nor does any answer show a secret or a password hash, even to the admin
            assert world.WEBHOOK_SECRET.encode() not in response.content and b"argon2$" not in response.content
    assert world.diff(before, world.snapshot()) == {}
    assert sum(1 for code in answers.values() if code == 200) > 30, answers


def session_key(client):
    return client.session.cookies.get(settings.SESSION_COOKIE_NAME)


@pytest.mark.django_db(transaction=False)
def test_login_issues_a_new_session_id_and_drops_the_planted_one(client, org):
    """An attacker who made a session and planted its cookie in the victim's browser gains nothing by the login."""
    planted = SessionStore()
    planted["note"] = "from the attacker"
    planted.create()
    client.cookies[settings.SESSION_COOKIE_NAME] = planted.session_key
    response = client.post("/login/", {"username": "rep1", "password": "opsmon-demo"})
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert key != planted.session_key
    assert not SessionStore().exists(planted.session_key)
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(org["rep1"].pk)


def test_logout_ends_the_session_for_good(http, org):
    browser = http()
    browser.login_session("rep1")
    key = session_key(browser)
    stolen = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={key}"}  # someone who copied the cookie
    assert http().get("/api/v1/me", headers=stolen).status_code == 200
    assert browser.post("/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert http().get("/api/v1/me", headers=stolen).status_code == 401
    assert http().get("/", headers=stolen).status_code == 302


def test_deactivation_ends_every_session_and_revokes_every_token(http, org):
    browser, api = http(), http("rep1b")
    browser.login_session("rep1b")
    key = session_key(browser)
    assert browser.get("/api/v1/me").json()["username"] == "rep1b"
    admin = http("admin")
    assert admin.patch(f"/api/v1/users/{org['rep1b'].pk}", json={"is_active": False}).status_code == 200
    assert not Session.objects.filter(session_key=key).exists()
    assert browser.get("/").status_code == 302
    assert browser.get("/api/v1/me").status_code in (401, 403)
    assert api.get("/api/v1/me").status_code == 401


def test_a_password_change_ends_other_sessions_and_revokes_tokens(http, org):
    browser, api = http(), http("rep2")
    browser.login_session("rep2")
    assert browser.get("/").status_code == 200
    admin = http("admin")
    response = admin.patch(f"/api/v1/users/{org['rep2'].pk}", json={"password": "Brand-new-passphrase-42"})
    assert response.status_code == 200, response.text
    assert browser.get("/").status_code == 302  # the session's password hash no longer matches
    assert api.get("/api/v1/me").status_code == 401


def test_the_idle_timeout_ends_a_quiet_session_and_activity_extends_it(http, org):
    browser = http()
    browser.login_session("rep1")
    key = session_key(browser)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() + timedelta(seconds=30))
    assert browser.get("/").status_code == 200  # activity within the idle time ...
    renewed = Session.objects.get(session_key=key).expire_date
    assert renewed > timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)  # ... renews it
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert browser.get("/").status_code == 302
    assert browser.get("/api/v1/me").status_code in (401, 403)


def age_session(key, seconds):
    session = Session.objects.get(session_key=key)
    data = session.get_decoded()
    data["started_at"] = int(time.time()) - seconds
    Session.objects.filter(session_key=key).update(session_data=Session.objects.encode(data))


def test_the_absolute_timeout_ends_even_a_busy_session(http, org):
    browser = http()
    browser.login_session("rep1")
    key = session_key(browser)
    age_session(key, settings.SESSION_ABSOLUTE_SECONDS - 60)
    assert browser.get("/").status_code == 200
    assert browser.get("/api/v1/me").status_code == 200
    age_session(key, settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert browser.get("/api/v1/me").status_code in (401, 403)
    assert browser.get("/").status_code == 302


def test_a_session_without_a_start_time_gets_one_and_then_ages(http, org):
    browser = http()
    browser.login_session("rep1")
    key = session_key(browser)
    session = Session.objects.get(session_key=key)
    data = session.get_decoded()
    data.pop("started_at")
    Session.objects.filter(session_key=key).update(session_data=Session.objects.encode(data))
    assert browser.get("/").status_code == 200
    assert "started_at" in Session.objects.get(session_key=key).get_decoded()
    age_session(key, settings.SESSION_ABSOLUTE_SECONDS + 1)
    assert browser.get("/").status_code == 302


def test_session_cookie_is_http_only_and_same_site(http, org):
    browser = http()
    page = browser.get("/login/")
    token = page.text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post("/login/", data={"username": "rep1", "password": "opsmon-demo",
                                             "csrfmiddlewaretoken": token},
                            headers={"Referer": browser.base + "/login/"})
    header = response.headers["Set-Cookie"].lower()
    assert "sessionid=" in header and "httponly" in header and "samesite=lax" in header
