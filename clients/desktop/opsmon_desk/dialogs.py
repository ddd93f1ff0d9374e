"""The login dialog and the one action dialog every action of every resource uses, built from the action's request
schema. A refusal is shown next to the field it names and nothing the user typed is lost: not on a refusal, not
on a stale version (the conflict is shown beside the user's text), not when the server is unreachable."""

import os
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import i18n
from .api import Api, ApiError, Offline
from .config import LANGUAGES, Settings
from .inputs import Input, make_input
from .tokens import TokenStore
from .values import fill, initial, show

ERROR_STYLE = "color: #c62828;"
MESSAGE_STYLE = "background: #fdecea; color: #8a1c1c; padding: 6px; border-radius: 4px;"
CONFLICT_STYLE = "QFrame#conflict { background: #fff4e5; border: 1px solid #f0b429; border-radius: 4px; }"


class LoginDialog(QDialog):
    """Server, username, password and language. With `api` given (the token expired) the server is fixed and the
    same Api gets the new token."""

    def __init__(self, settings: Settings, store: TokenStore, api: Api | None = None, parent=None):
        super().__init__(parent)
        self.settings = settings
        self.store = store
        self.api = api
        self.setWindowTitle(i18n.tr("Log in to OpsMon"))
        self.setObjectName("loginDialog")
        layout = QVBoxLayout(self)
        if api is not None:
            note = QLabel(i18n.tr("Your session has ended. Log in again to finish what you were doing."))
            note.setWordWrap(True)
            layout.addWidget(note)
        form = QFormLayout()
        self.server = QLineEdit(api.server if api else settings.server)
        self.server.setObjectName("server")
        self.server.setEnabled(api is None)
        self.username = QLineEdit(settings.username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code in LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(settings.language))
        form.addRow(i18n.tr("Server"), self.server)
        form.addRow(i18n.tr("Username"), self.username)
        form.addRow(i18n.tr("Password"), self.password)
        form.addRow(i18n.tr("Language"), self.language)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(i18n.tr("Log in"))
        buttons.accepted.connect(self.attempt)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.password if settings.username else self.username).setFocus()

    def fill(self, username: str, password: str, server: str | None = None) -> None:
        if server is not None and self.server.isEnabled():
            self.server.setText(server)
        self.username.setText(username)
        self.password.setText(password)

    def attempt(self) -> bool:
        server = self.server.text().strip().rstrip("/")
        username = self.username.text().strip()
        language = self.language.currentData()
        if self.api is None or self.api.server != server:
            self.api = Api(server, language=language)
        self.api.language = language
        try:
            token = self.api.login(username, self.password.text())
        except Offline:
            return self._refused(i18n.tr("The server cannot be reached: {server}").format(server=server))
        except ApiError as error:
            return self._refused(error.message)
        self.settings.server, self.settings.username, self.settings.language = server, username, language
        self.settings.save(self.store.directory)
        self.store.save(server, username, token)
        self.password.clear()
        self.accept()
        return True

    def _refused(self, text: str) -> bool:
        self.message.setText(text)
        self.message.show()
        return False


