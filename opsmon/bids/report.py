"""Documents the bid module produces: the summary report (.docx) and the bond register (.xlsx)."""

import io

from django.utils import timezone
from docx import Document
from docx.shared import Pt

from opsmon.codes.selectors import label_map
from opsmon.core import xlsx
from opsmon.core.money import format_money
from opsmon.core.text import printable

from . import selectors
from .models import Bid


def summary_docx(bid: Bid) -> bytes:
    """投标总结报告: header fields, resources, bond status, the opening table, why we won or lost, lessons."""
    summary = bid.summary
    doc = Document()
    doc.styles["Normal"].font.name = "SimSun"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("投标总结报告", level=0)
    header = doc.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    methods = label_map("tender_method")
    rows = [
        ("投标编号", bid.number), ("项目名称", bid.title), ("客户", bid.opportunity.customer.name),
        ("招标人", bid.tenderer or "—"), ("招标代理", bid.agency or "—"), ("招标编号", bid.tender_no or "—"),
        ("招标方式", methods.get(("tender_method", bid.tender_method), bid.tender_method) or "—"),
        ("结果", bid.get_status_display()), ("负责人", str(bid.owner)),
        ("投入人天", str(summary.person_days)), ("投入费用", format_money(summary.cost, bid.currency)),
    ]
    for key, value in rows:
        cells = header.add_row().cells
        cells[0].text, cells[1].text = key, printable(str(value))  # old text must not break the document
    doc.add_heading("保证金情况", level=1)
    bonds = list(bid.bonds.order_by("created_at"))
    for bond in bonds:
        amount = format_money(bond.amount, bond.currency)
        doc.add_paragraph(f"{bond.get_kind_display()}：{amount}，{bond.get_status_display()}", style="List Bullet")
    if summary.bond_note:
        doc.add_paragraph(printable(summary.bond_note))
    if not bonds and not summary.bond_note:
        doc.add_paragraph("无")
    doc.add_heading("开标记录", level=1)
    opening = getattr(bid, "opening", None)
    if opening is None:
        doc.add_paragraph("未开标。")
    else:
        # Times are written in the configured zone (settings.TIME_ZONE), as the pages show them.
        opened = timezone.localtime(opening.opened_at)
        doc.add_paragraph(printable(f"开标时间：{opened:%Y-%m-%d %H:%M}　中标人：{opening.winner}"))
        table = doc.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, ("排名", "投标人", "报价", "得分", "我方"), strict=True):
            cell.text = title
        for e in opening.entries.order_by("rank"):
            cells = table.add_row().cells
            values = (str(e.rank), e.bidder, format_money(e.price, bid.currency),
                      "" if e.score is None else str(e.score), "是" if e.is_us else "")
            for cell, value in zip(cells, values, strict=True):
                cell.text = printable(value)
    doc.add_heading("中标/未中标原因", level=1)
    doc.add_paragraph(printable(summary.outcome_reason))
    doc.add_heading("经验教训", level=1)
    doc.add_paragraph(printable(summary.lessons))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def bonds_xlsx(bonds) -> bytes:
    """The bond register with Chinese headers; amounts as numbers."""
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet("保证金台账")
    xlsx.append(ws, ["投标编号", "部门", "类型", "金额", "币种", "形式", "状态", "缴纳日期", "应退日期", "退还日期",
               "退还本金", "利息", "是否逾期"])
    methods = label_map("bond_method")
    today = timezone.localdate()
    for b in bonds.iterator(chunk_size=1000):
        due = selectors.refund_due_on(b)
        xlsx.append(ws, [b.bid.number, b.bid.department.name, str(b.get_kind_display()), float(b.amount), b.currency,
                   methods.get(("bond_method", b.method), b.method), str(b.get_status_display()), b.paid_on, due,
                   b.refunded_on, float(b.refunded_principal) if b.refunded_principal is not None else None,
                   float(b.refund_interest) if b.refund_interest is not None else None,
                   "是" if due and due < today else ""])
    return xlsx.save(wb)

