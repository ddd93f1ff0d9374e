"""Issue 21, the shared mechanisms: what free text, money and dates an API body, a form or a service accepts
(core.text, core.money, core.workflow, core.schemas.In), the one .xlsx writer (core.xlsx), the 413 of a body over
the limit, and the OpenAPI components' names. Each test failed before the fix it names."""

import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.test import Client
from openpyxl import load_workbook

from opsmon.accounts import services as accounts
from opsmon.core import text, xlsx
from opsmon.core.errors import Invalid
from opsmon.core.forms import AmountField
from opsmon.core.money import parse_amount
from opsmon.core.web import StyledForm
from opsmon.core.workflow import clean_comment, clean_date, clean_texts
from opsmon.customers.models import Customer

HOSTILE = {
    "control": "智能\x07运维",
    "escape": "title\x1b[31m",
    "delete": "abc\x7f",
    "bidi": "invoice\u202egnp.exe",
    "isolate": "\u2066name\u2069",
    "zero_width_only": "\u200b\u200c\u200d",
    "invisible_only": "\u2060\ufeff ",
}


class Api:
    """The test client speaking to the API with a bearer token (no live server needed)."""

    def __init__(self, user):
        self.client = Client()
        self.key, _ = accounts.token_issue(user=user)

    def post(self, path, body, **extra):
        return self.client.post(path, data=body, content_type="application/json",
                                HTTP_AUTHORIZATION=f"Bearer {self.key}", **extra)

    def get(self, path):
        return self.client.get(path, HTTP_AUTHORIZATION=f"Bearer {self.key}")


# --- core.text: items 2 and 3 --------------------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_refused_text(value):
    assert text.problem(value)
    with pytest.raises(ValueError):
        text.clean(value)


@pytest.mark.parametrize("value", ["智能运维平台", "line one\nline two\r\n\tindented", "a\u200bb (zero width inside)",
                                   "", "   "])
def test_accepted_text(value):
    assert text.problem(value) is None


def test_text_is_normalised_to_nfc():
    decomposed = "Cafe\u0301"  # e + combining acute accent
    assert text.clean(decomposed) == "Caf\u00e9"
    errors = {}
    assert clean_texts({"title": decomposed}, {"title": 10}, errors) == {"title": "Caf\u00e9"} and not errors


def test_clean_texts_names_every_refused_field():
    errors = {}
    clean_texts({"title": HOSTILE["control"], "description": HOSTILE["bidi"], "note": "fine"},
                {"title": 200, "description": 200, "note": 200}, errors)
    assert set(errors) == {"title", "description"}
    with pytest.raises(Invalid) as excinfo:
        clean_comment(HOSTILE["zero_width_only"], required=True)
    assert "comment" in excinfo.value.fields


def test_printable_strips_what_no_file_may_hold():
    assert text.printable("a\x00b\x07c\x1bd\x7fe\tf\ng") == "abcde\tf\ng"
    assert text.printable(12) == 12


def test_every_styled_form_refuses_hostile_text_next_to_the_field():
    class Form(StyledForm, forms.Form):
        title = forms.CharField()
        password = forms.CharField(widget=forms.PasswordInput)

    form = Form(data={"title": HOSTILE["bidi"], "password": "pass\x07word"})
    assert not form.is_valid()
    assert list(form.errors) == ["title"]  # a password is kept as typed
    assert Form(data={"title": "智能运维", "password": "x"}).is_valid()


# --- core.money: item 9 --------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", ["12.345", "0.001", "1_000", "１０００", "1e3", "1E3", "Infinity", "NaN", "0x10",
                                   "+5", " ", "1.2.3", 12.345, True])
def test_amounts_refused_not_rounded(value):
    with pytest.raises(ValueError):
        parse_amount(value)


@pytest.mark.parametrize(("value", "expected"), [("1,250,000.50", "1250000.50"), ("12.3", "12.30"), ("7", "7.00"),
                                                 (12.3, "12.30"), (0.1 + 0.2, "0.30"), (1250000, "1250000.00"),
                                                 (Decimal("12.300"), "12.30")])
def test_amounts_accepted(value, expected):
    assert parse_amount(value) == Decimal(expected)


def test_the_web_form_reads_full_width_digits_explicitly():
    assert AmountField().clean("１２，５００．５") == Decimal("12500.50")
    with pytest.raises(forms.ValidationError):
        AmountField().clean("12.345")


