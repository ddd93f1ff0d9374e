"""The desktop client (clients/desktop) against a live server of the test session: Qt offscreen (or Xvfb when
QT_QPA_PLATFORM=xcb and a DISPLAY are given), tokens in a private folder per test, no files opened."""

import contextlib
import os
import socket
import threading

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["OPSMON_DESK_KEYRING"] = "0"        # the private-file store, not the machine's keyring
os.environ["OPSMON_DESK_NO_OPEN"] = "1"        # downloads are not handed to a viewer


@pytest.fixture
def demo(org):
    """The whole demo: organisation, customers, opportunities, projects, bids and contracts in every state."""
    from opsmon.demo import load

    load()
    return org


@pytest.fixture
def desk(live_server, qtbot, tmp_path, monkeypatch):
    """desk("rep1") logs in through the login dialog and answers the main window (already shown)."""
    from opsmon_desk import i18n
    from opsmon_desk.config import Settings
    from opsmon_desk.dialogs import LoginDialog
    from opsmon_desk.main_window import MainWindow
    from opsmon_desk.session import Session
    from opsmon_desk.tokens import TokenStore

    from opsmon.accounts.demo import PASSWORD

    monkeypatch.setenv("OPSMON_DESK_CONFIG_DIR", str(tmp_path / "config"))
    windows = []

    def connect(username: str, *, language: str = "zh-hans", server: str | None = None, poll_ms: int = 30_000):
        settings = Settings(server=server or live_server.url, username=username, language=language)
        store = TokenStore(tmp_path / "config" / username)
        dialog = LoginDialog(settings, store)
        qtbot.addWidget(dialog)
        dialog.fill(username, PASSWORD)
        dialog.language.setCurrentIndex(dialog.language.findData(language))
        assert dialog.attempt(), dialog.message.text()
        i18n.set_language(language)
        session = Session(dialog.api)
        session.load()
        window = MainWindow(session, settings, store, poll_ms=poll_ms, retry_delays=(0.2, 0.4, 0.8))
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
        return window

    yield connect
    for window in windows:
        window.close()                                # stops the inbox polling and the retries
        window.session.api.close()
    i18n.set_language("zh-hans")


class Proxy:
    """A TCP forwarder in front of the live server: stop() is the server gone (connections refused), start()
    brings it back on the same port, so the client sees the server killed and restarted."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.listener = None
        self.connections: list[socket.socket] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.connections += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, sink) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)   # wakes the thread blocked in accept()
            self.listener.close()
            self.listener = None
        for connection in self.connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            except OSError:
                pass
        self.connections = []


@pytest.fixture
def proxy(live_server):
    from opsmon_desk.session import OPENAPI_CACHE

    host, port = live_server.url.removeprefix("http://").rsplit(":", 1)
    forwarder = Proxy(host, int(port))
    forwarder.start()
    if live_server.url in OPENAPI_CACHE:  # the same server behind another address: no need to read it again
        OPENAPI_CACHE[forwarder.url] = OPENAPI_CACHE[live_server.url]
    yield forwarder
    forwarder.stop()
