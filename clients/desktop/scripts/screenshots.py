"""Screenshots of the desktop client's main windows into docs/desktop/ (issue 17), taken from a real run:

    python clients/desktop/scripts/screenshots.py [--out docs/desktop] [--server URL]

Without --server it starts a demo server of its own (`opsmon serve` on a fresh SQLite database with `opsmon demo`,
in a temporary folder, on a free port) and stops it afterwards. Qt draws offscreen with a CJK font (Debian's
fonts-noto-cjk), so no display is needed.
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OPSMON_DESK_KEYRING"] = "0"
os.environ["OPSMON_DESK_NO_OPEN"] = "1"

from opsmon_desk import i18n  # noqa: E402
from opsmon_desk.config import Settings  # noqa: E402
from opsmon_desk.dialogs import LoginDialog  # noqa: E402
from opsmon_desk.main_window import MainWindow  # noqa: E402
from opsmon_desk.session import Session  # noqa: E402
from opsmon_desk.tokens import TokenStore  # noqa: E402
from PySide6.QtGui import QFont, QFontDatabase  # noqa: E402 - after the platform is chosen
from PySide6.QtWidgets import QApplication  # noqa: E402

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "opsmon-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo_server(folder: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "OPSMON_"))}
    env.pop("DATABASE_URL", None)
    env.update({"OPSMON_VAR_DIR": str(folder), "XDG_RUNTIME_DIR": str(folder), "PYTHONUNBUFFERED": "1"})
    prepare = "from opsmon.cli import main\nmain(['migrate', '--noinput', '-v0'])\nmain(['demo'])\n"
    subprocess.run([sys.executable, "-c", prepare], env=env, cwd=ROOT, check=True, timeout=600)  # noqa: S603
    serve = f"from opsmon.cli import main\nmain(['serve', '--no-migrate', '--no-task-worker', '--port', '{port}'])\n"
    log = (folder / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-c", serve], env=env, cwd=ROOT, stdout=log,  # noqa: S603
                              stderr=subprocess.STDOUT, process_group=0)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
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


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget, path: Path, app: QApplication) -> None:
    settle(app)
    widget.grab().save(str(path))
    print("wrote", path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def log_in(server: str, username: str, config: Path) -> MainWindow:
    settings = Settings(server=server, username=username, language="zh-hans")
    store = TokenStore(config / username)
    dialog = LoginDialog(settings, store)
    dialog.fill(username, PASSWORD)
    if not dialog.attempt():
        raise RuntimeError(dialog.message.text())
    session = Session(dialog.api)
    session.load()
    window = MainWindow(session, settings, store)
    window.resize(1280, 780)
    window.show()
    return window


def shoot(server: str, out: Path, app: QApplication, config: Path) -> None:
    i18n.set_language("zh-hans")
    login = LoginDialog(Settings(server=server, username="head1"), TokenStore(config / "login"))
    login.password.setText("••••••••")
    login.show()
    save(login, out / "login.png", app)
    login.close()

    head = log_in(server, "head1", config)
    save(head, out / "inbox.png", app)
    opportunities = head.list_view("opportunities")
    save(head, out / "opportunities.png", app)
    save(head.show_page("dashboard"), out / "dashboard.png", app)
    head.show_page("dashboard")
    save(head, out / "dashboard-window.png", app)
    row = next(i for i, r in enumerate(opportunities.rows) if r["status"] == "conversion_requested")
    opportunities.open_row(row)
    record = next(iter(head.records.values()))
    save(record, out / "opportunity.png", app)
    record.tabs.setCurrentIndex(1)
    save(record, out / "opportunity-follow-ups.png", app)
    dialog = record.open_action("convert")
    dialog.inputs["comment"].set_value("预算已落实，同意转立项。")
    dialog.show()
    save(dialog, out / "action-dialog.png", app)
    dialog.close()
    head.logout()

    reviewer = log_in(server, "finance1", config)
    inbox = reviewer.show_page("inbox")
    row = next((i for i, item in enumerate(inbox.items) if item.get("record_type") == "contract"), 0)
    inbox.open_row(row)
    contract = next(iter(reviewer.records.values()))
    contract.tabs.setCurrentIndex(1)
    save(contract, out / "contract-review.png", app)
    reviewer.set_online(False)
    reviewer.retry_timer.stop()
    save(reviewer, out / "offline.png", app)
    reviewer.session.api.logout()
    reviewer.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "desktop")
    parser.add_argument("--server", help="an already running server with the demo data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    cjk = [f for f in QFontDatabase.families() if "CJK SC" in f]
    if not cjk:
        print("warning: no CJK font (apt-get install fonts-noto-cjk); Chinese will show as boxes", file=sys.stderr)
    app.setFont(QFont(cjk[0] if cjk else app.font().family(), 10))
    folder = Path(tempfile.mkdtemp(prefix="opsmon-desk-shots-"))
    server = None
    try:
        url = args.server
        if not url:
            server, url = start_demo_server(folder)
        shoot(url.rstrip("/"), args.out, app, folder / "config")
    finally:
        if server is not None:
            stop(server)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
