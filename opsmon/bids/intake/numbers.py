"""Money as a Chinese notice writes it → Decimal yuan: 1,508,658.00元, 73.08万元, ￥30000, 人民币壹拾肆万柒仟元整.

Works on normalised text (full-width digits already ASCII, see text.normalize). Spaces a bad crawl put inside
a number ("1 508 658.00") are tolerated.
"""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "○": 0, "0": 0, "壹": 1, "一": 1, "1": 1, "贰": 2, "貳": 2, "二": 2, "两": 2, "兩": 2,
          "2": 2, "叁": 3, "參": 3, "三": 3, "3": 3, "肆": 4, "四": 4, "4": 4, "伍": 5, "五": 5, "5": 5, "陆": 6,
          "陸": 6, "六": 6, "6": 6, "柒": 7, "七": 7, "7": 7, "捌": 8, "八": 8, "8": 8, "玖": 9, "九": 9, "9": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CAPITAL_CHARS = "零〇○壹贰貳叁參肆伍陆陸柒捌玖拾佰仟万萬亿億一二三四五六七八九十百千两兩"

_ARABIC = r"\d(?:[\d,]|[ ](?=[\d,]))*(?:\.[ ]?\d+)?"
MONEY = re.compile(
    r"(?P<prefix>(?:人民币|RMB|CNY|¥|\$)[ ]*)?(?:"
    rf"(?P<num>{_ARABIC})[ ]*(?P<unit>亿元|万元|万|元|圆|亿)?"
    rf"|(?P<cap>[{CAPITAL_CHARS}]+(?:[元圆](?:[{CAPITAL_CHARS}]+[角分])*|[角分])?)(?P<capend>整|正)?"
    r")"
)
_QUANTITY = re.compile(r"[-/]\d|\(?(?:项|个|台|套|年|月|日|天|人|次|份|批|包|标段|m|平方|米)")
UNIT_FACTOR = {"元": 1, "圆": 1, "万": 10_000, "万元": 10_000, "亿": 100_000_000, "亿元": 100_000_000}


def chinese_number(text: str) -> Decimal | None:
    """壹佰贰拾万元整 → 1200000; 叁万元 → 30000; 一千二百 → 1200; None when it is not a number."""
    text = text.strip()
    if not text:
        return None
    mark = re.search(r"[元圆]", text)
    yuan, cents = (text[:mark.start()], text[mark.end():]) if mark else (text, "")
    if yuan.endswith(("整", "正")):
        yuan = yuan[:-1]
    total = 0
    section = 0
    digit = None
    seen = False
    for ch in yuan:
        if ch in DIGITS:
            digit = DIGITS[ch]
            seen = True
        elif ch in SMALL_UNITS:
            section += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
            seen = True
        elif ch in BIG_UNITS:
            section += digit or 0
            factor = BIG_UNITS[ch]
            total = (total + section) * factor if factor > 10_000 else total + section * factor
            section, digit = 0, None
        else:
            return None
    if not seen:
        return None
    value = Decimal(total + section + (digit or 0))
    for ch, unit in re.findall(r"([" + "".join(k for k in DIGITS if not k.isdigit()) + r"])([角分])",
                               cents.rstrip("整正")):
        value += Decimal(DIGITS[ch]) / (10 if unit == "角" else 100)
    return value


@dataclass(frozen=True)
class Money:
    value: Decimal
    start: int
    end: int
    has_unit: bool


def _arabic(num: str) -> Decimal | None:
    try:
        return Decimal(num.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


def parse_money(text: str, pos: int = 0, endpos: int | None = None, *, default_unit: str = "") -> Money | None:
    """The first amount in text[pos:endpos] in yuan. `default_unit` ("元" / "万元") comes from a label such as
    预算金额（万元）. An amount followed by % is a rate, not money; a bare number without any unit is only taken
    when it is large enough to be yuan."""
    endpos = len(text) if endpos is None else endpos
    for match in MONEY.finditer(text, pos, endpos):
        after = text[match.end():match.end() + 2].lstrip(" \t")  # not across a line: "1,400,000.00\n包名称"
        if after.startswith(("%", "％", "‰")) or text[max(0, match.start() - 3):match.start()].endswith("百分之"):
            continue
        if match.group("num"):
            if not match.group("unit") and _QUANTITY.match(after):
                continue  # a code ("1-1"), a date or a quantity, not money
            value = _arabic(match.group("num"))
            if value is None:
                continue
            unit = match.group("unit") or ""
            if not unit and after.startswith("元"):
                unit = "元"
            if not unit and default_unit:
                unit = default_unit
            if not unit:
                bare_end = not after or after[0] in ",，。;；)）\n" or text[match.end():match.end() + 1] in " \n"
                if not (match.group("prefix") or (value >= 1000 and bare_end)):
                    continue
            factor = UNIT_FACTOR.get(unit, 1)
            return Money((value * factor).quantize(Decimal("0.01")), match.start(), match.end(), bool(unit))
        cap = match.group("cap")
        if cap and (re.search(r"[元圆万亿]", cap) or match.group("prefix")) and re.search(
                r"[壹贰貳叁參肆伍陆陸柒捌玖拾佰仟一二三四五六七八九十百千两]", cap):
            value = chinese_number(cap + (match.group("capend") or ""))
            if value is None:
                continue
            if not re.search(r"[元圆]", cap) and default_unit == "万元":  # 叁万 without 元: the label's unit
                value *= 10_000
            return Money(value.quantize(Decimal("0.01")), match.start(), match.end(), True)
    return None


def is_placeholder(text: str) -> bool:
    """A table cell saying "none": -, /, 无, 详见..."""
    return bool(re.fullmatch(r"\s*(?:[-/—_*]+|无|不适用|详见\S*|见\S*|/)\s*", text or ""))
