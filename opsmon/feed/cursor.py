"""The feed's cursor: an opaque string for the client, a position for the feed."""

import base64
import binascii
import re

from django.utils.translation import gettext_lazy as _

from opsmon.core.errors import Invalid

_PLAIN = re.compile(r"feed:(0|[1-9][0-9]{0,18})")
_MAX = 2**63 - 1
START = 0  # before the first change


def encode(position: int) -> str:
    return base64.urlsafe_b64encode(f"feed:{position}".encode()).decode().rstrip("=")


def decode(cursor: str | None) -> int:
    """The position a cursor stands for; no cursor is the start. A cursor the feed did not hand out is a 422."""
    if cursor is None or cursor == "":
        return START
    try:
        plain = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeError, ValueError):
        plain = ""
    match = _PLAIN.fullmatch(plain)
    if match is None or int(match.group(1)) > _MAX or encode(int(match.group(1))) != cursor:
        raise Invalid(fields={"after": _("Not a cursor of this feed: pass the `next` of an earlier answer.")})
    return int(match.group(1))
