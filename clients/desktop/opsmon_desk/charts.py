"""A plain horizontal bar chart painted with QPainter (no chart library needed): a title, one bar per (label,
value), the value written at the end of each bar."""

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

PALETTE = ["#206bc4", "#4299e1", "#2fb344", "#f59f00", "#d63939", "#ae3ec9", "#17a2b8", "#74b816"]


class BarChart(QWidget):
    def __init__(self, title: str = "", parent=None, *, formatter=str, unit: str = ""):
        super().__init__(parent)
        self.title = title
        self.data: list[tuple[str, float]] = []
        self.formatter = formatter
        self.unit = unit
        self.empty_text = ""
        self.setMinimumHeight(180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, data: list[tuple[str, float]], title: str | None = None) -> None:
        self.data = [(str(label), float(value or 0)) for label, value in data]
        if title is not None:
            self.title = title
        self.setMinimumHeight(60 + 30 * max(1, len(self.data)))
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(420, 60 + 30 * max(1, len(self.data)))

    def paintEvent(self, event):  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(QColor("#1d273b"))
        painter.drawText(QRectF(10, 6, self.width() - 20, 22), Qt.AlignmentFlag.AlignLeft, self.title)
        painter.setFont(self.font())
        if not self.data:
            painter.setPen(QColor("#667382"))
            painter.drawText(QRectF(10, 36, self.width() - 20, 22), Qt.AlignmentFlag.AlignLeft, self.empty_text)
            return
        metrics = painter.fontMetrics()
        label_width = min(max(metrics.horizontalAdvance(label) for label, _ in self.data) + 12, self.width() // 3)
        value_width = max(metrics.horizontalAdvance(self.formatter(v) + self.unit) for _, v in self.data) + 12
        top = 36
        bar_space = max(10, self.width() - label_width - value_width - 30)
        highest = max((v for _, v in self.data), default=0) or 1
        row = max(22, min(34, (self.height() - top - 8) // len(self.data)))
        for index, (label, value) in enumerate(self.data):
            y = top + index * row
            painter.setPen(QColor("#1d273b"))
            painter.drawText(QRectF(10, y, label_width - 6, row - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(label, Qt.TextElideMode.ElideRight, label_width - 6))
            width = bar_space * max(0.0, value) / highest
            painter.fillRect(QRectF(10 + label_width, y + 3, max(width, 1), row - 10),
                             QColor(PALETTE[index % len(PALETTE)]))
            painter.drawText(QRectF(16 + label_width + width, y, value_width, row - 4),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self.formatter(value) + self.unit)
        painter.end()
