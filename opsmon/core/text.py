"""What free text a user may give, checked in one place (issue 21, items 2 and 3).

Used by `core.workflow.clean_texts` (services), `core.schemas.In` (every API body), the form base
(`core.web.StyledForm` attaches `core.forms.validate_text` to every text field) and the Excel import:

- control characters (U+0000–U+001F except tab, newline and carriage return, and U+007F) are refused: no form or
  API client types them, and they crash the .xlsx and .docx writers;
- bidi controls (U+202A–U+202E, U+2066–U+2069) are refused: they make a title read differently than it is stored;
- text that is empty once the invisible characters (zero-width U+200B–U+200D, U+2060, U+FEFF) are taken away is
  refused: a title nobody can see;
- accepted text is normalised to NFC, so the same words are stored, searched and compared as the same characters.

`printable` is the other side: every writer (core.xlsx, the .docx reports) passes text through it, so data stored
before these checks still makes a readable file.
"""

import re
import unicodedata

from django.utils.translation import gettext as _

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def problem(value: str) -> str | None:
    """Why `value` is refused (a translated message), or None when it is acceptable."""
    if CONTROL.search(value):
        return _("Contains control characters; remove them.")
    if BIDI.search(value):
        return _("Contains text-direction control characters; remove them.")
    if INVISIBLE.search(value) and not INVISIBLE.sub("", value).strip():
        return _("Contains only invisible characters.")
    return None


def clean(value: str) -> str:
    """`value` normalised to NFC; ValueError with the reason when `problem` refuses it."""
    reason = problem(value)
    if reason:
        raise ValueError(reason)
    return unicodedata.normalize("NFC", value)


def printable(value):
    """A string without the control characters no .xlsx or .docx may hold; anything else unchanged."""
    if isinstance(value, str) and CONTROL.search(value):
        return CONTROL.sub("", value)
    return value
