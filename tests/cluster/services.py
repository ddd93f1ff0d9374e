"""The cluster's parts on one machine, each a process of the test's own (issue 19): a private PostgreSQL primary and
its streaming hot standby (initdb'd into a temporary folder, on free ports: the machine's own cluster is never
touched), a private Redis, an S3-compatible server (moto) behind a TCP proxy that can be cut, two app nodes
(`opsmon serve` with the production settings), a task worker and nginx running deploy/nginx/opsmon.conf.

Every process is started in a session of its own and killed at the end, pass or fail.
"""

import contextlib
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import requests

from tests.reliability.harness import ROOT, TcpProxy, alive, descendants, free_port, production_env

PG_BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), default=None)
NGINX_SITE = ROOT / "deploy/nginx/opsmon.conf"


def _as_postgres(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run it as the `postgres` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _chown_postgres(path: Path) -> None:
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(path, entry.pw_uid, entry.pw_gid)


def run(argv: list[str], *, timeout: float = 120, env: dict | None = None, check: bool = True) -> str:
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)  # noqa: S603
    if check and result.returncode:
        raise RuntimeError(f"{' '.join(argv)} → {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - not yet; the last one is reported
            last = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out waiting for {what}" + (f" (last: {type(last).__name__}: {last})" if last else ""))


# --- PostgreSQL -----------------------------------------------------------------------------------------------------

class Postgres:
    """One PostgreSQL server in a folder of ours: `initdb`'d as a primary, or `pg_basebackup`'d from one."""

    def __init__(self, folder: Path, name: str):
        assert PG_BIN, "PostgreSQL server binaries not found (apt-get install postgresql)"
        self.folder = folder
        self.data = folder / name
        self.socket_dir = folder / f"{name}-socket"
        self.log_path = folder / f"{name}.log"
        self.name = name
        self.port = free_port()

    def url(self, database: str = "opsmon") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _prepare(self) -> None:
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        _chown_postgres(self.folder)
        _chown_postgres(self.socket_dir)

    def init_primary(self) -> "Postgres":
        self._prepare()
        run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                          "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"]))
        # The replication settings of deploy/postgresql/primary.conf; fsync off: a test's data need not survive a
        # power cut, and it makes the set-up seconds faster (commits still write the WAL the standby streams).
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\nlisten_addresses = '127.0.0.1'\nwal_level = replica\nmax_wal_senders = 10\n"
                       "max_replication_slots = 10\nwal_keep_size = 256MB\nhot_standby = on\n"
                       "hot_standby_feedback = on\nwal_receiver_status_interval = 1s\nfsync = off\n"
                       "synchronous_commit = on\nmax_connections = 200\nshared_buffers = 128MB\n")
        with open(self.data / "pg_hba.conf", "w") as hba:
            hba.write("local all all trust\nhost all all 127.0.0.1/32 trust\n"
                      "host replication all 127.0.0.1/32 trust\nlocal replication all trust\n")
        return self

    def init_standby_of(self, primary: "Postgres", slot: str) -> "Postgres":
        """deploy/postgresql/make-standby.sh, here: pg_basebackup -X stream -R -C -S <slot>."""
        self._prepare()
        run(_as_postgres([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U",
                          "postgres", "-D", str(self.data), "-X", "stream", "-R", "-C", "-S", slot,
                          "--checkpoint=fast"]), timeout=180)
        auto = (self.data / "postgresql.auto.conf").read_text()
        assert "primary_conninfo" in auto and (self.data / "standby.signal").exists(), auto
        with open(self.data / "postgresql.auto.conf", "a") as conf:
            conf.write(f"primary_slot_name = '{slot}'\n")
        return self

    def start(self) -> "Postgres":
        run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log_path), "-w", "-t", "60",
                          "-o", f"-p {self.port} -k {self.socket_dir}", "start"]), timeout=90)
        return self

    def stop(self, mode: str = "fast") -> None:
        if (self.data / "postmaster.pid").exists():
            run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"]),
                timeout=90, check=False)

    def query(self, sql: str, *params, database: str = "opsmon") -> list[tuple]:
        with psycopg.connect(self.url(database), autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def scalar(self, sql: str, *params, database: str = "opsmon"):
        rows = self.query(sql, *params, database=database)
        return rows[0][0] if rows else None


# --- Redis, S3, processes --------------------------------------------------------------------------------------------

class Process:
    """A long-running child in a session of its own; `kill()` SIGKILLs it and everything under it at once."""

    def __init__(self, argv: list[str], log_path: Path, env: dict | None = None, cwd: Path = ROOT):
        self.argv, self.log_path, self.env, self.cwd = argv, log_path, env, cwd
        self.process: subprocess.Popen | None = None
        self.known: set[int] = set()

    def start(self) -> "Process":
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, stdout=log,  # noqa: S603
                                            stderr=subprocess.STDOUT, start_new_session=True)
        return self

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def children(self) -> dict[int, str]:
        found = descendants(self.process.pid) if self.process else {}
        self.known |= set(found)
        return found

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def kill(self) -> None:
        """A crash: the process and every process under it, SIGKILL, all at once."""
        if self.process is None:
            return
        pids = [self.process.pid, *self.children()]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.wait()
        for pid in self.known:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)

    def stop(self, grace: float = 5) -> None:
        if self.process is None:
            return
        self.children()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        self.kill()


