"""The generic screens: a resource's list (search, filters, paging, export) and a record's window (sections,
related lists, the action buttons of its `allowed_actions`). Nothing here knows any resource by name."""

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from . import i18n
from .api import ApiError, Offline
from .dialogs import ActionDialog, open_file
from .values import dig, fill, show

PAGE_SIZE = 50


def table_widget(columns: list[dict]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels([c["label"] for c in columns])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def display(spec: dict, record: dict) -> str:
    """A described field's value in `record` as a person reads it (a coded value by its label)."""
    value = dig(record, spec["name"])
    if spec["kind"] == "choice" and spec.get("choices"):
        value = next((ch["label"] for ch in spec["choices"] if ch["value"] == value), value)
    return show(value, spec["kind"])


def fill_table(table: QTableWidget, columns: list[dict], rows: list[dict]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, column in enumerate(columns):
            item = QTableWidgetItem(display(column, row))
            if column["kind"] in ("money", "number", "integer"):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    for c in range(table.columnCount()):
        table.setColumnWidth(c, min(table.columnWidth(c), 320))


def clear(layout) -> None:
    """Empty a layout now: its widgets leave the window at once (deleteLater alone would leave them drawn until the
    event loop next runs)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()


class ListView(QWidget):
    """A resource's list as its UI description says: columns, search, filters; paged; exported to .xlsx."""

    open_record = Signal(str, object)          # resource name, record (dict with at least "id")
    failed = Signal(object)                    # an ApiError or Offline to show

    def __init__(self, session, resource: dict, parent=None):
        super().__init__(parent)
        self.session = session
        self.resource = resource
        self.setObjectName(f"list:{resource['name']}")
        self.page = 1
        self.count = 0
        self.rows: list[dict] = []
        layout = QVBoxLayout(self)
        title = QLabel(resource["title"])
        title.setObjectName("title")
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        layout.addWidget(title)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(i18n.tr("Search"))
        self.search.returnPressed.connect(self.first_page)
        self.search.setVisible(bool(resource.get("search")))
        bar.addWidget(self.search, 2)
        self.filters: dict[str, QWidget] = {}
        for spec in resource.get("filters") or []:
            widget = self._filter_widget(spec)
            widget.setObjectName(f"filter:{spec['name']}")
            self.filters[spec["name"]] = widget
            bar.addWidget(widget, 1)
        go = QPushButton(i18n.tr("Search"))
        go.setObjectName("go")
        go.clicked.connect(self.first_page)
        bar.addWidget(go)
        self.create_button = QPushButton(resource["create"]["label"]) if resource.get("create") else None
        if self.create_button is not None:
            self.create_button.setObjectName("create")
            self.create_button.clicked.connect(lambda: self.create().open())
            bar.addWidget(self.create_button)
        self.export_button = QPushButton(i18n.tr("Export to Excel")) if resource.get("export") else None
        if self.export_button is not None:
            self.export_button.setObjectName("export")
            self.export_button.clicked.connect(self._export_clicked)
            bar.addWidget(self.export_button)
        layout.addLayout(bar)

        self.table = table_widget(resource["columns"])
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)

        pager = QHBoxLayout()
        self.previous = QPushButton(i18n.tr("Previous"))
        self.previous.setObjectName("previous")
        self.previous.clicked.connect(lambda: self.go_to(self.page - 1))
        self.next = QPushButton(i18n.tr("Next"))
        self.next.setObjectName("next")
        self.next.clicked.connect(lambda: self.go_to(self.page + 1))
        self.status = QLabel()
        self.status.setObjectName("pageStatus")
        pager.addWidget(self.status, 1)
        pager.addWidget(self.previous)
        pager.addWidget(self.next)
        layout.addLayout(pager)

    def _filter_widget(self, spec: dict) -> QWidget:
        kind = spec["kind"]
        if kind == "bool":
            return QCheckBox(spec["label"])
        if kind in ("choice", "code", "user"):
            combo = QComboBox()
            combo.addItem(f"{spec['label']}：{i18n.tr('All')}", "")
            if kind == "choice":
                options = [(c["value"], c["label"]) for c in spec.get("choices") or []]
            elif kind == "code":
                options = self.session.codes(spec["table"])
            else:
                options = self.session.users(spec.get("role", ""))
            for value, label in options:
                combo.addItem(str(label), value)
            return combo
        edit = QLineEdit()
        edit.setPlaceholderText(spec["label"])
        edit.returnPressed.connect(self.first_page)
        return edit

    def params(self) -> dict:
        params = {}
        if self.resource.get("search") and self.search.text().strip():
            params["q"] = self.search.text().strip()
        for name, widget in self.filters.items():
            if isinstance(widget, QCheckBox):
                if widget.isChecked():
                    params[name] = "true"
            elif isinstance(widget, QComboBox):
                if widget.currentData():
                    params[name] = widget.currentData()
            elif widget.text().strip():
                params[name] = widget.text().strip()
        return params

    def set_filter(self, name: str, value) -> None:
        widget = self.filters[name]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(max(0, widget.findData(value)))
        else:
            widget.setText(str(value))

    def first_page(self) -> bool:
        return self.go_to(1)

    def go_to(self, page: int) -> bool:
        page = max(1, page)
        try:
            answer = self.session.api.get(self.resource["path"], page=page, page_size=PAGE_SIZE, **self.params())
        except (ApiError, Offline) as error:
            self.failed.emit(error)
            return False
        self.page = page
        self.rows = answer.get("items", [])
        self.count = answer.get("count", len(self.rows))
        fill_table(self.table, self.resource["columns"], self.rows)
        pages = max(1, -(-self.count // PAGE_SIZE))
        self.status.setText(i18n.tr("Page {page} of {pages}, {count} in all").format(
            page=self.page, pages=pages, count=self.count))
        self.previous.setEnabled(self.page > 1)
        self.next.setEnabled(self.page < pages)
        return True

    def reload(self) -> bool:
        return self.go_to(self.page)

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.open_record.emit(self.resource["name"], self.rows[row])

    def create(self) -> ActionDialog:
        def done(action, answer):
            self.session.forget(self.resource["name"])
            self.reload()
            if isinstance(answer, dict) and answer.get("id") is not None:
                self.open_record.emit(self.resource["name"], answer)
        return ActionDialog(self.session, self.resource, self.resource["create"], None, self.window(), on_done=done)

    def export_to(self, path: Path) -> Path:
        """The list with its current search and filters, as the server's Excel export."""
        content, _ = self.session.api.download(self.resource["export"], self.params())
        path = Path(path)
        path.write_bytes(content)
        return path

    def _export_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(self, i18n.tr("Export to Excel"),
                                                f"{self.resource['name']}.xlsx", "Excel (*.xlsx)")
        if chosen:
            try:
                self.export_to(Path(chosen))
            except (ApiError, Offline) as error:
                self.failed.emit(error)

    def set_online(self, online: bool) -> None:
        for button in (self.create_button, self.export_button):
            if button is not None:
                button.setEnabled(online)


class RecordWindow(QWidget):
    """One record: number, title, status; its action buttons (exactly its `allowed_actions` the client knows how
    to fire); its sections and related lists. Opened by double-click from a list or the inbox."""

    changed = Signal(str)                      # resource name: a list showing it should reload
    failed = Signal(object)
    open_record = Signal(str, object)

    def __init__(self, session, resource: dict, record: dict, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.session = session
        self.resource = resource
        self.record = dict(record)
        self.online = session.api.online
        self.dialog: ActionDialog | None = None
        self.setObjectName(f"record:{resource['name']}:{record.get('id')}")
        self.resize(980, 720)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.heading.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.heading.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setStyleSheet("background: #e8f0fe; color: #1a4fa0; padding: 2px 8px; border-radius: 8px;")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        layout.addLayout(top)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        layout.addWidget(self.notice)
        self.action_bar = QHBoxLayout()
        layout.addLayout(self.action_bar)
        self.buttons: dict[str, QPushButton] = {}
        self.tabs = QTabWidget()
        layout.addWidget(self.tabs, 1)
        self.sections = QWidget()
        self.sections_layout = QVBoxLayout(self.sections)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.sections)
        self.tabs.addTab(scroll, i18n.tr("Details"))
        self.related: dict[str, tuple[QTableWidget, list]] = {}
        for related in resource.get("related") or []:
            holder = QWidget()
            holder_layout = QVBoxLayout(holder)
            table = table_widget(related["columns"])
            table.setObjectName(f"related:{related['name']}")
            holder_layout.addWidget(table)
            if related.get("download"):
                open_button = QPushButton(i18n.tr("Download and open"))
                open_button.setObjectName(f"download:{related['name']}")
                open_button.clicked.connect(
                    lambda _=False, n=related["name"], t=table: self._download_clicked(n, t.currentRow()))
                table.doubleClicked.connect(lambda index, n=related["name"]: self._download_clicked(n, index.row()))
                holder_layout.addWidget(open_button)
            self.related[related["name"]] = (table, [])
            self.tabs.addTab(holder, related["title"])
        self.show_record(self.record)

    # --- loading ---------------------------------------------------------------------------------------------

    def reload(self) -> bool:
        if not self.resource.get("detail_path"):
            return self._reload_from_list()
        try:
            record = self.session.api.get(fill(self.resource["detail_path"], self.record))
        except (ApiError, Offline) as error:
            self.failed.emit(error)
            return False
        self.show_record(record)
        return True

    def _reload_from_list(self) -> bool:
        """A resource without a detail endpoint: the record is its row of the list."""
        try:
            page = 1
            while True:
                answer = self.session.api.get(self.resource["path"], page=page, page_size=200)
                found = next((r for r in answer.get("items", []) if r.get("id") == self.record.get("id")), None)
                if found is not None or len(answer.get("items", [])) < 200:
                    break
                page += 1
        except (ApiError, Offline) as error:
            self.failed.emit(error)
            return False
        if found is not None:
            self.show_record(found)
        return found is not None

    def show_record(self, record: dict) -> None:
        self.record = record
        number = dig(record, self.resource.get("number_field") or "") or ""
        title = dig(record, self.resource.get("title_field") or "") or ""
        self.heading.setText(f"{self.resource['item_title']} {number}  {title}".strip())
        self.setWindowTitle(f"{number} {title}".strip() or self.resource["item_title"])
        status = dig(record, self.resource.get("status_field") or "")
        self.status.setText(show(status))
        self.status.setVisible(status not in (None, ""))
        self._draw_actions()
        self._draw_sections()
        for related in self.resource.get("related") or []:
            self._load_related(related)

    def _draw_actions(self) -> None:
        clear(self.action_bar)
        self.buttons = {}
        known = {a["name"]: a for a in self.resource.get("actions") or []}
        allowed = self.record.get("allowed_actions")
        if allowed is None:
            self.notice.setText(i18n.tr("The server does not say which actions are allowed on this record."))
            self.notice.show()
            allowed = []
        else:
            self.notice.hide()
        for name in allowed:
            action = known.get(name)
            if action is None or fill(action["path"], self.record) is None:
                continue
            button = QPushButton(action["label"])
            button.setObjectName(f"action:{name}")
            button.clicked.connect(lambda _=False, n=name: self.open_action(n).open())
            button.setEnabled(self.online)
            self.buttons[name] = button
            self.action_bar.addWidget(button)
        self.action_bar.addStretch(1)
        refresh = QPushButton(i18n.tr("Refresh"))
        refresh.setObjectName("refresh")
        refresh.clicked.connect(self.reload)
        self.action_bar.addWidget(refresh)

    def _draw_sections(self) -> None:
        clear(self.sections_layout)
        self.values: dict[str, str] = {}
        for section in self.resource.get("sections") or []:
            box = QGroupBox(section["title"])
            form = QFormLayout(box)
            for spec in section["fields"]:
                text = display(spec, self.record)
                value = QLabel(text)
                value.setObjectName(f"value:{spec['name']}")
                value.setWordWrap(True)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.values[spec["name"]] = text
                form.addRow(QLabel(spec["label"]), value)
            self.sections_layout.addWidget(box)
        self.sections_layout.addStretch(1)

    def _load_related(self, related: dict) -> None:
        table, _ = self.related[related["name"]]
        rows: list = []
        if related["path"]:
            path = fill(related["path"], self.record)
            try:
                answer = self.session.api.get(path) if path else []
            except ApiError:
                answer = []
            except Offline as error:
                self.failed.emit(error)
                answer = []
            rows = answer.get("items", []) if isinstance(answer, dict) else (answer or [])
        else:
            rows = [self.record]
        if related.get("expand"):
            expanded = []
            for parent in rows:
                for child in parent.get(related["expand"]) or []:
                    expanded.append({**{k: v for k, v in parent.items() if k != related["expand"]}, **child})
            rows = expanded
        self.related[related["name"]] = (table, rows)
        fill_table(table, related["columns"], rows)

    def related_rows(self, name: str) -> list[dict]:
        return self.related[name][1]

    # --- actions ---------------------------------------------------------------------------------------------

    def open_action(self, name: str) -> ActionDialog:
        action = next(a for a in self.resource["actions"] if a["name"] == name)
        self.dialog = ActionDialog(self.session, self.resource, action, self.record, self, on_done=self._done)
        return self.dialog

    def _done(self, action: dict, answer) -> None:
        self.changed.emit(self.resource["name"])
        if isinstance(answer, dict) and answer.get("id") == self.record.get("id") and "allowed_actions" in answer \
                and answer.get("version") is not None:
            self.show_record(answer)
        else:
            self.reload()

    def download(self, related: str, row: int) -> Path:
        """Fetch a related row's file (a tender document, the draft, an attachment) into the download folder."""
        spec = next(r for r in self.resource["related"] if r["name"] == related)
        rows = self.related[related][1]
        path = fill(spec["download"], self.record, rows[row])
        content, name = self.session.api.download(path)
        folder = Path(tempfile.gettempdir()) / "opsmon-desk"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / Path(name).name
        target.write_bytes(content)
        return target

    def _download_clicked(self, related: str, row: int) -> None:
        if row < 0:
            return
        try:
            open_file(self.download(related, row))
        except (ApiError, Offline) as error:
            self.failed.emit(error)

    def set_online(self, online: bool) -> None:
        self.online = online
        for button in self.buttons.values():
            button.setEnabled(online)
        if self.dialog is not None:
            self.dialog.set_online(online)
