"""The production server as a user meets it: `opsmon serve` with the production settings, gunicorn workers and
the task worker, on a database of its own, spoken to over real HTTP. No Django in this process: the tests see the
database only through SQL, as an operator would.
"""

import atexit
import contextlib
import math
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parents[2]
OPSMON = [sys.executable, "-m", "opsmon.cli"]
PASSWORD = "opsmon-demo"
# Behind the TLS proxy of the README's production set-up: the proxy says the request came over https.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}

_live_servers: set["Server"] = set()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- databases -----------------------------------------------------------------------------------------------------

class Database:
    """A database of the tests' own: a file in a private folder, or a database on the suite's PostgreSQL."""

    def __init__(self, url: str):
        self.url = url
        self.vendor = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"

    @property
    def path(self) -> Path:
        assert self.vendor == "sqlite"
        return Path(urlsplit(self.url).path[1:])  # sqlite:////abs/path → /abs/path

    @property
    def name(self) -> str:
        return self.path.parent.name if self.vendor == "sqlite" else urlsplit(self.url).path.lstrip("/")

    def query(self, sql: str, *params) -> list[tuple]:
        """Run one statement (`%s` placeholders) in its own short transaction; answers the rows, if any."""
        if self.vendor == "sqlite":
            with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as conn:
                cursor = conn.execute(sql.replace("%s", "?"), params)
                rows = cursor.fetchall()
                conn.commit()
                return rows
        import psycopg

        with psycopg.connect(self.url, autocommit=True, connect_timeout=10) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, *params):
        rows = self.query(sql, *params)
        return rows[0][0] if rows else None

    def timeline_count(self, action: str, model: str, object_id: int) -> int:
        return self.scalar(
            "SELECT COUNT(*) FROM core_timelineentry t JOIN django_content_type c ON c.id = t.content_type_id "
            "WHERE t.action = %s AND c.model = %s AND t.object_id = %s", action, model, object_id)


def _with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))


def with_port(url: str, port: int) -> str:
    parts = urlsplit(url)
    auth = parts.netloc.rsplit("@", 1)[0] + "@" if "@" in parts.netloc else ""
    return urlunsplit((parts.scheme, f"{auth}127.0.0.1:{port}", parts.path, parts.query, parts.fragment))


class Databases:
    """Creates and drops the tests' databases: on the PostgreSQL server named by DATABASE_URL (the suite's `test`
    database itself is never touched; ours are `opsmon_rel_<pid>_<n>`), else SQLite files under `folder`."""

    def __init__(self, suite_url: str | None, folder: Path):
        self.postgres = bool(suite_url) and suite_url.startswith(("postgres://", "postgresql://"))
        self.suite_url = suite_url or ""
        self.folder = folder
        self.prefix = f"opsmon_rel_{os.getpid()}_"
        self.made: list[Database] = []
        self.count = 0

    @property
    def vendor(self) -> str:
        return "postgresql" if self.postgres else "sqlite"

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(_with_path(self.suite_url, "/postgres"), autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql)

    def drop_leftovers(self) -> None:
        """Databases of earlier runs whose process is gone (killed before it could drop them)."""
        if not self.postgres:
            return
        import psycopg

        with psycopg.connect(_with_path(self.suite_url, "/postgres"), autocommit=True, connect_timeout=10) as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'opsmon_rel_%'")]
            for name in names:
                match = re.fullmatch(r"opsmon_rel_(\d+)_\w+", name)
                if match and not Path(f"/proc/{match.group(1)}").exists():
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def new(self, tag: str, template: Database | None = None) -> Database:
        """A new database, empty or a copy of `template`."""
        self.count += 1
        name = f"{self.prefix}{self.count}_{tag}"
        if self.postgres:
            assert name != "test"
            self._admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template.name}"' if template else ""))
            db = Database(_with_path(self.suite_url, "/" + name))
        else:
            folder = self.folder / name
            folder.mkdir(parents=True)
            db = Database(f"sqlite:///{folder / 'opsmon.sqlite3'}")
            if template is not None:
                with contextlib.closing(sqlite3.connect(template.path)) as src, \
                        contextlib.closing(sqlite3.connect(db.path)) as dst:
                    src.backup(dst)
        self.made.append(db)
        return db

    def drop_all(self) -> None:
        """Drop ours (in parallel: each DROP DATABASE waits for a checkpoint)."""
        def drop(db):
            with contextlib.suppress(Exception):
                self._admin(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)')

        if self.postgres:
            threads = [threading.Thread(target=drop, args=(db,)) for db in self.made]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
        self.made.clear()


