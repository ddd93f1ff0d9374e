"""Money is Decimal with two places plus a currency code; never float."""

import re
from decimal import ROUND_HALF_UP, Decimal

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


def parse_amount(value) -> Decimal:
    """A non-negative amount with at most two decimal places; ValueError with a reason otherwise (never rounded:
    12.345 is refused, not stored as 12.35). Commas (ASCII or full-width) may separate thousands; a float (an
    Excel cell) may carry binary noise below a thousandth of a cent."""
    if isinstance(value, bool):
        raise ValueError(_("not a number"))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("not a number"))
        cents = value * 100
        value = f"{round(cents) / 100:.2f}" if abs(cents - round(cents)) < 1e-05 else repr(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(_("not a number"))
        text = format(value, "f")
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
    if not _AMOUNT.fullmatch(text):
        raise ValueError(_("not a number"))
    amount = Decimal(text)
    if amount < 0:
        raise ValueError(_("must not be negative"))
    if amount != amount.quantize(PLACES, rounding=ROUND_HALF_UP):
        raise ValueError(_("at most two decimal places"))
    if amount > MAX_AMOUNT:
        raise ValueError(_("the amount is too large"))
    return amount.quantize(PLACES)
