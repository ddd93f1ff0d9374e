"""Fixtures every test may use: the demo organisation, users by name, HTTP clients on a live server."""

import re
from importlib import import_module

import pytest
import requests

from opsmon.accounts import demo
from opsmon.accounts.models import User


def ensure_reference_data():
    """Roles and code tables come from data migrations; transactional tests (live server, threads, the
    browser) flush the database afterwards, so the next one seeds them again here."""
    from django.apps import apps
    from django.contrib.auth.models import Group

    from opsmon.codes.models import CodeTable

    if Group.objects.exists() and CodeTable.objects.exists():
        return
    import_module("opsmon.accounts.migrations.0002_roles").create_roles(apps, None)
    import_module("opsmon.accounts.migrations.0003_finance_integration_roles").create_roles(apps, None)
    import_module("opsmon.accounts.migrations.0004_executive_procurement_roles").create_roles(apps, None)
    import_module("opsmon.codes.migrations.0002_seed").seed(apps, None)
    import_module("opsmon.codes.migrations.0003_close_reason_lost_bid").add(apps, None)
    import_module("opsmon.resources.migrations.0002_seed_review_routes").seed(apps, None)
    import_module("opsmon.procurement.migrations.0002_seed_review_routes").seed(apps, None)
    import_module("opsmon.suppliers.migrations.0002_seed_procurement_codes").seed(apps, None)


@pytest.fixture(autouse=True)
def _fresh_process_copies():
    """Each test starts without the process's cached copies (core.versions): the test before may have edited
    code labels in a transaction that was rolled back, which bumps nothing."""
    from opsmon.core import versions
    versions.forget()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request with Accept-Language: en leaves English active in the
    thread (LocaleMiddleware activates, nothing deactivates), and a later test's messages would be English."""
    from django.conf import settings
    from django.utils import translation
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def org(db):
    """The demo departments and users; returns {username: User}."""
    ensure_reference_data()
    demo.load()
    return {u.username: u for u in User.objects.select_related("department")}


@pytest.fixture
def browser(client, org):
    """browser("rep1"): Django's test client logged in as that demo user (for page tests)."""
    def login(username):
        client.force_login(org[username])
        return client
    return login


@pytest.fixture
def users(org):
    return org


class Http:
    """A real HTTP client against the live server, as a browser or an API client would talk to it."""

    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.session = requests.Session()
        self.token: str | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def _headers(self, headers=None, csrf=True):
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        csrftoken = self.session.cookies.get("csrftoken")
        if csrf and csrftoken:
            headers["X-CSRFToken"] = csrftoken
            headers["Referer"] = self.base + "/"
        return headers

    def request(self, method, path, *, csrf=True, headers=None, **kwargs):
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.url(path), headers=self._headers(headers, csrf), **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    def login_token(self, username: str, password: str = demo.PASSWORD) -> "Http":
        response = self.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        self.token = response.json()["token"]
        return self

    def login_session(self, username: str, password: str = demo.PASSWORD) -> requests.Response:
        page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.post("/login/", data={"username": username, "password": password,
                                          "csrfmiddlewaretoken": token}, headers={"Referer": self.base + "/login/"})


@pytest.fixture
def http(live_server, org):
    """Make clients: http() anonymous, http("rep1") with a bearer token."""
    def make(username: str | None = None) -> Http:
        client = Http(live_server.url)
        return client.login_token(username) if username else client
    return make
