"""`{{ value|qty }}`: a quantity without trailing zeros, never in exponent form (10, 2.5)."""

from django import template

from ..selectors import plain

register = template.Library()


@register.filter
def qty(value):
    return plain(value) if value is not None else ""


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
