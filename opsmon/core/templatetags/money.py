"""Template filters for money: `{{ x|money:currency }}` reads `¥1,280,000.00`, `{{ x|wan }}` reads `128.00` (for a
column labelled 万元). Decimal only: a value is never passed through float. The formatting itself lives in
core.money (format_money, format_wan), shared with the .docx reports."""

from django import template

from opsmon.core.money import format_money, format_wan, share

register = template.Library()


@register.filter
def money(value, currency="CNY") -> str:
    """`¥1,280,000.00` for CNY, `US$1,280.00`, `€1,280.00`, `CHF 1,280.00` for others; "—" for no amount."""
    return format_money(value, currency)


@register.filter
def wan(value) -> str:
    """The amount in 万 (ten thousands) with two decimals: 1280000 → `128.00`; "—" for no amount."""
    return format_wan(value)


@register.filter
def share_of(percentage, total):
    """What `percentage` % of `total` comes to, rounded to the fen (Decimal); None when either is missing."""
    return share(total, percentage)
