"""HTTP to the server's /api/v1: bearer token, the caller's language, the API's error format, and the two faults a
desktop client must live with: the server unreachable (Offline) and the token expired (401 → log in again and
send the same request once more)."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

import httpx

from . import i18n


@dataclass
class ApiError(Exception):
    """A refusal in the API's format: {"error": {"code", "message", "fields"}}."""

    status: int
    code: str
    message: str
    fields: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_response(cls, response: httpx.Response) -> "ApiError":
        try:
            error = response.json().get("error") or {}
        except (ValueError, AttributeError):
            error = {}
        fields = error.get("fields") if isinstance(error.get("fields"), dict) else {}
        return cls(response.status_code, str(error.get("code") or f"http_{response.status_code}"),
                   str(error.get("message") or response.reason_phrase or response.status_code), fields)


class Offline(Exception):
    """The server could not be reached (down, restarting, or the network gone)."""


class Api:
    def __init__(self, server: str, *, language: str = "zh-hans", token: str | None = None, timeout: float = 15.0,
                 connect_timeout: float = 3.0):
        self.server = server.rstrip("/")
        self.language = language
        self.token = token
        self.http = httpx.Client(base_url=self.server + "/api/v1",
                                 timeout=httpx.Timeout(timeout, connect=connect_timeout), follow_redirects=False)
        self.online = True
        self.listeners: list[Callable[[bool], None]] = []
        # Called on a 401 while logged in; answers True once a new token is set (the request is then sent again).
        self.reauthenticate: Callable[[], bool] | None = None

    def close(self) -> None:
        self.http.close()

    def _set_online(self, online: bool) -> None:
        if online != self.online:
            self.online = online
            for listener in list(self.listeners):
                listener(online)

    def _headers(self) -> dict:
        headers = {"Accept-Language": self.language, "Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def send(self, method: str, path: str, *, json=None, params=None, data=None, files=None,
             retry_auth: bool = True) -> httpx.Response:
        """The raw response of a successful request; ApiError for a refusal, Offline when unreachable."""
        params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        try:
            response = self.http.request(method, path, json=json, params=params, data=data, files=files,
                                         headers=self._headers())
        except httpx.TransportError as exc:
            self._set_online(False)
            raise Offline(str(exc)) from exc
        self._set_online(True)
        if (response.status_code == 401 and retry_auth and self.token and self.reauthenticate is not None
                and self.reauthenticate()):
            for value in (files or {}).values():  # an upload is read again from the start
                handle = value[1] if isinstance(value, tuple) else value
                if hasattr(handle, "seek"):
                    handle.seek(0)
            return self.send(method, path, json=json, params=params, data=data, files=files,
                             retry_auth=False)
        if response.status_code >= 400:
            raise ApiError.from_response(response)
        return response

    def request(self, method: str, path: str, **kwargs):
        response = self.send(method, path, **kwargs)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    def get(self, path: str, **params):
        return self.request("GET", path, params=params)

    def download(self, path: str, params: dict | None = None, *, poll_seconds: float = 1.0,
                 wait_seconds: float = 900.0) -> tuple[bytes, str]:
        """A file endpoint's bytes and the file name the server gives it. A large export answers 202 {job_id}
        instead: the server's task worker writes it; this waits for the job and downloads the file it made."""
        response = self.send("GET", path, params=params)
        if response.status_code == 202:
            job = self.wait_for_job(response.json()["job_id"], poll_seconds=poll_seconds, wait_seconds=wait_seconds)
            path = job["result_url"].removeprefix("/api/v1")
            response = self.send("GET", path)
        return response.content, filename_of(response, path)

    def wait_for_job(self, job_id: int, *, poll_seconds: float = 1.0, wait_seconds: float = 900.0) -> dict:
        """Poll GET /jobs/{id} until the job is done (answered) or failed (ApiError with its message)."""
        deadline = time.monotonic() + wait_seconds
        while True:
            job = self.get(f"/jobs/{job_id}")
            if job["status"] == "done":
                return job
            if job["status"] == "failed":
                raise ApiError(422, "job_failed", job.get("message") or i18n.tr("The server could not finish it."),
                               {})
            if time.monotonic() > deadline:
                raise ApiError(504, "job_timeout", i18n.tr("The server is still working on it; try again later."))
            time.sleep(poll_seconds)

    # --- the session --------------------------------------------------------------------------------------

    def login(self, username: str, password: str) -> str:
        answer = self.request("POST", "/auth/token", json={"username": username, "password": password},
                              retry_auth=False)
        self.token = answer["token"]
        return self.token

    def logout(self) -> None:
        """Revoke the token on the server (when it can be reached) and forget it here."""
        try:
            if self.token:
                self.send("DELETE", "/auth/token", retry_auth=False)
        except (ApiError, Offline):
            pass
        finally:
            self.token = None

    def ping(self) -> bool:
        """Whether the server answers at all (any HTTP answer counts)."""
        try:
            self.http.get("/me", headers=self._headers(), timeout=3.0)
        except httpx.TransportError:
            self._set_online(False)
            return False
        self._set_online(True)
        return True


def filename_of(response: httpx.Response, path: str) -> str:
    disposition = response.headers.get("content-disposition", "")
    for part in disposition.split(";"):
        part = part.strip()
        if part.lower().startswith("filename*="):
            value = part.split("=", 1)[1]
            return unquote(value.split("''", 1)[-1]).strip('"')
    for part in disposition.split(";"):
        part = part.strip()
        if part.lower().startswith("filename="):
            return part.split("=", 1)[1].strip('"')
    return path.rstrip("/").rsplit("/", 1)[-1] or "download"
