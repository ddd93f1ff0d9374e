"""The main window: navigation (inbox, dashboard, then every resource the server describes), the offline banner,
the tray, the account menu; record windows open beside it."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from . import i18n
from .api import ApiError, Offline
from .dialogs import ActionDialog, LoginDialog
from .screens import DashboardView, InboxView
from .views import ListView, RecordWindow

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)   # seconds between tries while the server is unreachable


def app_icon() -> QIcon:
    pixmap = QPixmap(64, 64)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#206bc4"))
    painter.setPen(QColor("#206bc4"))
    painter.drawRoundedRect(4, 4, 56, 56, 12, 12)
    painter.setPen(QColor("#ffffff"))
    font = painter.font()
    font.setPixelSize(34)
    font.setBold(True)
    painter.setFont(font)
    painter.drawText(pixmap.rect(), 0x84, "O")  # AlignCenter
    painter.end()
    return QIcon(pixmap)


class MainWindow(QMainWindow):
    logged_out = Signal()
    language_changed = Signal(str)
    connectivity = Signal(bool)

    def __init__(self, session, settings, store, *, poll_ms: int | None = None, retry_delays=RETRY_DELAYS):
        super().__init__()
        self.session = session
        self.settings = settings
        self.store = store
        self.poll_ms = poll_ms
        self.retry_delays = tuple(retry_delays)
        self.retry_index = 0
        self.notifications: list[tuple[str, str]] = []
        self.records: dict[tuple[str, int], RecordWindow] = {}
        self.pages: dict[str, QWidget] = {}
        self.last_error: Exception | None = None
        self.setObjectName("main")
        self.setWindowIcon(app_icon())
        self.resize(1280, 800)
        self.retry_timer = QTimer(self)
        self.retry_timer.setSingleShot(True)
        self.retry_timer.timeout.connect(self.retry)
        self.connectivity.connect(self.set_online)
        session.api.listeners.append(self.connectivity.emit)
        session.api.reauthenticate = self.reauthenticate
        self.tray = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip("OpsMon")
            self.tray.messageClicked.connect(self._tray_clicked)
            self.tray.show()
        self.pending_item: dict | None = None
        self.build()

    # --- building ------------------------------------------------------------------------------------------------

    def build(self) -> None:
        me = self.session.me
        self.setWindowTitle(f"OpsMon — {me.get('display_name', '')}")
        self.menuBar().clear()
        account = self.menuBar().addMenu(i18n.tr("Account"))
        for code, name in i18n.LANGUAGE_NAMES.items():
            choose = QAction(name, self)
            choose.setCheckable(True)
            choose.setChecked(code == self.session.api.language)
            choose.triggered.connect(lambda _=False, c=code: self.set_language(c))
            account.addAction(choose)
        account.addSeparator()
        logout = QAction(i18n.tr("Log out"), self)
        logout.setObjectName("logout")
        logout.triggered.connect(self.logout)
        account.addAction(logout)
        quit_action = QAction(i18n.tr("Quit"), self)
        quit_action.triggered.connect(QApplication.quit)
        account.addAction(quit_action)

        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(6, 6, 6, 6)
        self.banner = QFrame()
        self.banner.setObjectName("offlineBanner")
        self.banner.setStyleSheet("QFrame#offlineBanner { background: #d63939; border-radius: 4px; }"
                                  "QLabel { color: white; font-weight: 600; }")
        banner_layout = QHBoxLayout(self.banner)
        self.banner_text = QLabel()
        banner_layout.addWidget(self.banner_text, 1)
        retry_now = QPushButton(i18n.tr("Retry now"))
        retry_now.setObjectName("retryNow")
        retry_now.clicked.connect(self.retry)
        banner_layout.addWidget(retry_now)
        self.banner.setVisible(not self.session.api.online)
        outer.addWidget(self.banner)

        splitter = QSplitter()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setMaximumWidth(200)
        self.nav.setStyleSheet("QListWidget { font-size: 14px; } QListWidget::item { padding: 8px; }")
        self.stack = QStackedWidget()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        outer.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.pages = {}
        entries = [("inbox", i18n.tr("Inbox")), ("dashboard", i18n.tr("Dashboard"))]
        entries += [(f"resource:{r['name']}", r["title"]) for r in self.session.resources.values()]
        for key, title in entries:
            item = QListWidgetItem(title)
            item.setData(256, key)
            self.nav.addItem(item)
        self.nav.currentItemChanged.connect(lambda item, _: item and self.show_page(item.data(256)))
        who = f"{me.get('display_name', '')}（{me.get('username', '')}）· {self.session.api.server}"
        self.statusBar().showMessage(who)
        self.nav.setCurrentRow(0)

    def page(self, key: str) -> QWidget:
        if key in self.pages:
            return self.pages[key]
        if key == "inbox":
            widget = InboxView(self.session, poll_ms=self.poll_ms or 30_000)
            widget.open_item.connect(self.open_inbox_item)
            widget.arrived.connect(self._arrived)
        elif key == "dashboard":
            widget = DashboardView(self.session)
        else:
            resource = self.session.resources[key.split(":", 1)[1]]
            widget = ListView(self.session, resource)
            widget.open_record.connect(self.open_record)
            widget.set_online(self.session.api.online)
        widget.failed.connect(self.failed)
        self.pages[key] = widget
        self.stack.addWidget(widget)
        widget.refresh() if hasattr(widget, "refresh") else widget.first_page()
        return widget

    def show_page(self, key: str) -> QWidget:
        widget = self.page(key)
        self.stack.setCurrentWidget(widget)
        for row in range(self.nav.count()):
            if self.nav.item(row).data(256) == key and self.nav.currentRow() != row:
                self.nav.setCurrentRow(row)
        return widget

    def list_view(self, resource: str) -> ListView:
        return self.show_page(f"resource:{resource}")

    # --- records -------------------------------------------------------------------------------------------------

    def open_record(self, resource_name: str, record: dict) -> RecordWindow:
        key = (resource_name, record["id"])
        window = self.records.get(key)
        if window is None:
            window = RecordWindow(self.session, self.session.resources[resource_name], record)
            window.setWindowIcon(app_icon())
            window.changed.connect(self._record_changed)
            window.failed.connect(self.failed)
            window.destroyed.connect(lambda *_, k=key: self.records.pop(k, None))
            self.records[key] = window
        window.reload()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_inbox_item(self, item: dict) -> RecordWindow | None:
        resource = self.session.resource_for(item.get("record_type", ""))
        if resource is None:
            self.statusBar().showMessage(item.get("title", ""))
            return None
        return self.open_record(resource["name"], {"id": item["record_id"]})

    def _record_changed(self, resource_name: str) -> None:
        page = self.pages.get(f"resource:{resource_name}")
        if page is not None:
            page.reload()
        inbox = self.pages.get("inbox")
        if inbox is not None:
            inbox.refresh()

    def _arrived(self, items: list) -> None:
        for item in items:
            self.notify(item.get("label", ""), item.get("title", ""))
        self.pending_item = items[-1]

    def notify(self, title: str, text: str) -> None:
        self.notifications.append((title, text))
        if self.tray is not None:
            self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 10_000)

    def _tray_clicked(self) -> None:
        if self.pending_item is not None:
            self.open_inbox_item(self.pending_item)

    # --- faults ------------------------------------------------------------------------------------------------------

    def failed(self, error: Exception) -> None:
        self.last_error = error
        if isinstance(error, ApiError):
            self.statusBar().showMessage(error.message, 15_000)

    def set_online(self, online: bool) -> None:
        """Offline: the banner, every action disabled, tries again with growing pauses; nothing typed is touched.
        Back online: the banner goes and the screens reload (open dialogs keep what was typed)."""
        self.banner.setVisible(not online)
        for widget in [*self.pages.values(), *self.records.values()]:
            if hasattr(widget, "set_online"):
                widget.set_online(online)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, ActionDialog) and widget.isVisible():
                widget.set_online(online)
        if online:
            self.retry_timer.stop()
            self.retry_index = 0
            current = self.stack.currentWidget()
            if current is not None:
                current.refresh() if hasattr(current, "refresh") else current.reload()
            for window in self.records.values():
                window.reload()
        else:
            self.schedule_retry()

    def schedule_retry(self) -> None:
        delay = self.retry_delays[min(self.retry_index, len(self.retry_delays) - 1)]
        self.retry_index += 1
        self.banner_text.setText(i18n.tr("The server cannot be reached. Trying again in {seconds} s; what you typed "
                                         "is kept.").format(seconds=f"{delay:g}"))
        self.retry_timer.start(int(delay * 1000))

    def retry(self) -> bool:
        if self.session.api.ping():
            return True   # the listener turns everything back on
        self.schedule_retry()
        return False

    def reauthenticate(self) -> bool:
        """The token expired or was revoked: log in again (same server, same user by default); the request that
        met the 401 is then sent again, so the pending action finishes."""
        dialog = LoginDialog(self.settings, self.store, api=self.session.api, parent=self)
        dialog.setModal(True)
        return bool(dialog.exec())

    # --- account -----------------------------------------------------------------------------------------------------

    def logout(self) -> None:
        self.session.api.logout()
        self.store.clear(self.session.api.server, self.settings.username)
        for window in list(self.records.values()):
            window.close()
        self.logged_out.emit()
        self.close()

    def set_language(self, language: str) -> None:
        self.settings.language = language
        self.settings.save(self.store.directory)
        self.session.api.language = language
        i18n.set_language(language)
        try:
            self.session.reload_description()
        except (ApiError, Offline) as error:
            self.failed(error)
            return
        for window in list(self.records.values()):
            window.close()
        self.records.clear()
        self.build()
        self.language_changed.emit(language)

    def closeEvent(self, event):  # noqa: N802 - Qt's name
        self.retry_timer.stop()
        for page in self.pages.values():
            if isinstance(page, InboxView):
                page.timer.stop()
        for window in list(self.records.values()):
            window.close()
        if self.tray is not None:
            self.tray.hide()
        super().closeEvent(event)
