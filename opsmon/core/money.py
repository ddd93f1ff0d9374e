"""Money is Decimal with two places plus a currency code; never float."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DIGITS = 16  # up to 99,999,999,999,999.99 yuan
PLACES = Decimal("0.01")
MAX_AMOUNT = Decimal("99999999999999.99")


class MoneyField(models.DecimalField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)


# What an amount may look like once its thousands separators are taken out: ASCII digits, at most two decimals.
# Python's Decimal would also read "1_000", "１０００" (full-width digits), "1e3" and "Infinity": all refused.
_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]*)?|-?\.[0-9]+")
# Thousands separators, where given, must stand every three digits: "1,280,000" but not "1,28,0" or "1280,000".
_GROUPED = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?")
# "128万", "4.2万", "128 万元": the figure counts ten thousands (万).
_WAN = re.compile(r"(.*?)\s*万元?")
WAN = Decimal(10000)


def parse_amount(value) -> Decimal:
    """A non-negative amount with at most two decimal places; ValueError with a reason otherwise (never rounded:
    12.345 is refused, not stored as 12.35). Commas (ASCII or full-width) may separate thousands, every three
    digits; a trailing 万 (or 万元) counts ten thousands ("4.2万" is 42000.00; "0.0000001万" has more than two
    decimals and is refused). A float (an Excel cell) may carry binary noise below a thousandth of a cent."""
    if isinstance(value, bool):
        raise ValueError(_("not a number"))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("not a number"))
        cents = value * 100
        value = f"{round(cents) / 100:.2f}" if abs(cents - round(cents)) < 1e-05 else repr(value)
    unit = Decimal(1)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(_("not a number"))
        text = format(value, "f")
    else:
        text = str(value).strip().replace("，", ",")
        wan = _WAN.fullmatch(text)
        if wan:
            text, unit = wan.group(1), WAN
        if "," in text:
            if not _GROUPED.fullmatch(text):
                raise ValueError(_("thousands separators go every three digits"))
            text = text.replace(",", "")
    if not _AMOUNT.fullmatch(text):
        raise ValueError(_("not a number"))
    amount = Decimal(text) * unit
    if amount < 0:
        raise ValueError(_("must not be negative"))
    if amount > MAX_AMOUNT:  # before quantize: a 200-digit figure is beyond the decimal context's precision
        raise ValueError(_("the amount is too large"))
    if amount != amount.quantize(PLACES, rounding=ROUND_HALF_UP):
        raise ValueError(_("at most two decimal places"))
    return amount.quantize(PLACES)


# How an amount is shown: the currency's sign before the figure, thousands grouped, two decimals. A currency without
# a sign of its own shows its code ("CHF 1,280.00").
SYMBOLS = {"CNY": "¥", "RMB": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "HKD": "HK$", "JPY": "JP¥", "MOP": "MOP$",
           "TWD": "NT$", "SGD": "S$", "AUD": "A$", "CAD": "C$"}
NO_AMOUNT = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    try:
        amount = Decimal(str(value))  # an int, or a float's shortest repr: never float arithmetic
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() else None


def format_money(value, currency="CNY") -> str:
    """`¥1,280,000.00` (CNY), `US$1,280.00`, `CHF 1,280.00`; "—" for no amount; a non-number is shown as given."""
    amount = _decimal(value)
    if amount is None:
        return NO_AMOUNT if value is None or value == "" else str(value)
    code = (currency or "CNY").strip().upper()
    sign = "-" if amount < 0 else ""
    figure = f"{abs(amount).quantize(PLACES, rounding=ROUND_HALF_UP):,.2f}"
    symbol = SYMBOLS.get(code)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{code} {figure}"


def format_wan(value) -> str:
    """The amount in 万 with two decimals (1280000 → `128.00`, 42000 → `4.20`), thousands grouped; "—" for none."""
    amount = _decimal(value)
    if amount is None:
        return NO_AMOUNT if value is None or value == "" else str(value)
    return f"{(amount / WAN).quantize(PLACES, rounding=ROUND_HALF_UP):,.2f}"


def share(total, percentage) -> Decimal | None:
    """`percentage` % of `total`, rounded half up to the fen; None when either is missing or not a number."""
    amount, rate = _decimal(total), _decimal(percentage)
    if amount is None or rate is None:
        return None
    return (amount * rate / 100).quantize(PLACES, rounding=ROUND_HALF_UP)