# --- dates: item 9 -------------------------------------------------------------------------------------------

def test_dates_after_2100_are_refused():
    errors = {}
    assert clean_date("2101-01-01", "due_on", errors) is None and "due_on" in errors
    errors = {}
    assert clean_date(date(2100, 12, 31), "due_on", errors) == date(2100, 12, 31) and not errors
    errors = {}
    assert clean_date(date(9999, 1, 1), "due_on", errors) is None and "due_on" in errors


# --- API bodies (core.schemas.In): items 2, 3 and 9 ---------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE.values(), ids=HOSTILE.keys())
def test_api_bodies_refuse_hostile_text_naming_the_field(org, value):
    api = Api(org["rep1"])
    before = Customer.objects.count()
    response = api.post("/api/v1/customers", {"name": value, "customer_type": "soe"})
    assert response.status_code == 422, response.content
    assert "name" in response.json()["error"]["fields"]
    assert Customer.objects.count() == before


def test_api_bodies_store_nfc(org):
    response = Api(org["rep1"]).post("/api/v1/customers", {"name": "Cafe\u0301 有限公司", "customer_type": "soe"})
    assert response.status_code == 201, response.content
    assert Customer.objects.get(pk=response.json()["id"]).name == "Caf\u00e9 有限公司"


@pytest.mark.parametrize("amount", ["1250000.005", "1_000", "１０００", "1e3"])
def test_api_money_is_strict(org, amount):
    customer = Customer.objects.filter(owner=org["rep1"]).first() or Customer.objects.create(
        name="严格客户有限公司", name_key="严格客户", customer_type="soe", owner=org["rep1"],
        department=org["rep1"].department)
    response = Api(org["rep1"]).post("/api/v1/opportunities", {
        "title": "严格金额", "customer_id": customer.pk, "estimated_amount": amount,
        "expected_close_date": "2030-01-01"})
    assert response.status_code == 422, response.content
    assert "estimated_amount" in response.json()["error"]["fields"]


def test_api_dates_after_2100_are_refused(org):
    customer = Customer.objects.create(name="日期客户有限公司", name_key="日期客户", customer_type="soe",
                                       owner=org["rep1"], department=org["rep1"].department)
    response = Api(org["rep1"]).post("/api/v1/opportunities", {
        "title": "远期", "customer_id": customer.pk, "estimated_amount": "100.00",
        "expected_close_date": "2101-01-01"})
    assert response.status_code == 422, response.content
    assert "expected_close_date" in response.json()["error"]["fields"]


def test_a_body_over_the_limit_is_413(org, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = Api(org["rep1"]).post("/api/v1/customers", {"name": "x" * 20_000, "customer_type": "soe"})
    assert response.status_code == 413, response.content
    assert response.json()["error"]["code"] == "body_too_large"


# --- core.xlsx: items 1 and 2 --------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]


@pytest.mark.parametrize("write_only", [True, False])
def test_the_writer_keeps_formula_like_text_as_text_and_drops_control_characters(write_only):
    wb = xlsx.workbook(write_only=write_only)
    ws = wb.create_sheet("s")
    xlsx.append(ws, [*FORMULAS, "bell\x07 and nul\x00", 42, Decimal("1.50"), date(2026, 1, 2)])
    if not write_only:
        xlsx.put(ws, 2, 1, "=1+1\x1b")
    sheet = load_workbook(io.BytesIO(xlsx.save(wb)))["s"]
    row = [c for c in sheet[1]]
    for cell, expected in zip(row, FORMULAS, strict=False):
        assert (cell.value, cell.data_type, cell.quotePrefix) == (expected, "s", True)
    assert row[len(FORMULAS)].value == "bell and nul"
    assert row[len(FORMULAS) + 1].value == 42
    if not write_only:
        assert sheet.cell(2, 1).value == "=1+1" and sheet.cell(2, 1).data_type == "s"


def test_every_xlsx_is_written_by_the_one_writer():
    """No module builds an openpyxl Workbook itself: core.xlsx is where formula injection and control characters
    are handled, once."""
    root = Path(__file__).resolve().parents[2]
    offenders = [str(p.relative_to(root)) for p in root.rglob("*.py")
                 if "tests" not in p.parts and p.name != "xlsx.py"
                 and re.search(r"from openpyxl import .*\bWorkbook\b|openpyxl\.Workbook\(", p.read_text("utf-8"))]
    assert offenders == []
