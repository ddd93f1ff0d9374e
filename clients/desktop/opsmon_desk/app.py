"""`opsmon-desk`: start the desktop client (log in, then the main window)."""

import argparse
import sys

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from . import __version__, i18n
from .api import Api, ApiError, Offline
from .config import DEFAULT_SERVER, LANGUAGES, Settings
from .dialogs import LoginDialog
from .main_window import MainWindow
from .session import Session
from .tokens import TokenStore


def parse(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="opsmon-desk", description="OpsMon desktop client: works against any OpsMon server over its REST API.")
    parser.add_argument("--server", help=f"the server's address (default: the last one used, else {DEFAULT_SERVER})")
    parser.add_argument("--username", help="log in as this user")
    parser.add_argument("--language", choices=LANGUAGES, help="zh-hans (default) or en")
    parser.add_argument("--version", action="version", version=f"opsmon-desk {__version__}")
    return parser.parse_args(argv)


class Controller:
    """Log in (or resume the stored token), open the main window, and start over after a logout."""

    def __init__(self, settings: Settings, store: TokenStore):
        self.settings = settings
        self.store = store
        self.window = None

    def resume(self):
        token = self.store.load(self.settings.server, self.settings.username) if self.settings.username else None
        if not token:
            return None
        api = Api(self.settings.server, language=self.settings.language, token=token)
        session = Session(api)
        try:
            session.load()
        except (ApiError, Offline):
            return None
        return session

    def start(self) -> bool:
        i18n.set_language(self.settings.language)
        session = self.resume()
        if session is None:
            dialog = LoginDialog(self.settings, self.store)
            if not dialog.exec():
                return False
            i18n.set_language(self.settings.language)
            session = Session(dialog.api)
            session.load()
        self.window = MainWindow(session, self.settings, self.store)
        self.window.logged_out.connect(self.restart)
        self.window.show()
        return True

    def restart(self) -> None:
        if not self.start():
            QApplication.quit()


def main(argv=None) -> int:
    args = parse(argv)
    settings = Settings.load()
    if args.server:
        settings.server = args.server.rstrip("/")
    if args.username:
        settings.username = args.username
    if args.language:
        settings.language = args.language
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("OpsMon")
    app.setQuitOnLastWindowClosed(True)
    cjk = [f for f in QFontDatabase.families() if "CJK SC" in f or "Noto Sans SC" in f]
    if cjk:
        app.setFont(QFont(cjk[0], 10))
    controller = Controller(settings, TokenStore())
    if not controller.start():
        return 0
    return app.exec()
