"""One input per kind of field (schema.FieldSpec): value() answers what goes into the request body (None =
left empty), set_value() fills it."""

import json

from PySide6.QtCore import QDate, QDateTime, QRegularExpression, Qt, QTime
from PySide6.QtGui import QDoubleValidator, QIntValidator, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from . import i18n
from .schema import FieldSpec

EMPTY_DATE = QDate(1900, 1, 1)


class Input:
    def __init__(self, spec: FieldSpec, widget: QWidget):
        self.spec = spec
        self.widget = widget
        widget.setObjectName(f"input:{spec.name}")

    def value(self):
        raise NotImplementedError

    def set_value(self, value) -> None:
        raise NotImplementedError


class TextInput(Input):
    def __init__(self, spec):
        edit = QLineEdit()
        if spec.max_length:
            edit.setMaxLength(spec.max_length)
        super().__init__(spec, edit)

    def value(self):
        text = self.widget.text().strip()
        return text if text else None

    def set_value(self, value):
        self.widget.setText("" if value is None else str(value))


class LongTextInput(Input):
    def __init__(self, spec):
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setMinimumHeight(70)
        super().__init__(spec, edit)

    def value(self):
        text = self.widget.toPlainText().strip()
        return text if text else None

    def set_value(self, value):
        self.widget.setPlainText("" if value is None else str(value))


class JsonInput(LongTextInput):
    """A free-form object (an amendment's changes): JSON text; what does not parse is sent as text, so the server
    names the field it refuses."""

    def value(self):
        text = self.widget.toPlainText().strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    def set_value(self, value):
        self.widget.setPlainText("" if value is None else json.dumps(value, ensure_ascii=False, indent=2))


class NumberInput(TextInput):
    def __init__(self, spec):
        super().__init__(spec)
        self.widget.setValidator(QIntValidator() if spec.kind == "integer" else QDoubleValidator())
        self.widget.setAlignment(Qt.AlignmentFlag.AlignRight)

    def value(self):
        text = self.widget.text().strip().replace(",", "")
        if not text:
            return None
        try:
            return int(text) if self.spec.kind == "integer" else float(text)
        except ValueError:
            return text  # the server names what is wrong with it


class MoneyInput(TextInput):
    """Money is a decimal string to the API (never a float)."""

    def __init__(self, spec):
        super().__init__(spec)
        self.widget.setValidator(QRegularExpressionValidator(QRegularExpression(r"-?[0-9,]{0,20}(\.[0-9]{0,2})?")))
        self.widget.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.widget.setPlaceholderText("0.00")

    def value(self):
        text = self.widget.text().strip().replace(",", "")
        return text if text else None


class DateInput(Input):
    """A calendar; an optional date can be left empty (shown as —)."""

    def __init__(self, spec):
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(EMPTY_DATE)
        edit.setSpecialValueText("—")
        edit.setDate(QDate.currentDate() if spec.required else EMPTY_DATE)
        super().__init__(spec, edit)

    def value(self):
        date = self.widget.date()
        return None if date == EMPTY_DATE else date.toString("yyyy-MM-dd")

    def set_value(self, value):
        if not value:
            self.widget.setDate(EMPTY_DATE)
        else:
            self.widget.setDate(QDate.fromString(str(value)[:10], "yyyy-MM-dd"))


class DateTimeInput(Input):
    def __init__(self, spec):
        edit = QDateTimeEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        edit.setMinimumDateTime(QDateTime(EMPTY_DATE, QTime(0, 0)))
        edit.setSpecialValueText("—")
        edit.setDateTime(QDateTime.currentDateTime() if spec.required else QDateTime(EMPTY_DATE, QTime(0, 0)))
        super().__init__(spec, edit)

    def value(self):
        moment = self.widget.dateTime()
        if moment.date() == EMPTY_DATE:
            return None
        return moment.toOffsetFromUtc(moment.offsetFromUtc()).toString(Qt.DateFormat.ISODate)

    def set_value(self, value):
        if not value:
            self.widget.setDateTime(QDateTime(EMPTY_DATE, QTime(0, 0)))
        else:
            moment = QDateTime.fromString(str(value).replace("Z", "+00:00"), Qt.DateFormat.ISODate)
            self.widget.setDateTime(moment.toLocalTime())


class BoolInput(Input):
    def __init__(self, spec):
        super().__init__(spec, QCheckBox())

    def value(self):
        return self.widget.isChecked()

    def set_value(self, value):
        self.widget.setChecked(bool(value))


