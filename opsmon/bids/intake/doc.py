"""The text of one notice with the tools the field rules share: labels, values after them, sentences, sections.

`raw` is the text as read (snippets come from it); `t` is its normalised twin of the same length (rules match
on it), so every offset is valid in both.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from . import lexicon
from .text import normalize

CN_NUMERALS = "一二三四五六七八九十"
MARKER = (r"(?:第[一二三四五六七八九十]+[章节条部分]|[一二三四五六七八九十]+[ ]?[、.]|"
          r"\d{1,2}(?:\.\d{1,2}){0,3}[ ]?[、.)]?"
          r"|[(][一二三四五六七八九十\d]{1,3}[)]|[①-⑳⑴-⒇]|[A-Za-z][.、])")
_LINE_PREFIX = re.compile(rf"(?:[ \t]*{MARKER})*[ \t]*$")
SEP = r"(?P<sep>[ ]{0,3}(?::|为|是)[ ]{0,3}|[ ]*\n[ ]*|[ ]{1,6}|)"
QUALIFIER = (r"(?P<qual>[ ]{0,2}\((?:元|万元|人民币|人民币元|人民币万元|单位:[^)\n]{1,4}|盖章|签章|公章|含税|大写|"
             r"小写|全称|名称|"
             r"北京时间|[^)\n]{0,16}(?:下同|简称)[^)\n]{0,6})\))?")


def spaced(label: str) -> str:
    """A label's regex that tolerates the spaces tables put between characters (采 购 人 名 称)."""
    return "[ ]{0,2}".join(re.escape(ch) for ch in normalize(label) if not ch.isspace())


@lru_cache(maxsize=64)
def label_regex(labels: tuple[str, ...], suffix: str = "") -> re.Pattern:
    alternatives = "|".join(spaced(x) for x in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?P<label>{alternatives}){suffix}{QUALIFIER}{SEP}")


STOP_RE = re.compile("|".join(spaced(x) for x in lexicon.STOP))
_STOP_SET = frozenset(lexicon.STOP)
_LABEL_LINE = re.compile(r"\n[ \t]*(?:" + "|".join(spaced(x) for x in lexicon.STOP + lexicon.BID_BOND + lexicon.SCORING)
                         + r")[ ]*(?:\([^)\n]{0,8}\))?(?:[ ]*[:\n]|[ ]+(?=\S))")
ORG_END = re.compile(lexicon.ORG_SUFFIX + r"$")


@dataclass(frozen=True)
class Hit:
    """A label found in the text and where its value starts."""

    label: str
    start: int          # of the label
    value_start: int
    sep: str            # ":", "为", "newline", "space" or ""
    qualifier: str
    line_start: bool    # the label opens its line (after a list marker)
    marker: str         # the list marker before it ("三、", "5.", "(二)"), if any


