"""Normalised customer names, so "北京 某某科技（集团）有限公司" and "北京某某科技(集团)有限公司" are one customer."""

import re
import unicodedata

_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def name_key(name: str) -> str:
    """NFKC (full-width → half-width), lower case, without spaces and punctuation."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).lower()
