"""Money and versions on the contract pages (issue 20, items 9 and 10): amounts as ¥1,280,000.00, milestone money
beside percentages, the review sheet's amount column, and a version comparison that shows only what changed."""

import io
from datetime import timedelta

import docx
import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.contracts import report, services

from .factories import decide_all, routes, signed

TODAY = timezone.localdate()
THREE = [{"name": "预付款", "condition": "签订后 15 日内", "percentage": "30"},
         {"name": "到货款", "due_on": TODAY + timedelta(days=90), "percentage": "30"},
         {"name": "验收款", "due_on": TODAY + timedelta(days=180), "percentage": "40"}]


@pytest.fixture
def with_routes(org):
    routes(org)


def url(name, contract):
    return reverse(f"contracts:{name}", args=[contract.pk])


def amended(org, contract, **changes):
    services.amendment_propose(actor=org["rep1"], contract=contract, reason="客户调整", changes=changes)
    return decide_all(contract)


def test_the_contract_page_shows_yuan_and_the_money_of_each_percentage(browser, org, with_routes):
    contract = signed(org, amount="1280000")
    html = browser("rep1").get(url("detail", contract)).content.decode()
    assert 'data-testid="contract-amount">¥1,280,000.00<' in html
    assert "CNY" not in html.split('data-testid="terms"')[1].split("</table>")[0]
    assert "1280000.00 CNY" not in html and "1,280,000.00 CNY" not in html
    # 30 % and 70 % of 1,280,000 beside their percentages
    assert 'data-testid="milestone-money">¥384,000.00<' in html and 'data-testid="milestone-money">¥896,000.00<' in html


def test_the_contract_list_shows_yuan(browser, org, with_routes):
    contract = signed(org, amount="1280000")
    html = browser("rep1").get(reverse("contracts:list")).content.decode()
    assert contract.number in html and "¥1,280,000.00" in html and ">CNY<" not in html


def test_the_review_sheet_fills_the_amount_of_every_milestone(org, with_routes):
    contract = signed(org, amount="1280000")
    doc = docx.Document(io.BytesIO(report.review_sheet_docx(contract)))
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "序号")
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    assert [(r[3], r[4]) for r in rows] == [("¥384,000.00", "30.00%"), ("¥896,000.00", "70.00%")]
    header = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "¥1,280,000.00" in header


def test_the_comparison_shows_only_the_changed_terms(browser, org, with_routes):
    contract = amended(org, signed(org, amount="1000000", milestones=THREE), amount="1100000.00")
    html = browser("rep1").get(url("versions", contract), {"a": 1, "b": 2}).content.decode()
    assert 'data-testid="diff-amount" data-changed="true"' in html
    assert "¥1,000,000.00" in html and "¥1,100,000.00" in html
    for unchanged in ("currency", "tax_rate", "start_on", "end_on", "terms"):
        assert f'data-testid="diff-{unchanged}"' not in html
    assert 'data-testid="diff-unchanged"' in html  # named once, not repeated
    assert 'data-testid="milestone-diff-row"' not in html and 'data-testid="milestones-unchanged"' in html
    assert "预付款" not in html.split('data-testid="milestone-diff"')[1]


def test_an_inserted_milestone_does_not_mark_the_ones_after_it(browser, org, with_routes):
    contract = signed(org, amount="1000000", milestones=THREE)
    new = [THREE[0], {"name": "中期款", "due_on": (TODAY + timedelta(days=60)).isoformat(), "percentage": "10"},
           {**THREE[1], "due_on": THREE[1]["due_on"].isoformat()},
           {**THREE[2], "due_on": THREE[2]["due_on"].isoformat(), "percentage": "30"}]
    contract = amended(org, contract, milestones=new)
    html = browser("rep1").get(url("versions", contract), {"a": 1, "b": 2}).content.decode()
    section = html.split('data-testid="milestone-diff"')[1]
    assert section.count('data-testid="milestone-diff-row"') == 2  # the added one and the one whose share changed
    assert "中期款" in section and "验收款" in section
    assert "预付款" not in section and "到货款" not in section
    assert "10.00% · ¥100,000.00" in section and "30.00% · ¥300,000.00" in section
    assert 'data-testid="diff-unchanged-milestones"' in html
    # the amendment on the contract page lists only the changed milestones too
    detail = browser("rep1").get(url("detail", contract)).content.decode()
    amendments = detail.split('data-testid="amendments"')[1] if 'data-testid="amendments"' in detail else detail
    assert "中期款" in amendments and "到货款" not in amendments.split("</table>")[0]
