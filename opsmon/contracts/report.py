"""Documents the contract module produces: the review sheet (合同评审表, .docx) and the contract list (.xlsx)."""

import io

from django.utils import timezone
from docx import Document
from docx.shared import Pt

from opsmon.codes.selectors import label_map
from opsmon.core import xlsx
from opsmon.core.money import format_money, share
from opsmon.core.text import printable

from . import selectors
from .models import Contract

DECISIONS = {"approve": "同意", "reject": "不同意", "": "未决定"}


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = printable(value)  # text stored before input was checked must not break the document
    return table


def _when(dt) -> str:
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def review_sheet_docx(contract: Contract) -> bytes:
    """合同评审表: header fields, payment milestones, and every step of every round with decider, decision,
    time and comment."""
    labels = label_map("contract_type", "review_step_kind")
    doc = Document()
    doc.styles["Normal"].font.name = "SimSun"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("合同评审表", level=0)
    header = doc.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    rows = [
        ("合同编号", contract.number), ("合同名称", contract.title), ("客户", contract.customer.name),
        ("合同类型", labels.get(("contract_type", contract.contract_type), contract.contract_type) or "—"),
        ("合同金额", format_money(contract.amount, contract.currency)),
        ("税率", f"{contract.tax_rate}%" if contract.tax_rate is not None else "—"),
        ("合同期限", f"{contract.start_on or '—'} 至 {contract.end_on or '—'}"),
        ("负责人", str(contract.owner)), ("部门", contract.department.name),
        ("状态", str(contract.get_status_display())), ("版本", f"V{contract.terms_version}"),
        ("关联商机", contract.opportunity.number),
        ("关联项目", contract.project.number if contract.project_id else "—"),
        ("关联投标", contract.bid.number if contract.bid_id else "—"),
    ]
    for key, value in rows:
        cells = header.add_row().cells
        cells[0].text, cells[1].text = key, printable(str(value))
    doc.add_heading("付款节点", level=1)
    milestones = list(contract.milestones.all())
    if milestones:
        # The amount column is always filled: a milestone given as a percentage shows what it comes to.
        _table(doc, ("序号", "名称", "日期/条件", "金额", "比例"), [
            (str(m.position), m.name, str(m.due_on or m.condition),
             format_money(m.amount if m.amount is not None else share(contract.amount, m.percentage),
                          contract.currency),
             f"{m.percentage}%" if m.percentage is not None else "")
            for m in milestones])
    else:
        doc.add_paragraph("无")
    doc.add_heading("评审记录", level=1)
    reviews = list(selectors.reviews_of(contract))
    if not reviews:
        doc.add_paragraph("尚未提交评审。")
    for review in reviews:
        what = f"变更 #{review.amendment.number}" if review.amendment_id else "合同"
        doc.add_paragraph(printable(f"第 {review.round} 轮（{what}，评审路线：{review.route_name}，"
                          f"{review.get_status_display()}，提交于 {_when(review.started_at)}）"))
        rows = []
        for step in review.steps.all():
            kind = labels.get(("review_step_kind", step.kind), step.kind)
            mode = "会签" if step.mode == "all" else "或签"
            for d in step.deciders.all():
                rows.append((str(step.position), f"{kind}（{mode}）", str(d.user), DECISIONS.get(d.decision, ""),
                             _when(d.decided_at), d.comment))
        _table(doc, ("环节", "评审内容", "评审人", "意见", "时间", "说明"), rows)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def contracts_xlsx(contracts) -> bytes:
    """The contract list with Chinese headers; amounts as numbers, dates as dates."""
    wb = xlsx.workbook(write_only=True)
    ws = wb.create_sheet("销售合同")
    xlsx.append(ws, ["合同编号", "合同名称", "客户", "合同类型", "金额", "币种", "税率(%)", "开始日期", "结束日期",
                     "状态", "签订日期", "版本", "负责人", "部门"])
    labels = label_map("contract_type")
    for c in contracts.iterator(chunk_size=1000):
        xlsx.append(ws, [c.number, c.title, c.customer.name,
                         labels.get(("contract_type", c.contract_type), c.contract_type),
                         float(c.amount), c.currency, float(c.tax_rate) if c.tax_rate is not None else None,
                         c.start_on, c.end_on, str(c.get_status_display()), c.signed_on, c.terms_version,
                         str(c.owner), c.department.name])
    return xlsx.save(wb)
