"""Dates and times as notices write them → aware datetimes in Asia/Shanghai.

2021年6月8日9时30分, 2021年6月8日上午9:30, 2021-06-08 09:30, 2021/6/8 9:30, 2018-03-1908:30:00 (a crawl glued
date and time), 2021年 6 月 9 日 0 9 时 : 30 分 (stray spaces), 二〇二一年六月八日, 下午3点 → 15:00. Works on
normalised text (full-width digits already ASCII, see text.normalize).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "十": 10}

_N2 = r"\d(?:[ ]?\d)?"                     # one or two digits, a stray space allowed between them
_N4 = r"\d(?:[ ]?\d){3}"
_CN = r"[〇零○一二三四五六七八九十]"
_SP = r"[ ]{0,3}"

DATE = re.compile(
    rf"(?P<y>{_N4}){_SP}年{_SP}(?P<m>{_N2}){_SP}月{_SP}(?P<d>{_N2}){_SP}[日号]"
    rf"|(?P<y2>\d{{4}}){_SP}(?P<sep>[-/.]){_SP}(?P<m2>\d{{1,2}}){_SP}(?P=sep){_SP}(?P<d2>\d{{1,2}})(?!\d{{3}})"
    rf"|(?P<y3>{_CN}{{4}})年(?P<m3>{_CN}{{1,2}})月(?P<d3>{_CN}{{1,3}})[日号]"
)
_WEEKDAY = r"(?:[ ]{0,2}[(（]?[ ]{0,2}(?:星期|周|礼拜)[一二三四五六日天][ ]{0,2}[)）]?)?"
_BEIJING = r"(?:[ ]{0,2}[(（]?北京时间[)）]?)?"
_HALF = r"(?P<half>上午|下午|中午|晚上|凌晨|早上|早晨|傍晚|晚)?"
TIME = re.compile(
    rf"{_WEEKDAY}{_BEIJING}{_SP}{_HALF}{_SP}"
    rf"(?:(?P<h>{_N2}){_SP}(?::{_SP}(?P<mi>{_N2})(?:{_SP}:{_SP}(?P<s>{_N2}))?{_SP}(?:时|点)?"
    rf"|(?:时|点){_SP}(?::{_SP})?(?:(?P<mi2>{_N2}){_SP}分(?:{_SP}(?P<s2>{_N2}){_SP}秒)?|(?P<half_hour>半)|整)?)"
    rf"|(?P<hc>{_CN}{{1,3}})(?:时|点)(?:(?P<mic>{_CN}{{1,3}})分|(?P<half_hour2>半)|整)?)"
)
RANGE = re.compile(rf"{_SP}(?:-|~|至|到|－|—){_SP}")


@dataclass(frozen=True)
class When:
    value: datetime       # aware, Asia/Shanghai; 00:00 when the text gives no time
    start: int
    end: int
    has_time: bool


def _int(text: str) -> int:
    text = text.replace(" ", "")
    if text.isdigit():
        return int(text)
    if len(text) >= 2 and text[0] == "十":           # 十五 = 15
        return 10 + CN_DIGITS.get(text[1], 0)
    if len(text) >= 2 and text[-1] == "十":          # 二十 = 20
        return CN_DIGITS[text[0]] * 10
    if len(text) == 3 and text[1] == "十":           # 二十三 = 23
        return CN_DIGITS[text[0]] * 10 + CN_DIGITS[text[2]]
    if len(text) == 1:
        return CN_DIGITS[text]
    return int("".join(str(CN_DIGITS[c]) for c in text))  # 二〇二一 = 2021


def _date(match) -> tuple[int, int, int] | None:
    for y, m, d in (("y", "m", "d"), ("y2", "m2", "d2"), ("y3", "m3", "d3")):
        if match.group(y):
            try:
                return _int(match.group(y)), _int(match.group(m)), _int(match.group(d))
            except (KeyError, ValueError):
                return None
    return None


def _time(match) -> tuple[int, int, int] | None:
    try:
        if match.group("hc"):
            hour = _int(match.group("hc"))
            minute = _int(match.group("mic")) if match.group("mic") else (30 if match.group("half_hour2") else 0)
            second = 0
        else:
            hour = _int(match.group("h"))
            minute_text = match.group("mi") or match.group("mi2")
            minute = _int(minute_text) if minute_text else (30 if match.group("half_hour") else 0)
            second_text = match.group("s") or match.group("s2")
            second = _int(second_text) if second_text else 0
    except (KeyError, ValueError):
        return None
    half = match.group("half") or ""
    if half in ("下午", "晚上", "傍晚", "晚") and hour < 12 or half == "中午" and hour < 11:
        hour += 12
    elif half == "凌晨" and hour == 12:
        hour = 0
    if hour == 24 and minute == 0:
        hour, minute, second = 23, 59, 59
    if not (0 <= hour < 24 and 0 <= minute < 60 and 0 <= second < 60):
        return None
    return hour, minute, second


def _make(ymd, hms) -> datetime | None:
    try:
        naive = datetime(*ymd, *(hms or (0, 0, 0)))
    except ValueError:
        return None
    if not 1990 <= naive.year <= 2100:
        return None
    return naive.replace(tzinfo=SHANGHAI)


def find_datetimes(text: str, pos: int = 0, endpos: int | None = None) -> list[When]:
    """Every date (with its time when one follows) in text[pos:endpos], in order. A range "9:00-9:30" or
    "8日9时至10日17时" yields its start and its end."""
    endpos = len(text) if endpos is None else endpos
    found: list[When] = []
    for match in DATE.finditer(text, pos, endpos):
        ymd = _date(match)
        if ymd is None:
            continue
        end = match.end()
        hms = None
        time_match = TIME.match(text, end, endpos)
        if time_match and time_match.end() > end and (time_match.group("h") or time_match.group("hc")):
            hms = _time(time_match)
            if hms is not None:
                end = time_match.end()
        value = _make(ymd, hms)
        if value is None:
            continue
        found.append(When(value, match.start(), end, hms is not None))
        if hms is not None:  # "9:00-9:30" on the same day
            dash = RANGE.match(text, end, endpos)
            if dash and not DATE.match(text, dash.end(), endpos):
                second = TIME.match(text, dash.end(), endpos)
                if second and (second.group("h") or second.group("hc")) and (second.group("mi") or
                                                                              second.group("mi2")):
                    hms2 = _time(second)
                    value2 = _make(ymd, hms2) if hms2 else None
                    if value2 is not None and value2 > value:
                        found.append(When(value2, second.start(), second.end(), True))
    return found


def first_datetime(text: str, pos: int = 0, endpos: int | None = None) -> When | None:
    found = find_datetimes(text, pos, endpos)
    return found[0] if found else None


def iso(value: datetime) -> str:
    return value.astimezone(SHANGHAI).isoformat()
