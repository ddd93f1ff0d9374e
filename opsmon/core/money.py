"""Money is Decimal with two places plus a currency code; never float."""

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


def parse_amount(value) -> Decimal:
    """A non-negative amount with two places; ValueError with a reason otherwise."""
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError):
        raise ValueError(_("not a number")) from None
    if not amount.is_finite():
        raise ValueError(_("not a number"))
    if amount < 0:
        raise ValueError(_("must not be negative"))
    if amount > MAX_AMOUNT:
        raise ValueError(_("the amount is too large"))
    return amount.quantize(PLACES, rounding=ROUND_HALF_UP)
