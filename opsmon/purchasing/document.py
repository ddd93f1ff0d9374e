"""The purchase order as a buyer prints it (采购合同, .docx): parties, lines, payment milestones, terms, signature
blocks. User text passes through core.text.printable."""

import io

from docx import Document
from docx.shared import Pt

from opsmon.codes.selectors import label_map
from opsmon.core.money import format_money, share
from opsmon.core.text import printable

from .models import PurchaseOrder

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _table(doc, header, rows):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = printable(str(value))
    return table


def order_docx(order: PurchaseOrder) -> bytes:
    labels = label_map("unit", "invoice_type")
    doc = Document()
    doc.styles["Normal"].font.name = "SimSun"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("采购合同", level=0)
    header = doc.add_table(rows=0, cols=2)
    header.style = "Table Grid"
    rows = [
        ("合同编号", order.number), ("合同名称", order.title), ("供应商（乙方）", order.supplier.name),
        ("统一社会信用代码", order.supplier.credit_code), ("采购员", str(order.owner)),
        ("部门", order.department.name), ("关联项目", order.project.number if order.project_id else "—"),
        ("合同金额（含税）", format_money(order.total)), ("不含税金额", format_money(order.total_excl)),
        ("发票类型", labels.get(("invoice_type", order.invoice_type), order.invoice_type) or "—"),
        ("质保金比例", f"{order.retention_pct}%"), ("质保期", f"{order.warranty_months} 个月"),
        ("付款期限", f"验收后 {order.payment_days} 天"),
        ("背靠背付款", "是" if order.pay_after_customer else "否"),
        ("交货地址", order.delivery_address or "—"), ("状态", str(order.get_status_display())),
        ("版本", f"V{order.revision}"),
    ]
    for key, value in rows:
        cells = header.add_row().cells
        cells[0].text, cells[1].text = key, printable(str(value))
    doc.add_heading("采购明细", level=1)
    _table(doc, ("序号", "品名", "规格", "单位", "数量", "含税单价", "税率", "含税金额", "交货日期"), [
        (line.position, line.item, line.spec, labels.get(("unit", line.unit), line.unit), line.qty.normalize(),
         line.unit_price.normalize(), f"{line.tax_rate}%", format_money(line.amount),
         line.promised_on or "—") for line in order.lines.order_by("position", "id")])
    doc.add_paragraph(printable(f"合计（含税）：{format_money(order.total)}"))
    doc.add_heading("付款节点", level=1)
    _table(doc, ("序号", "节点", "比例", "金额"), [
        (m.position, m.name, f"{m.percent}%", format_money(share(order.total, m.percent)))
        for m in order.milestones.order_by("position", "id")])
    if order.note:
        doc.add_heading("其他约定", level=1)
        doc.add_paragraph(printable(order.note))
    doc.add_heading("签署", level=1)
    _table(doc, ("甲方（采购方）", "乙方（供应商）"), [("签字/盖章：", "签字/盖章："),
                                                    (f"日期：{order.signed_on or ''}", "日期：")])
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