class ActionDialog(QDialog):
    """One action (or the create action) of a resource: the fields of its request body, each with its label, input
    and the place its refusal is shown."""

    def __init__(self, session, resource: dict, action: dict, record: dict | None = None, parent=None,
                 on_done=None):
        super().__init__(parent)
        self.session = session
        self.resource = resource
        self.action = action
        self.record = record or {}
        self.on_done = on_done
        self.answer = None
        self.version = self.record.get("version")
        self.latest: dict | None = None
        self.setObjectName(f"action:{action['name']}")
        number = self.record.get(resource.get("number_field") or "number") if record else None
        self.setWindowTitle(f"{action['label']} {number or ''}".strip())
        self.setMinimumWidth(560)
        self.content_type, self.specs = session.openapi.fields(action)
        body = session.openapi.body(action["method"], action["path"])
        self.takes_version = bool(body and "version" in body[1])

        outer = QVBoxLayout(self)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()
        outer.addWidget(self.message)
        self.conflict = self._conflict_box()
        outer.addWidget(self.conflict)

        self.inputs: dict[str, Input] = {}
        self.errors: dict[str, QLabel] = {}
        holder = QWidget()
        form = QFormLayout(holder)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for spec in self.specs:
            field = make_input(spec, session)
            self.inputs[spec.name] = field
            error = QLabel()
            error.setObjectName(f"error:{spec.name}")
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            self.errors[spec.name] = error
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(field.widget)
            cell_layout.addWidget(error)
            label = QLabel(spec.label + (" *" if spec.required else ""))
            if spec.help:
                label.setToolTip(spec.help)
            form.addRow(label, cell)
        if not self.specs:
            question = QLabel(i18n.tr("{action}: are you sure?").format(action=action["label"]))
            question.setObjectName("question")
            form.addRow(question)
        if len(self.specs) > 6:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(holder)
            scroll.setMinimumHeight(420)
            outer.addWidget(scroll)
        else:
            outer.addWidget(holder)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setObjectName("submit")
        self.ok.setText(action["label"])
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(i18n.tr("Cancel"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        self.initial: dict = {}
        self._prefill()
        self.set_online(session.api.online)

    # --- building --------------------------------------------------------------------------------------------

    def _conflict_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("conflict")
        box.setStyleSheet(CONFLICT_STYLE)
        layout = QVBoxLayout(box)
        self.conflict_text = QLabel()
        self.conflict_text.setWordWrap(True)
        self.conflict_table = QTableWidget(0, 3)
        self.conflict_table.setHorizontalHeaderLabels(
            [i18n.tr("Field"), i18n.tr("Yours"), i18n.tr("Now on the server")])
        self.conflict_table.horizontalHeader().setStretchLastSection(True)
        self.conflict_table.setMaximumHeight(140)
        self.keep_mine = QPushButton(i18n.tr("Keep my changes and save over the new version"))
        self.keep_mine.setObjectName("keepMine")
        self.keep_mine.clicked.connect(self.keep_my_changes)
        layout.addWidget(self.conflict_text)
        layout.addWidget(self.conflict_table)
        layout.addWidget(self.keep_mine)
        box.hide()
        return box

    def _prefill(self) -> None:
        prefill = self.action.get("prefill") or ""
        source: dict = {}
        if prefill == "record":
            source = self.record
        elif prefill:
            path = fill(prefill, self.record)
            try:
                source = self.session.api.get(path) or {} if path else {}
            except ApiError:
                source = {}
            except Offline:
                source = {}
        for name, field in self.inputs.items():
            value = initial(source, name) if source else None
            if value is not None:
                field.set_value(value)
        self.initial = {name: field.value() for name, field in self.inputs.items()}

    # --- state -------------------------------------------------------------------------------------------------

    def set_online(self, online: bool) -> None:
        self.ok.setEnabled(online)
        if not online:
            self.show_message(i18n.tr("The server cannot be reached. What you typed is kept; send it again when the "
                                      "connection is back."))
        elif self.message.property("offline"):
            self.message.hide()
        self.message.setProperty("offline", not online)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def error_text(self, name: str) -> str:
        label = self.errors.get(name)
        return label.text() if label is not None and not label.isHidden() else ""

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()
        self.message.hide()
        self.message.setProperty("offline", False)

    # --- sending -------------------------------------------------------------------------------------------------

    def body(self) -> dict:
        """What the user entered; an edit sends only the fields changed from what was read (and the version)."""
        values = {name: field.value() for name, field in self.inputs.items()}
        if self.action["method"] == "PATCH":
            values = {name: value for name, value in values.items() if value != self.initial.get(name)}
            values = {name: value for name, value in values.items()
                      if value is not None or next(s for s in self.specs if s.name == name).nullable}
        else:
            values = {name: value for name, value in values.items() if value is not None}
        values.update(self.action.get("fixed") or {})
        if self.takes_version and self.version is not None:
            values["version"] = self.version
        return values

    def submit(self) -> bool:
        path = fill(self.action["path"], self.record)
        if path is None:
            self.show_message(i18n.tr("This action is not possible on this record now."))
            return False
        self.clear_errors()
        body = self.body()
        opened = []
        try:
            if self.content_type == "multipart/form-data":
                files, data = {}, {}
                for name, value in body.items():
                    spec = next((s for s in self.specs if s.name == name), None)
                    if spec is not None and spec.kind == "file":
                        handle = open(value, "rb")  # noqa: SIM115 - closed below
                        opened.append(handle)
                        files[name] = (Path(value).name, handle)
                    else:
                        data[name] = str(value)
                answer = self.session.api.request(self.action["method"], path, data=data, files=files or None)
            else:
                answer = self.session.api.request(self.action["method"], path, json=body)
        except Offline:
            self.set_online(False)
            return False
        except ApiError as error:
            self.show_error(error)
            return False
        except OSError as error:
            self.show_message(str(error))
            return False
        finally:
            for handle in opened:
                handle.close()
        self.answer = answer
        self.accept()
        if self.on_done is not None:
            self.on_done(self.action, answer)
        return True

    def show_error(self, error: ApiError) -> None:
        if error.code == "stale_version":
            self.show_conflict(error)
            return
        unplaced = []
        for key, messages in (error.fields or {}).items():
            name = key.split(".")[0]
            text = "；".join(str(m) for m in (messages if isinstance(messages, list) else [messages]))
            if name in self.errors:
                self.errors[name].setText(text)
                self.errors[name].show()
            else:
                unplaced.append(f"{key}: {text}" if key != "__all__" else text)
        self.show_message("\n".join([error.message, *unplaced]))

    def show_conflict(self, error: ApiError) -> None:
        """Someone saved the record since it was read: show what is on the server now beside the user's text (which
        stays in the fields) and let the user save over it knowingly."""
        self.conflict_text.setText(error.message)
        try:
            self.latest = self.session.api.get(fill(self.resource["detail_path"], self.record))
        except (ApiError, Offline):
            self.latest = None
        self.conflict_table.setRowCount(0)
        if self.latest:
            for spec in self.specs:
                mine = self.inputs[spec.name].value()
                theirs = initial(self.latest, spec.name)
                if mine != theirs and (mine != self.initial.get(spec.name) or theirs != self.initial.get(spec.name)):
                    row = self.conflict_table.rowCount()
                    self.conflict_table.insertRow(row)
                    for column, text in enumerate((spec.label, show(mine), show(theirs))):
                        self.conflict_table.setItem(row, column, QTableWidgetItem(text))
        self.keep_mine.setEnabled(self.latest is not None)
        self.conflict.show()

    def keep_my_changes(self) -> bool:
        """Save the user's changes over the version now on the server."""
        if self.latest is None:
            return False
        self.version = self.latest.get("version")
        self.conflict.hide()
        return self.submit()

    def conflict_rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.conflict_table.item(r, c).text() for c in range(3))
                for r in range(self.conflict_table.rowCount())]


def open_file(path: Path) -> None:
    """Open a downloaded file with the system's viewer (not under tests: OPSMON_DESK_NO_OPEN=1)."""
    if os.environ.get("OPSMON_DESK_NO_OPEN") == "1":
        return
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
