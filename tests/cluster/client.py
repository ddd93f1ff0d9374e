"""HTTP clients of the cluster test: through nginx (TLS, keep-alive), from a chosen loopback address, every request
recorded (route, status, seconds, the node that answered)."""

import re
import threading
import time
from dataclasses import dataclass

import requests
import urllib3
from requests.adapters import HTTPAdapter

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # our own throwaway certificate

PASSWORD = "opsmon-demo"


@dataclass
class Record:
    phase: str
    route: str
    status: int | str
    seconds: float
    upstream: str
    started: float


class Recorder:
    def __init__(self):
        self.records: list[Record] = []
        self.lock = threading.Lock()
        self.phase = "setup"

    def add(self, record: Record) -> None:
        with self.lock:
            self.records.append(record)


RECORDER = Recorder()
_NUMBER = re.compile(r"/\d+(?=/|$)")


def route_of(method: str, path: str) -> str:
    return f"{method} {_NUMBER.sub('/{id}', path.split('?', 1)[0])}"


class _SourceAdapter(HTTPAdapter):
    """Connections from a given loopback address (127.0.0.0/8 is all ours): nginx sees a different client."""

    def __init__(self, source: str, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


class Client:
    """One user agent: a requests session (cookies, keep-alive) against nginx; `token` for bearer API calls."""

    def __init__(self, base: str, *, source: str = "127.0.0.1", token: str | None = None, phase: str | None = None):
        self.base = base
        self.session = requests.Session()
        self.session.verify = False
        self.session.mount("https://", _SourceAdapter(source, pool_maxsize=4))
        self.token = token
        self.phase = phase
        self.upstreams: list[str] = []

    # -- raw
    def request(self, method: str, path: str, *, headers: dict | None = None, record: bool = True,
                **kwargs) -> requests.Response:
        headers = dict(headers or {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        csrf = self.session.cookies.get("csrftoken")
        if method not in ("GET", "HEAD") and csrf and not self.token:
            headers.setdefault("X-CSRFToken", csrf)
            headers.setdefault("Referer", self.base + path)
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("verify", False)  # per request: REQUESTS_CA_BUNDLE in the environment beats session.verify
        started = time.monotonic()
        try:
            response = self.session.request(method, self.base + path, headers=headers, **kwargs)
        except requests.RequestException as exc:
            if record:
                RECORDER.add(Record(self.phase or RECORDER.phase, route_of(method, path), type(exc).__name__,
                                    time.monotonic() - started, "", started))
            raise
        upstream = response.headers.get("X-Upstream", "")
        self.upstreams.append(upstream)
        if record:
            RECORDER.add(Record(self.phase or RECORDER.phase, route_of(method, path), response.status_code,
                                time.monotonic() - started, upstream, started))
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    # -- log in
    def form_token(self, path: str = "/login/") -> str:
        page = self.get(path)
        assert page.status_code == 200, (path, page.status_code, page.text[:300])
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def login_form(self, username: str, password: str = PASSWORD, token: str | None = None,
                   headers: dict | None = None) -> requests.Response:
        token = token or self.form_token()
        return self.post("/login/", data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                         headers={"Referer": self.base + "/login/", **(headers or {})})

    def browser(self, username: str) -> "Client":
        response = self.login_form(username)
        assert response.status_code == 302, (username, response.status_code, response.text[-500:])
        assert self.session.cookies.get("sessionid")
        return self

    def api_login(self, username: str) -> "Client":
        response = self.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, (username, response.status_code, response.text)
        self.token = response.json()["token"]
        return self

    def ok(self, method: str, path: str, expect: int | tuple = 200, **kwargs) -> requests.Response:
        response = self.request(method, path, **kwargs)
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert response.status_code in expected, (method, path, response.status_code, response.text[:500])
        return response
