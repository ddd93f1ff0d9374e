"""The weight of a page (issue 20 item 18): bytes transferred over the network for a list page, on the first visit
(empty browser cache) and on the second (static files cached long under hashed names), as rep1.

    python scripts/page_weight.py [--server URL] [--path /opportunities/] [--user rep1]

Without --server it starts a demo server of its own like production serves (`opsmon serve` with DEBUG off, so the
static files are collected by whitenoise's compressed manifest storage), on a fresh SQLite database with
`opsmon demo`, in a temporary folder, and stops it afterwards. Chromium (Playwright) counts the encoded bytes of
every response (Chrome DevTools' `encodedDataLength`: headers and the compressed body as they crossed the wire).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "opsmon-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo_server(folder: Path, *, debug: bool = False) -> tuple[subprocess.Popen, str]:
    """`opsmon serve` on a demo database in `folder` (development settings; DEBUG off unless asked)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "OPSMON_"))}
    env.pop("DATABASE_URL", None)
    env.update({"OPSMON_VAR_DIR": str(folder), "XDG_RUNTIME_DIR": str(folder), "PYTHONUNBUFFERED": "1",
                "DEBUG": "true" if debug else "false", "ALLOWED_HOSTS": "127.0.0.1,localhost",
                "STATIC_ROOT": str(folder / "static")})
    prepare = "from opsmon.cli import main\nmain(['migrate', '--noinput', '-v0'])\nmain(['demo'])\n"
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True, timeout=900)  # noqa: S603
    serve = f"from opsmon.cli import main\nmain(['serve', '--no-migrate', '--no-task-worker', '--port', '{port}'])\n"
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", serve], env=env, cwd=ROOT, stdout=log,  # noqa: S603
                              stderr=subprocess.STDOUT, process_group=0)
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code < 500:
                return server, url
        except httpx.TransportError:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    stop(server)
    raise RuntimeError("the demo server did not start:\n" + (folder / "server.log").read_text()[-3000:])


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def log_in(page, server: str, username: str) -> None:
    page.goto(server + "/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]:not([name=language])")
    page.wait_for_url(server + "/")


class Meter:
    """Bytes received per response, from Chrome DevTools' network events (0 for what the cache answered)."""

    def __init__(self, cdp):
        self.urls: dict[str, str] = {}
        self.rows: list[tuple[str, int, bool]] = []
        cdp.send("Network.enable")
        cdp.on("Network.responseReceived", lambda e: self.urls.__setitem__(e["requestId"], e["response"]["url"]))
        self.cached: set[str] = set()
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        request = event["requestId"]
        if self.urls.get(request, "").startswith("data:"):
            return  # inline images of the stylesheet: nothing crosses the network
        self.rows.append((self.urls.get(request, "?"), int(event["encodedDataLength"]), request in self.cached))

    def reset(self):
        self.rows.clear()

    def total(self) -> int:
        return sum(size for _url, size, _cached in self.rows)


def measure(server: str, path: str, username: str) -> dict:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or None)
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        meter = Meter(context.new_cdp_session(page))
        log_in(page, server, username)
        # Log-in's own page loaded the static files once: clear the cache so the first visit starts empty.
        context.new_cdp_session(page).send("Network.clearBrowserCache")
        visits = {}
        for visit in ("first", "second"):
            meter.reset()
            page.goto(server + path, wait_until="networkidle")
            visits[visit] = {"bytes": meter.total(), "requests": len(meter.rows),
                             "from_cache": sum(1 for _u, _s, cached in meter.rows if cached),
                             "rows": sorted(meter.rows, key=lambda r: -r[1])}
        static = httpx.get(next((u for u, _s, _c in visits["first"]["rows"] if "/static/" in u), server + "/"),
                           headers={"Accept-Encoding": "gzip, br"})
        visits["static_headers"] = {k: static.headers.get(k, "") for k in ("cache-control", "content-encoding")}
        browser.close()
        return visits


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="a running OpsMon (default: start a demo server of our own)")
    parser.add_argument("--path", default="/opportunities/", help="the page to weigh (default: %(default)s)")
    parser.add_argument("--user", default="rep1")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every response")
    args = parser.parse_args(argv)
    folder = server_process = None
    server = args.server
    if not server:
        folder = Path(tempfile.mkdtemp(prefix="opsmon-weight-"))
        server_process, server = start_demo_server(folder)
    try:
        result = measure(server.rstrip("/"), args.path, args.user)
    finally:
        if server_process is not None:
            stop(server_process)
            shutil.rmtree(folder, ignore_errors=True)
    for visit in ("first", "second"):
        v = result[visit]
        print(f"{visit} visit of {args.path} as {args.user}: {v['bytes']:,} bytes transferred "
              f"({v['bytes'] / 1024:.1f} KiB) in {v['requests']} responses, {v['from_cache']} from the cache")
        if args.verbose:
            for url, size, cached in v["rows"]:
                print(f"    {size:>9,}  {'cache ' if cached else ''}{url}")
    headers = result["static_headers"]
    print(f"static files: Cache-Control: {headers['cache-control']}; Content-Encoding: "
          f"{headers['content-encoding'] or '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
