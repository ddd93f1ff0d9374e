"""Exact money aggregates that run on SQLite and PostgreSQL alike.

PostgreSQL sums `numeric` exactly. SQLite keeps decimals as floating point, so there every amount is summed
as whole cents (an integer sum is exact), and converted back to Decimal here."""

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.db import connections
from django.db.models import BigIntegerField, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Cast, Round

CENT = Decimal("0.01")


@cache
def _sqlite() -> bool:
    """The one database of a process does not change; asked per row, the connection proxy would cost."""
    return connections["default"].vendor == "sqlite"


def money_sum(field: str, *, times: str | None = None, filter=None):
    """Σ `field` (× the integer `times`), exactly; read the result with `money(value, times=...)`."""
    if _sqlite():
        value = Cast(Round(F(field) * 100), BigIntegerField())
        if times:
            value = ExpressionWrapper(value * F(times), output_field=BigIntegerField())
        return Sum(value, filter=filter, output_field=BigIntegerField())
    value = F(field)
    if times:
        value = ExpressionWrapper(value * F(times), output_field=DecimalField(max_digits=24, decimal_places=2))
    return Sum(value, filter=filter, output_field=DecimalField(max_digits=24, decimal_places=2))


def exact(value, *, times: bool = False) -> Decimal:
    """The exact Decimal of a `money_sum` result (× a percentage keeps up to four places); add these up and
    round once, with `money`."""
    if value is None:
        return Decimal("0")
    if _sqlite():  # whole cents (× per cent)
        return Decimal(int(value)) / (10000 if times else 100)
    return Decimal(value) / (100 if times else 1)


def money(value, *, times: bool = False) -> Decimal:
    """A `money_sum` result rounded to cents, half up."""
    return cents(exact(value, times=times))


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def cents_sql(column: str) -> str:
    """A SQL expression of `column` to sum exactly in raw SQL (cents on SQLite, the value itself elsewhere)."""
    return f"CAST(ROUND({column} * 100) AS INTEGER)" if _sqlite() else column