class Redis(Process):
    def __init__(self, folder: Path):
        self.port = free_port()
        super().__init__(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                          "--appendonly", "no", "--dir", str(folder)], folder / "redis.log")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        super().start()
        wait_for(lambda: run(["redis-cli", "-p", str(self.port), "ping"], check=False).strip() == "PONG", 20,
                 "redis")
        return self


class ObjectStorage:
    """moto's S3-compatible server, reached by the nodes through a TCP proxy the test can cut and restore."""

    BUCKET = "opsmon-documents"
    KEY, SECRET = "cluster-test-key", "cluster-test-secret"

    def __init__(self, folder: Path):
        self.port = free_port()
        moto = shutil.which("moto_server", path=os.path.dirname(sys.executable)) or shutil.which("moto_server")
        assert moto, "moto_server not installed (pip install 'moto[server]': the test extra)"
        self.process = Process([moto, "-H", "127.0.0.1", "-p", str(self.port)], folder / "moto.log")
        self.proxy = TcpProxy(self.port)

    @property
    def url(self) -> str:  # STORAGE_URL for the nodes: through the proxy
        return f"s3://{self.KEY}:{self.SECRET}@127.0.0.1:{self.proxy.port}/{self.BUCKET}/documents?tls=false"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=f"http://127.0.0.1:{self.port}", aws_access_key_id=self.KEY,
                            aws_secret_access_key=self.SECRET, region_name="us-east-1")

    def start(self) -> "ObjectStorage":
        self.process.start()
        wait_for(lambda: requests.get(f"http://127.0.0.1:{self.port}/", timeout=2).status_code < 500, 30, "moto")
        self.client().create_bucket(Bucket=self.BUCKET)
        self.proxy.open()
        return self

    def objects(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.BUCKET)
        return [o["Key"] for o in listed.get("Contents", [])]

    def stop(self) -> None:
        self.proxy.close()
        self.process.stop()


# --- the app -----------------------------------------------------------------------------------------------------

class Node(Process):
    """An app node: `opsmon serve` (gunicorn, production settings), no task worker of its own, ticking the schedule."""

    def __init__(self, name: str, folder: Path, env: dict, workers: int = 2):
        self.name = name
        self.port = free_port()
        var = folder / name
        var.mkdir(parents=True, exist_ok=True)
        # Nothing shared through the file system but the collected static files: a media folder of its own that
        # stays empty (documents live in object storage), var and the gunicorn control socket of its own.
        env = {**env, "OPSMON_VAR_DIR": str(var), "MEDIA_ROOT": str(var / "media"), "XDG_RUNTIME_DIR": str(var),
               "OPSMON_NODE": name, "WEB_CONCURRENCY": str(workers)}
        super().__init__([sys.executable, "-m", "opsmon.cli", "serve", "--host", "127.0.0.1", "--port",
                          str(self.port), "--workers", str(workers), "--no-migrate", "--no-collectstatic",
                          "--no-task-worker", "--scheduler"], var / "serve.log", env)
        self.media = var / "media"

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def wait_ready(self, timeout: float = 90) -> "Node":
        def ready():
            assert self.running(), self.log()[-3000:]
            return requests.get(f"http://{self.address}/healthz", headers={"X-Forwarded-Proto": "https"},
                                timeout=3).status_code == 200
        wait_for(ready, timeout, f"node {self.name}", interval=0.3)
        return self