def production_env(database_url: str, var_dir: Path, static_root: Path, **extra) -> dict:
    """The environment of a production deployment (README, Production), secrets from the environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "OPSMON_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "opsmon.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "OPSMON_VAR_DIR": str(var_dir),
        "MEDIA_ROOT": str(var_dir / "media"),
        "STATIC_ROOT": str(static_root),
        "XDG_RUNTIME_DIR": str(var_dir),  # gunicorn's control socket: one per server, not one per user
        "PYTHONUNBUFFERED": "1",
        "LOG_LEVEL": "INFO",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_opsmon(env: dict, *commands: list[str], timeout: int = 300) -> None:
    """`opsmon <command>` for each command, one after the other in one process (Django starts once)."""
    script = "from opsmon.cli import main\n" + "".join(f"main({list(c)!r})\n" for c in commands)
    result = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True,
                            timeout=timeout)
    if result.returncode:
        raise RuntimeError(f"opsmon {commands} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


# --- processes -----------------------------------------------------------------------------------------------------

def _process_table() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, command line) of every live (non-zombie) process."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if fields[0] == "Z":
                continue
            table[int(entry.name)] = (int(fields[1]), (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue
    return table


def descendants(pid: int) -> dict[int, str]:
    table = _process_table()
    found, todo = {}, [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, cmdline) in table.items():
            if ppid == parent and child not in found:
                found[child] = cmdline
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


class Server:
    """`opsmon serve --workers N` on 127.0.0.1:<free port>; `stop()` ends it and every process under it.

    `db` is the database as the tests reach it; the server reaches it at `database_url` (the same, or a proxy)."""

    def __init__(self, db: Database, *, var_dir: Path, static_root: Path, workers: int = 2,
                 database_url: str | None = None, migrate: bool = False, **env):
        self.db = db
        self.serve_args = [] if migrate else ["--no-migrate"]  # the databases here are copies of a migrated one
        self.database_url = database_url = database_url or db.url
        self.var_dir = var_dir
        self.workers = workers
        var_dir.mkdir(parents=True, exist_ok=True)
        self.env = production_env(database_url, var_dir, static_root, WEB_CONCURRENCY=workers, **env)
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.log_path = var_dir / "serve.log"
        self.known: set[int] = set()
        self.tokens: dict[str, str] = {}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, username: str | None = None) -> "Api":
        """A new API client (own connection) with `username`'s bearer token, fetched once per server."""
        if username and username not in self.tokens:
            self.tokens[username] = Api.login(self.url, username).token
        return Api(self.url, self.tokens.get(username) if username else None)

    def browser(self, username: str) -> "Browser":
        return Browser(self.url).login(username)

    def start(self, timeout: float = 120) -> "Server":
        for _attempt in range(3):  # a free port can be taken between the check and gunicorn's bind
            self.port = free_port()
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(  # noqa: S603
                    [*OPSMON, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--workers",
                     str(self.workers), *self.serve_args], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                    start_new_session=True)
            _live_servers.add(self)
            if self._wait_ready(timeout):
                return self
            self.stop()
            if "Address already in use" not in self.log():
                break
        raise RuntimeError(f"the server did not start:\n{self.log()[-4000:]}")

    def _wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            self.known |= set(descendants(self.process.pid))
            try:
                if requests.get(self.url + "/healthz", headers=PROXY_HEADERS, timeout=5).status_code == 200 \
                        and self.task_worker_pid():
                    return True
            except requests.RequestException:
                pass
            time.sleep(0.2)
        return False

    def children(self) -> dict[int, str]:
        found = descendants(self.process.pid) if self.process else {}
        self.known |= set(found)
        return found

    def task_worker_pid(self, queue: str = "jobs") -> int | None:
        """The task worker of `queue` ("jobs": users' imports and exports; "default": the schedule's runs)."""
        return next((pid for pid, cmd in self.children().items()
                     if "db_worker" in cmd and f"--queue-name {queue} " in cmd), None)

    def gunicorn_workers(self) -> list[int]:
        """The gunicorn worker processes (children of the gunicorn master)."""
        children = self.children()
        table = _process_table()
        master = next((pid for pid, cmd in children.items() if "gunicorn" in cmd and table.get(pid, (0,))[0]
                       == self.process.pid), None)
        return [pid for pid, cmd in children.items() if table.get(pid, (0,))[0] == master]

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM as systemd would send it, then SIGKILL to whatever is left; never leaves a process behind."""
        if self.process is None:
            return
        self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:  # a short grace: the tests' databases are thrown away, nothing needs a clean shutdown
                self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for pid in self.known:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        _live_servers.discard(self)


@atexit.register
def _stop_everything() -> None:  # a run interrupted past the fixtures' finalizers
    for server in list(_live_servers):
        with contextlib.suppress(Exception):
            server.stop()


# --- HTTP clients --------------------------------------------------------------------------------------------------

class Api:
    """A bearer-token API client; one per thread (requests sessions are not shared between threads)."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token
        self.session = requests.Session()
        self.session.headers.update(PROXY_HEADERS)
        if token:
            self.session.headers["Authorization"] = f"Bearer {token}"

    @classmethod
    def login(cls, base: str, username: str) -> "Api":
        response = cls(base).post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
        assert response.status_code == 200, response.text
        return cls(base, response.json()["token"])

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        kwargs.setdefault("allow_redirects", False)
        return self.session.request(method, self.base + path, **kwargs)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def one(self, path: str, **params) -> dict:
        """The single item a filtered list answers."""
        response = self.get(path, params=params)
        assert response.status_code == 200, response.text
        items = response.json()["items"]
        assert len(items) == 1, items
        return items[0]


