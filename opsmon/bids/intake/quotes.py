"""Quotation marks a notice puts around a name (“XX项目”, "XX公司", 「XX」): not part of the name."""

QUOTES = {"“": "”", '"': '"', "'": "'", "‘": "’", "「": "」", "『": "』"}
_CLOSING = frozenset(QUOTES.values())


def unquoted(text: str) -> tuple[int, int]:
    """The span of `text` without the quotation marks around it: a pair enclosing the whole name, or a lone
    mark left at either end; quotes inside a name (关于“智慧校园”建设项目) stay."""
    start, end = 0, len(text)
    while end - start >= 2:
        closing = QUOTES.get(text[start])
        if closing is not None and text.find(closing, start + 1, end) == end - 1:
            start, end = start + 1, end - 1  # “X” (and not “X”Y“Z”)
        elif closing is not None and text.find(closing, start + 1, end) < 0:
            start += 1                       # “X without its closing mark
        elif text[end - 1] in _CLOSING and not any(QUOTES.get(ch) == text[end - 1] for ch in text[start:end - 1]):
            end -= 1                         # X” without its opening mark
        else:
            break
    return start, end


def trimmed(text: str) -> str:
    start, end = unquoted(text)
    return text[start:end]
