"""Punctuation in the reader's language: `{{ label|colon }}` is `Outcome: ` in English and `结果：` in Chinese;
`{{ labels|join_list }}` joins with `, ` in English and `、` in Chinese (core.words holds the Python side)."""

from django import template

from opsmon.core.phrases import render
from opsmon.core.words import colon as _colon
from opsmon.core.words import join_list as _join_list

register = template.Library()


@register.filter
def colon(label) -> str:
    """The label followed by the colon of the active language (full-width in Chinese)."""
    return _colon(label)


@register.filter
def join_list(items) -> str:
    """Items joined with the list separator of the active language."""
    return _join_list(items)


@register.filter
def in_my_language(stored) -> str:
    """A stored text (core.phrases) rendered in the reader's language; plain text as it is."""
    return render(stored)
