"""Punctuation that differs by language, for text built from pieces (labels, lists): the Chinese UI gets
full-width colons and the enumeration comma (、), the English UI `: ` and `, `. Templates use the filters of
core/templatetags/words.py."""

from django.utils.translation import pgettext


def colon(label) -> str:
    """`label` followed by the colon of the active language: "Outcome: " / "结果："."""
    mark = pgettext("label colon", ": ")  # not inside an f-string: xgettext would not see it
    return f"{label}{mark}"


def join_list(items) -> str:
    """Items joined by the list separator of the active language: "a, b" / "a、b"."""
    return pgettext("list separator", ", ").join(str(i) for i in items or ())
