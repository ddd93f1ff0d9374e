"""Money in and out (issue 20, item 9): the `money` and `wan` filters, and what parse_amount reads."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from opsmon.core.forms import AmountField
from opsmon.core.money import format_money, format_wan, parse_amount, share


def render(text: str, **context) -> str:
    return Template("{% load money %}" + text).render(Context(context))


# --- out: the filters --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "currency", "expected"), [
    (Decimal("1280000"), "CNY", "¥1,280,000.00"), (Decimal("1280000.5"), "CNY", "¥1,280,000.50"),
    (Decimal("0"), "CNY", "¥0.00"), (Decimal("999.99"), "CNY", "¥999.99"), (Decimal("-12.5"), "CNY", "-¥12.50"),
    (Decimal("1280"), "USD", "US$1,280.00"), (Decimal("1280"), "EUR", "€1,280.00"),
    (Decimal("1280"), "CHF", "CHF 1,280.00"), (Decimal("1280"), "", "¥1,280.00"), (1280000, "CNY", "¥1,280,000.00"),
    ("1280000.00", "CNY", "¥1,280,000.00"), (Decimal("99999999999999.99"), "CNY", "¥99,999,999,999,999.99"),
])
def test_money_filter(value, currency, expected):
    assert render("{{ x|money:c }}", x=value, c=currency) == expected
    assert format_money(value, currency) == expected


def test_money_filter_defaults_to_yuan_and_marks_no_amount():
    assert render("{{ x|money }}", x=Decimal("1280000")) == "¥1,280,000.00"
    assert render("{{ x|money:'CNY' }}", x=None) == "—"
    assert render("{{ x|wan }}", x=None) == "—"


@pytest.mark.parametrize(("value", "expected"), [(Decimal("1280000"), "128.00"), (Decimal("42000"), "4.20"),
                                                 (Decimal("123456789.99"), "12,345.68"), (Decimal("50"), "0.01"),
                                                 (Decimal("0"), "0.00")])
def test_wan_filter(value, expected):
    assert render("{{ x|wan }}", x=value) == expected and format_wan(value) == expected


def test_money_never_goes_through_float():
    # 0.1 + 0.2 as float is 0.30000000000000004; a Decimal sum of large amounts keeps every fen.
    assert render("{{ x|money }}", x=Decimal("12345678901234.57")) == "¥12,345,678,901,234.57"


def test_share_of_a_percentage():
    assert render("{{ p|share_of:t|money }}", p=Decimal("30"), t=Decimal("1280000")) == "¥384,000.00"
    assert share(Decimal("1000000.01"), Decimal("33.33")) == Decimal("333300.00")
    assert share(None, Decimal("30")) is None


# --- in: parse_amount ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ("1280000", "1280000.00"), ("1,280,000", "1280000.00"), ("1,280,000.50", "1280000.50"), ("128万", "1280000.00"),
    ("4.2万", "42000.00"), ("128 万", "1280000.00"), ("128万元", "1280000.00"), ("1,280万", "12800000.00"),
    ("0.0001万", "1.00"), ("0.000001万", "0.01"), ("1，280，000", "1280000.00"), (" 12.3 ", "12.30"), ("999", "999.00"),
])
def test_parse_amount_reads(value, expected):
    assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize("value", [
    "1,28,0", "1280,000", ",128", "1,2800", "1,,280", "12,34.5", "0.0000001万", "4.2345万0", "万", "-1万", "1万万",
    "１２８万", "1e3万", "12.345", "1_000", "１０００", "abc", "",
    3.511585436936005e+228, "9" * 200 + ".001",  # beyond the decimal context: refused, not a server error
])
def test_parse_amount_refuses(value):
    with pytest.raises(ValueError):
        parse_amount(value)


def test_parse_amount_never_rounds_wan():
    with pytest.raises(ValueError, match="两位小数"):  # zh-Hans is the default language
        parse_amount("0.0000015万")  # 0.015 yuan: refused, not stored as 0.02


def test_the_web_form_reads_wan_and_separators_like_the_api():
    for text in ("128万", "1,280,000", "1280000"):
        assert AmountField().clean(text) == parse_amount(text) == Decimal("1280000.00")