def node_environment(*, database_url: str, replica_url: str, redis_url: str, storage_url: str, static_root: Path,
                     secret_key: str, **extra) -> dict:
    env = production_env(database_url, static_root.parent, static_root)
    env.update({
        "SECRET_KEY": secret_key,  # the same on every node: a session or token made on one verifies on the other
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "DATABASE_REPLICA_URL": replica_url,
        "REDIS_URL": redis_url,
        "STORAGE_URL": storage_url,
        "TRUSTED_PROXIES": "127.0.0.1",
        "AXES_FAILURE_LIMIT": "5",
    })
    env.update({k: str(v) for k, v in extra.items()})
    return env


# --- nginx -------------------------------------------------------------------------------------------------------

def _sub(pattern: str, replacement: str, text: str, count: int | None = None, flags: int = 0) -> str:
    """re.sub that insists the reference file still has what the test swaps (it fails loudly if deploy/ drifts)."""
    new, n = re.subn(pattern, replacement, text, flags=re.MULTILINE | flags)
    assert n and (count is None or n == count), f"deploy/nginx/opsmon.conf: {pattern!r} matched {n} times"
    return new


def nginx_site(upstreams: list[str], port: int, static_root: Path, cert: Path, key: Path, brotli: bool) -> str:
    """deploy/nginx/opsmon.conf with this machine's addresses, ports, paths and certificate; nothing else changes,
    except one header naming the node that answered (for the test to see the requests bounce)."""
    site = NGINX_SITE.read_text()
    site = _sub(r"^(\s*)server 10\.0\.1\.11:8000 (.*)$\n\s*server 10\.0\.1\.12:8000 .*$",
                "\n".join(rf"\1server {u} \2" for u in upstreams), site, 1)
    site = _sub(r"^server \{\n    listen 80;\n.*?^\}\n", "", site, 1, re.DOTALL)  # the http → https redirect
    site = _sub(r"^\s*listen \[::\]:443 ssl http2;\n", "", site, 1)
    site = _sub(r"listen 443 ssl http2;", f"listen 127.0.0.1:{port} ssl http2;", site, 1)
    site = _sub(r"server_name opsmon\.example\.cn;", "server_name localhost;", site, 1)
    site = _sub(r"/etc/ssl/opsmon/fullchain\.pem", str(cert), site, 1)
    site = _sub(r"/etc/ssl/opsmon/privkey\.pem", str(key), site, 1)
    site = _sub(r"/srv/opsmon/static/", str(static_root).rstrip("/") + "/", site, 2)
    site = _sub(r"^(\s*)proxy_pass http://opsmon_app;",
                r"\1proxy_pass http://opsmon_app;\n\1add_header X-Upstream $upstream_addr always;", site, 2)
    if not brotli:
        site = _sub(r"^\s*brotli.*\n", "", site)
    return site


class Nginx(Process):
    def __init__(self, folder: Path, upstreams: list[str], static_root: Path):
        self.folder = folder / "nginx"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        cert, key = self.folder / "cert.pem", self.folder / "key.pem"
        run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2",
             "-keyout", str(key), "-out", str(cert)])
        modules = sorted(Path("/etc/nginx/modules-enabled").glob("*brotli*.conf"))
        self.brotli = bool(modules)
        (self.folder / "site.conf").write_text(nginx_site(upstreams, self.port, static_root, cert, key, self.brotli))
        temp = "\n".join(f"    {k}_temp_path {self.folder / k};" for k in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                            "scgi"))
        (self.folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + "worker_processes 2;\ndaemon off;\n"
            + f"pid {self.folder / 'nginx.pid'};\nerror_log {self.folder / 'error.log'} warn;\n"
            + "".join(m.read_text().replace(" modules/", " /usr/lib/nginx/modules/") for m in modules)
            + "events { worker_connections 1024; }\n"
            + "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            + "    sendfile on;\n    tcp_nopush on;\n"
            + "    log_format upstream '$remote_addr \"$request\" $status $body_bytes_sent $upstream_addr '\n"
            + "                        '$request_time $upstream_response_time';\n"
            + f"    access_log {self.folder / 'access.log'} upstream;\n{temp}\n"
            + f"    include {self.folder / 'site.conf'};\n}}\n")
        run(["nginx", "-t", "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder)])
        super().__init__(["nginx", "-c", str(self.folder / "nginx.conf"), "-p", str(self.folder)],
                         self.folder / "stdout.log")

    @property
    def url(self) -> str:
        return f"https://localhost:{self.port}"

    def start(self) -> "Nginx":
        super().start()
        wait_for(lambda: requests.get(self.url + "/healthz", verify=False, timeout=3).status_code == 200, 30,
                 "nginx")
        return self


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)
