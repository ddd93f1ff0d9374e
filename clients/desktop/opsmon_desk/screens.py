"""The two hand-written screens: the work inbox (我的待办) and the dashboard figures."""

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from . import i18n
from .api import ApiError, Offline
from .charts import BarChart
from .values import money, show
from .views import fill_table, table_widget

POLL_MS = 30_000


class InboxView(QWidget):
    """Everything waiting for me, refreshed every 30 s (the change feed will replace the polling once the server
    has one); a new item raises a tray notification; double-click opens its record."""

    open_item = Signal(object)                  # the inbox item
    arrived = Signal(list)                      # items new since the last refresh
    failed = Signal(object)

    def __init__(self, session, parent=None, poll_ms: int = POLL_MS):
        super().__init__(parent)
        self.session = session
        self.setObjectName("inbox")
        self.items: list[dict] = []
        self.seen: set | None = None
        self.columns = [
            {"name": "label", "label": i18n.tr("To do"), "kind": "text"},
            {"name": "title", "label": i18n.tr("Record"), "kind": "text"},
            {"name": "since", "label": i18n.tr("Since"), "kind": "datetime"},
        ]
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(i18n.tr("Inbox"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        top.addWidget(title, 1)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        top.addWidget(self.summary)
        refresh = QPushButton(i18n.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        layout.addLayout(top)
        self.table = table_widget(self.columns)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        layout.addWidget(self.table, 1)
        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    @staticmethod
    def key(item: dict) -> tuple:
        return item.get("kind"), item.get("record_type"), item.get("record_id")

    def refresh(self) -> bool:
        try:
            answer = self.session.api.get("/inbox")
        except (ApiError, Offline) as error:
            self.failed.emit(error)
            return False
        self.items = answer.get("items", [])
        fill_table(self.table, self.columns, self.items)
        self.summary.setText(i18n.tr("{count} waiting").format(count=len(self.items)))
        keys = {self.key(i) for i in self.items}
        if self.seen is not None:
            new = [i for i in self.items if self.key(i) not in self.seen]
            if new:
                self.arrived.emit(new)
        self.seen = keys
        return True

    def open_row(self, row: int) -> None:
        if 0 <= row < len(self.items):
            self.open_item.emit(self.items[row])


def percent(value) -> str:
    return "—" if value is None else f"{float(value):.1f}"


class DashboardView(QWidget):
    """The funnel, the win rate and the bond exposure: the same figures as the web dashboard (`/insights/*`)."""

    failed = Signal(object)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.setObjectName("dashboard")
        self.figures: dict[str, dict] = {}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(i18n.tr("Dashboard"))
        title.setStyleSheet("font-size: 18px; font-weight: 600;")
        top.addWidget(title, 1)
        self.period = QLabel()
        self.period.setObjectName("period")
        top.addWidget(self.period)
        refresh = QPushButton(i18n.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        top.addWidget(refresh)
        layout.addLayout(top)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setStyleSheet("font-size: 14px; color: #1d273b;")
        layout.addWidget(self.headline)
        grid = QGridLayout()
        self.funnel = BarChart(i18n.tr("Sales funnel (count)"), formatter=lambda v: f"{v:,.0f}")
        self.funnel_amount = BarChart(i18n.tr("Sales funnel (amount)"), formatter=money)
        self.win_rate = BarChart(i18n.tr("Win rate by department (%)"), formatter=percent)
        self.bonds = BarChart(i18n.tr("Bond exposure by status"), formatter=money)
        for chart in (self.funnel, self.funnel_amount, self.win_rate, self.bonds):
            chart.empty_text = i18n.tr("No data in this period.")
        grid.addWidget(self.funnel, 0, 0)
        grid.addWidget(self.funnel_amount, 0, 1)
        grid.addWidget(self.win_rate, 1, 0)
        grid.addWidget(self.bonds, 1, 1)
        layout.addLayout(grid, 1)

    def refresh(self) -> bool:
        """Each figure on its own: one the server cannot give leaves the others drawn."""
        ok = True
        for name in ("funnel", "win-rate", "bonds"):
            try:
                self.figures[name] = self.session.api.get(f"/insights/{name}")
            except (ApiError, Offline) as error:
                self.figures[name] = {}
                self.failed.emit(error)
                ok = False
        funnel, win, bonds = self.figures["funnel"], self.figures["win-rate"], self.figures["bonds"]
        stages = funnel.get("stages", [])
        self.funnel.set_data([(s["label"], s["count"]) for s in stages])
        self.funnel_amount.set_data([(s["label"], float(s["amount"])) for s in stages])
        rows = (win.get("dimensions") or {}).get("department", [])
        self.win_rate.set_data([(r["label"], r["win_rate"] or 0) for r in rows])
        self.bonds.set_data([(f"{r['kind_label']} · {r['status_label']}", float(r["amount"]))
                             for r in bonds.get("by_status", [])])
        period = funnel.get("period") or {}
        self.period.setText(f"{period.get('from', '')} ~ {period.get('to', '')}" if period else "")
        total = win.get("total") or {}
        self.headline.setText(i18n.tr("Win rate {rate}% ({won} won, {lost} lost) · bond money out {amount} {currency}")
                              .format(rate=percent(total.get("win_rate")), won=total.get("won", 0),
                                      lost=total.get("lost", 0), amount=money(bonds.get("money_out_total", 0)),
                                      currency=show(bonds.get("currency"))))
        return ok