class ChoiceInput(Input):
    """A list to choose from: fixed choices, a code table, users or records."""

    def __init__(self, spec, options: list[tuple]):
        combo = QComboBox()
        super().__init__(spec, combo)
        combo.setMinimumContentsLength(16)
        if len(options) > 12:
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            combo.completer().setFilterMode(Qt.MatchFlag.MatchContains)
            combo.completer().setCompletionMode(combo.completer().CompletionMode.PopupCompletion)
        combo.addItem("—", None)
        for value, label in options:
            combo.addItem(str(label), value)
        if spec.default not in (None, ""):
            self._select(spec.default)

    def _select(self, value) -> bool:
        for index in range(self.widget.count()):
            if self.widget.itemData(index) == value:
                self.widget.setCurrentIndex(index)
                return True
        return False

    def value(self):
        value = self.widget.currentData()
        return None if value in (None, "") else value

    def set_value(self, value):
        if value in (None, ""):
            self.widget.setCurrentIndex(0)
        elif not self._select(value):
            self.widget.addItem(str(value), value)
            self.widget.setCurrentIndex(self.widget.count() - 1)

    def set_text(self, label: str) -> None:
        """Choose by the label a person sees (tests and keyboard users)."""
        index = self.widget.findText(label, Qt.MatchFlag.MatchContains)
        if index < 0:
            raise LookupError(label)
        self.widget.setCurrentIndex(index)


class UsersInput(Input):
    def __init__(self, spec, options):
        listing = QListWidget()
        listing.setMaximumHeight(110)
        for value, label in options:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            listing.addItem(item)
        super().__init__(spec, listing)

    def value(self):
        out = []
        for index in range(self.widget.count()):
            item = self.widget.item(index)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def set_value(self, value):
        chosen = set(value or ())
        for index in range(self.widget.count()):
            item = self.widget.item(index)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)


class FileInput(Input):
    def __init__(self, spec):
        box = QWidget()
        layout = QHBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit()
        self.path.setPlaceholderText(i18n.tr("Choose a file…"))
        browse = QPushButton(i18n.tr("Browse…"))
        browse.clicked.connect(self.browse)
        layout.addWidget(self.path, 1)
        layout.addWidget(browse)
        super().__init__(spec, box)

    def browse(self):
        chosen, _ = QFileDialog.getOpenFileName(self.widget, self.spec.label)
        if chosen:
            self.path.setText(chosen)

    def value(self):
        text = self.path.text().strip()
        return text if text else None

    def set_value(self, value):
        self.path.setText(str(value or ""))


class RowsInput(Input):
    """A list of small records (contacts, milestones, opening entries): a table with a row per item."""

    def __init__(self, spec):
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.columns = spec.columns or [FieldSpec("value", spec.label)]
        self.table = QTableWidget(0, len(self.columns))
        self.table.setHorizontalHeaderLabels([c.label for c in self.columns])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(110)
        buttons = QHBoxLayout()
        add = QPushButton(i18n.tr("Add row"))
        remove = QPushButton(i18n.tr("Remove row"))
        add.clicked.connect(lambda: self.add_row({}))
        remove.clicked.connect(self.remove_row)
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        super().__init__(spec, box)

    def add_row(self, values: dict) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, spec in enumerate(self.columns):
            value = values.get(spec.name)
            if spec.kind == "bool":
                item = QTableWidgetItem()
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            else:
                item = QTableWidgetItem("" if value is None else str(value))
            self.table.setItem(row, column, item)

    def remove_row(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True) or [self.table.rowCount() - 1]
        for row in rows:
            if row >= 0:
                self.table.removeRow(row)

    def value(self):
        out = []
        for row in range(self.table.rowCount()):
            item = {}
            for column, spec in enumerate(self.columns):
                cell = self.table.item(row, column)
                if spec.kind == "bool":
                    item[spec.name] = cell is not None and cell.checkState() == Qt.CheckState.Checked
                    continue
                text = cell.text().strip() if cell is not None else ""
                if not text:
                    continue
                if spec.kind in ("integer", "number"):
                    try:
                        item[spec.name] = int(text) if spec.kind == "integer" else float(text)
                    except ValueError:
                        item[spec.name] = text
                else:
                    item[spec.name] = text
            if any(v not in (None, "", False) for v in item.values()):
                out.append(item)
        return out

    def set_value(self, value):
        self.table.setRowCount(0)
        for item in value or []:
            if isinstance(item, dict):
                self.add_row(item)


def make_input(spec: FieldSpec, session) -> Input:
    """The input for `spec`; code tables, users and records are fetched through the session (cached)."""
    kind = spec.kind
    if kind == "longtext":
        return LongTextInput(spec)
    if kind in ("number", "integer"):
        return NumberInput(spec)
    if kind == "money":
        return MoneyInput(spec)
    if kind == "date":
        return DateInput(spec)
    if kind == "datetime":
        return DateTimeInput(spec)
    if kind == "bool":
        return BoolInput(spec)
    if kind == "choice":
        return ChoiceInput(spec, spec.choices)
    if kind == "code":
        return ChoiceInput(spec, session.codes(spec.table))
    if kind == "user":
        return ChoiceInput(spec, session.users(spec.role))
    if kind == "users":
        return UsersInput(spec, session.users(spec.role))
    if kind == "ref":
        return ChoiceInput(spec, session.records(spec.resource))
    if kind == "file":
        return FileInput(spec)
    if kind == "rows":
        return RowsInput(spec)
    if kind == "json":
        return JsonInput(spec)
    return TextInput(spec)