class Doc:
    def __init__(self, raw: str):
        self.raw = raw
        self.t = normalize(raw)
        self.n = len(raw)

    # --- labels -----------------------------------------------------------------------------------

    def hits(self, labels, *, suffix: str = "", start: int = 0, end: int | None = None):
        """Every occurrence of any of `labels` followed by its value, with what precedes and separates it."""
        end = self.n if end is None else end
        for m in label_regex(tuple(labels), suffix).finditer(self.t, start, end):
            raw_sep = m.group("sep")
            sep = ("newline" if "\n" in raw_sep else ":" if ":" in raw_sep else "为" if "为" in raw_sep
                   else "是" if "是" in raw_sep else "space" if raw_sep else "")
            line_begin = self.t.rfind("\n", 0, m.start()) + 1
            prefix = self.t[line_begin:m.start()]
            opens = bool(_LINE_PREFIX.fullmatch(prefix)) if len(prefix) < 16 else False
            marker = re.search(MARKER + r"[ \t]*$", prefix)
            yield Hit(label=m.group("label").replace(" ", ""), start=m.start(), value_start=m.end(), sep=sep,
                      qualifier=m.group("qual") or "", line_start=opens, marker=marker.group(0).strip()
                      if marker else "")

    def line_end(self, pos: int) -> int:
        end = self.t.find("\n", pos)
        return self.n if end < 0 else end

    def line_begin(self, pos: int) -> int:
        return self.t.rfind("\n", 0, pos) + 1

    def stop_at(self, pos: int, end: int, min_len: int = 2) -> int:
        """Where a value starting at `pos` ends because another label begins (run-together text)."""
        m = STOP_RE.search(self.t, pos + min_len, end)
        if not m:
            return end
        # "…设备采购项目编号": the label is 项目编号, not 采购项目编号; cut where the shortest reading starts.
        label = m.group(0).replace(" ", "")
        for prefix in ("政府采购", "采购", "招标"):
            if label.startswith(prefix) and label[len(prefix):] in _STOP_SET and label[len(prefix):].startswith("项目"):
                return m.start() + len(m.group(0)) - len(label) + len(prefix) if " " not in m.group(0) else m.start()
        return m.start()

    def sentence(self, start: int, end: int, limit: int = 90) -> tuple[int, int]:
        """The sentence (or line) around [start, end), at most `limit` characters either side."""
        left = start
        floor = max(0, start - limit)
        while left > floor and self.t[left - 1] not in "\n。;；!?":
            left -= 1
        right = end
        ceiling = min(self.n, end + limit)
        while right < ceiling and self.t[right] not in "\n。;；!?":
            right += 1
        if right < self.n and self.t[right] in "。;；!?":
            right += 1
        while left < start and self.t[left] in " \t":
            left += 1
        return left, right

    # --- values -----------------------------------------------------------------------------------

    def org_at(self, pos: int, limit: int | None = None) -> tuple[str, int, int] | None:
        """An organisation's name starting at `pos` (and ending by `limit`): up to punctuation, a space, "(盖章)"
        or the next label."""
        while pos < self.n and self.t[pos] in " \t":
            pos += 1
        end = min(self.line_end(pos), pos + 80, limit if limit is not None else self.n)
        end = self.stop_at(pos, end)
        m = re.compile(r"[,，。;；:、!?]|\s|\((?:盖章|签章|公章|章|签字|盖章处|单位盖章)\)|"
                       r"\(以下简称").search(self.t, pos, end)
        if m:
            end = m.start()
        text = self.t[pos:end]
        for tail in ("的委托", "委托", "的", "(盖章)"):
            if text.endswith(tail) and len(text) > len(tail) + 2:
                text = text[: -len(tail)]
        if text.count("(") > text.count(")"):
            text = text[: text.rfind("(")]
        text = text.rstrip(" -_")
        if not 3 <= len(text) <= 60 or len(re.findall(r"[\u4e00-\u9fff]", text)) < 3:
            return None
        if re.match(r"(?:应|须|必须|对|在|向|与|及|和|等|提供|具有|具备|不|无|详见|见|负责|联系|地址|电话|名称|"
                    r"的)", text):
            return None
        return text, pos, pos + len(text)

    def is_org(self, name: str) -> bool:
        """Ends like an organisation's name (公司, 局, 中心, 学院, ...), a trailing "(杭州分公司)" aside."""
        return bool(ORG_END.search(re.sub(r"\([^()]*\)$", "", name)))

    # --- sections ---------------------------------------------------------------------------------

    def section_end(self, hit: Hit, limit: int = 2500) -> int:
        """Where the section opened by the heading `hit` ends: at the next heading of the same numbering
        ("三、" after "二、", "4." after "3.", "(四)" after "(三)"), or at the next top-level heading."""
        ceiling = min(self.n, hit.value_start + limit)
        marker = hit.marker
        patterns = []
        m = re.fullmatch(r"([一二三四五六七八九十]+)[ ]?[、.]", marker)
        if m:
            nxt = _cn_next(m.group(1))
            if nxt:
                patterns.append(rf"(?:^|\n|(?<=[。;；:\s]))[ \t]*{nxt}[ ]?[、.]")
        m = re.fullmatch(r"(\d{1,2})[ ]?[、.)]?", marker)
        if m:
            patterns.append(rf"(?:^|\n)[ \t]*{int(m.group(1)) + 1}(?:[ ]?[、.)](?!\d)|[ ](?=[\u4e00-\u9fff]))")
            patterns.append(rf"(?<=[。;；\s]){int(m.group(1)) + 1}[、.](?!\d)")
        m = re.fullmatch(r"\(([一二三四五六七八九十]+)\)", marker)
        if m and _cn_next(m.group(1)):
            patterns.append(rf"\({_cn_next(m.group(1))}\)")
        patterns.append(r"\n[ \t]*(?:[一二三四五六七八九十]+[ ]?、|第[一二三四五六七八九十]+[章节])")
        if not marker:  # an unnumbered heading (a table's label cell) ends at the next "label：" line
            patterns.append(_LABEL_LINE.pattern)
        best = ceiling
        for pattern in patterns:
            found = re.compile(pattern).search(self.t, hit.value_start, best)
            if found:
                best = found.start()
        return best


def _cn_next(numeral: str) -> str:
    values = {ch: i + 1 for i, ch in enumerate(CN_NUMERALS)}
    if len(numeral) == 1:
        n = values.get(numeral, 0)
    elif numeral.startswith("十"):
        n = 10 + values.get(numeral[1:], 0)
    elif numeral.endswith("十"):
        n = values.get(numeral[0], 0) * 10
    else:
        n = values.get(numeral[0], 0) * 10 + values.get(numeral[-1], 0)
    n += 1
    if n <= 0:
        return ""
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_NUMERALS[tens - 1]) + "十" + (CN_NUMERALS[ones - 1] if ones else "")