class Browser:
    """A browser session over the TLS proxy: the cookies are Secure, so they are sent by hand (requests would
    keep them back on http), with the https Referer the CSRF check wants."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {**PROXY_HEADERS, **kwargs.pop("headers", {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method != "GET":
            headers.setdefault("Referer", "https://" + self.base.split("://", 1)[1] + path)
            if "csrftoken" in self.cookies:
                headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
        kwargs.setdefault("timeout", 60)
        response = requests.request(method, self.base + path, headers=headers, allow_redirects=False, **kwargs)
        for cookie in response.cookies:
            self.cookies[cookie.name] = cookie.value
        return response

    def csrf_form_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status_code == 200, (path, page.status_code)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def login(self, username: str) -> "Browser":
        token = self.csrf_form_token("/login/")
        response = self.request("POST", "/login/", data={"username": username, "password": PASSWORD,
                                                           "csrfmiddlewaretoken": token})
        assert response.status_code == 302, response.text[-2000:]
        assert "sessionid" in self.cookies
        return self


# --- a TCP proxy in front of PostgreSQL ----------------------------------------------------------------------------

class TcpProxy:
    """127.0.0.1:<port> → target, in threads. `close()` stops listening and cuts every open connection: the
    database looks stopped (connections refused). `open()` listens again on the same port."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1"):
        self.target = (target_host, target_port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.swallowing = False

    def open(self) -> "TcpProxy":
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            if self.swallowing:  # accepted, never answered, never closed: a host that has gone silent
                with self.lock:
                    self.sockets.add(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets |= {client, upstream}
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    s.close()
            with self.lock:
                self.sockets -= {source, sink}

    def _cut(self) -> None:
        with self.lock:
            open_sockets = list(self.sockets)
        for s in open_sockets:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                s.close()
        with self.lock:
            self.sockets -= set(open_sockets)

    def swallow(self) -> None:
        """Cut the open connections; new ones are accepted and never answered (the host went silent)."""
        self.swallowing = True
        self._cut()

    def forward(self) -> None:
        self.swallowing = False
        self._cut()

    def close(self) -> None:
        self.swallowing = False
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        self._cut()


def move_away(path: Path) -> Path:
    away = path.with_name(path.name + "-away")
    shutil.move(path, away)
    return away


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]
