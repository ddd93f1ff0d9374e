"""When: the submission deadline (投标/响应文件递交截止时间) and the opening (开标/开启, or the 磋商/谈判 meeting)."""

import re
from datetime import datetime

from . import lexicon
from .candidates import Bag
from .dates import DATE, RANGE, SHANGHAI, When, find_datetimes
from .doc import Doc, spaced

# A 截止时间 of something else: buying the documents, paying the bond, asking questions, a prequalification,
# or the original time a correction replaces (原投标截止时间).
_OTHER_DEADLINE = re.compile(r"(?:保证金|报名|获取|下载|购买|发售|领取|质疑|答疑|澄清|疑问|提问|缴纳|交纳|公示|异议|"
                             r"确认|登记|注册|入库|备案|申请文件|预审|原)[^,，。;；\n]{0,6}$")
_COMBINED = re.compile(r"(?:截止时间|截止日期)[ ]*(?:、|及|和|与|/|,)[ ]*"
                       r"(?P<what>开标|开启|磋商会议|磋商|谈判会议|谈判|评审)(?:会议)?(?:时间|日期)")
_SAME_AS_DEADLINE = re.compile(r"(?:同|与|即|为|同为)[ ]*(?:投标|递交投标文件|响应文件提交|提交响应文件)?[ ]*截止时间|"
                               r"截止时间[^。\n]{0,6}(?:同一时间|相同|同时)")
_CHANGED_TO = re.compile(r"(?:变更为|更正为|调整为|修改为|改为|延期至|延长至|推迟至|顺延至|更改为)")


def _window(doc: Doc, hit, reach: int = 90) -> tuple[int, int]:
    """Where a label's date may be: the rest of its line, or the next line when the label ends its line."""
    start = hit.value_start
    end = doc.line_end(start)
    if end - start < 4 and end < doc.n:  # "开 标 时 间\n2021年7月2日14时00分"
        end = doc.line_end(end + 1)
    return start, min(end, start + reach)


def _dates(doc: Doc, start: int, end: int) -> list[When]:
    """The date-times of a label's value; of a correction ("由…变更为…", "延期至…") only the new one."""
    changed = _CHANGED_TO.search(doc.t, start, end)
    return find_datetimes(doc.t, changed.end() if changed else start, end)


def _pick(found: list[When], deadline: bool) -> When | None:
    """The first date-time of a value; for a deadline written as a window ("8:30-9:30") its end."""
    if not found:
        return None
    first = found[0]
    if deadline and len(found) > 1 and found[1].start - first.end <= 3 and found[1].value.date() == first.value.date():
        return found[1]
    return first


def _add(bag: Bag, field_name: str, when: When | None, ctx: int, confidence: float, rule: str) -> None:
    if when is None:
        return
    if not when.has_time:
        confidence -= 0.45  # a day without an hour is no deadline a bid can be planned on
    bag.add(field_name, when.value, when.start, when.end, ctx, confidence, rule)


def deadline(doc: Doc, bag: Bag) -> None:
    t = doc.t
    for hit in doc.hits(lexicon.DEADLINE):
        start, end = _window(doc, hit)
        if _OTHER_DEADLINE.search(t, max(0, hit.start - 12), hit.start) and not (
                t[max(0, hit.start - 3):hit.start].endswith("原") and _CHANGED_TO.search(t, start, end)):
            continue  # another deadline; but "原投标截止时间：…，现变更为：…" gives the new one
        _add(bag, "submission_deadline", _pick(_dates(doc, start, end), True), hit.start, 0.9, "label")
    # 四、响应文件提交 / 截止时间：2022年03月31日 09时50分
    heading = re.compile(r"(?:^|\n)[^\n]{0,12}(?:响应文件提交|响应文件递交|投标文件的?递交|投标文件的?提交|"
                         r"递交投标文件|提交投标文件|"
                         r"投标文件上传)[^\n]{0,10}\n")
    for m in heading.finditer(t):
        field = re.compile(rf"{spaced('截止时间')}[ ]*[:为]").search(t, m.end(), min(doc.n, m.end() + 200))
        if field:
            end = doc.line_end(field.end())
            _add(bag, "submission_deadline", _pick(find_datetimes(t, field.end(), end), True), field.start(), 0.85,
                 "section")
    # …并于 2021年07月15日 14:30（北京时间）前递交（上传）投标文件
    for m in re.finditer(r"于[ ]*", t):
        if not DATE.match(t, m.end()):
            continue
        found = find_datetimes(t, m.end(), min(doc.n, m.end() + 45))
        if not found or found[0].start != m.end():
            continue
        when = found[0]
        tail = t[when.end:when.end + 30]
        if re.match(r"[ ]*(?:\(北京时间\))?[ ]*(?:之)?前[ ]*(?:递交|提交|上传|送达|递交\(上传\)|"
                    r"提交\(上传\))[^,，。\n]{0,8}"
                    r"(?:投标文件|响应文件|报价文件|谈判文件|磋商文件|投标书)", tail):
            _add(bag, "submission_deadline", when, m.start(), 0.85, "于…前递交")
    _submission_window(doc, bag)
    _combined(doc, bag)


# 7月9日-11日8:30-16:00, 7月9-11日 8:30-16:00, 2024年7月9日至7月11日每日上午8:30至下午16:00 (normalised text)
_H = r"(?:上午|下午|中午)?[ ]?(?P<h{0}>\d{{1,2}})[ ]?(?::|时|点)[ ]?(?P<mi{0}>\d{{1,2}})?(?:分)?"
_WINDOW = re.compile(
    r"(?:(?P<y>\d{4})[ ]?年)?[ ]?(?P<m1>\d{1,2})[ ]?月[ ]?(?P<d1>\d{1,2})[ ]?[日号]?[ ]?(?:-|~|至|到)[ ]?"
    r"(?:(?:(?P<y2>\d{4})[ ]?年)?[ ]?(?P<m2>\d{1,2})[ ]?月)?[ ]?(?P<d2>\d{1,2})[ ]?[日号][ ]?(?:\([^)]{0,12}\))?"
    r"[ ]?(?:每天|每日|的)?[ ]?(?:\(?北京时间\)?)?[ ]?" + _H.format(1) + r"[ ]?(?:-|~|至|到)[ ]?" + _H.format(2))


def _date_near(doc: Doc, pos: int) -> datetime | None:
    """The full date nearest before `pos` (the notice's own date), else the first one after."""
    before = find_datetimes(doc.t, max(0, pos - 3000), pos)
    if before:
        return before[-1].value
    after = find_datetimes(doc.t, pos, min(doc.n, pos + 3000))
    return after[0].value if after else None


def window_end(doc: Doc, start: int, end: int) -> When | None:
    """The end of a window across days with its daily hours ("7月9—11日8:30—16:00" → 11日 16:00); a month
    and day without the year take the year of the notice's nearest full date (the next year when that would put
    the window months before the notice: a notice of 20 December for "1月9—11日")."""
    m = _WINDOW.search(doc.t, start, end)
    if not m:
        return None
    written_year = m.group("y2") or m.group("y")
    near = None if written_year else _date_near(doc, m.start())
    if not written_year and near is None:
        return None
    hour, minute = int(m.group("h2")), int(m.group("mi2") or 0)
    if re.search(r"下午|中午", m.group(0)[m.start("h2") - m.start() - 4:m.start("h2") - m.start()]) and hour < 12:
        hour += 12
    month, day = int(m.group("m2") or m.group("m1")), int(m.group("d2"))
    try:
        value = datetime(int(written_year or near.year), month, day, hour, minute, tzinfo=SHANGHAI)
        if near is not None and (near - value).days > 60:
            value = value.replace(year=value.year + 1)
    except ValueError:
        return None
    return When(value, m.start(), m.end(), True)


def _submission_window(doc: Doc, bag: Bag) -> None:
    """投标时间 / 投标文件递交时间: a window whose end is the deadline; a single time is the deadline too."""
    t = doc.t
    for hit in doc.hits(lexicon.SUBMISSION_WINDOW):
        if hit.sep not in (":", "newline") or _OTHER_DEADLINE.search(t, max(0, hit.start - 12), hit.start):
            continue
        start, end = _window(doc, hit)
        when = window_end(doc, start, end)
        if when is None:
            found = _dates(doc, start, end)
            dash = found and len(found) > 1 and RANGE.fullmatch(t, found[0].end, found[1].start)
            when = found[1] if dash else _pick(found, True)
        _add(bag, "submission_deadline", when, hit.start, 0.8, "window")


def _combined(doc: Doc, bag: Bag) -> None:
    """递交响应文件截止时间及开标时间：… / 九、投标截止时间、开标时间及地点：兹定于……: one time for both."""
    t = doc.t
    for m in _COMBINED.finditer(t):
        line_begin = doc.line_begin(m.start())
        if _OTHER_DEADLINE.search(t, max(line_begin, m.start() - 12), m.start()):
            continue
        end = doc.line_end(m.end())
        found = find_datetimes(t, m.end(), end)
        confidence = 0.9
        if not found:  # the time is in the sentence under the heading
            found = find_datetimes(t, m.end(), min(doc.n, end + 160))
            confidence = 0.8
        when = _pick(found, False)
        if when is None:
            continue
        ctx = line_begin
        _add(bag, "submission_deadline", when, ctx, confidence, "combined")
        weak = m.group("what") not in ("开标", "开启")
        _add(bag, "opening_at", when, ctx, confidence - (0.1 if weak else 0), "combined")


def opening(doc: Doc, bag: Bag) -> None:
    t = doc.t
    for labels, confidence in ((lexicon.OPENING, 0.9), (lexicon.OPENING_WEAK, 0.75)):
        for hit in doc.hits(labels):
            if re.search(r"(?:截止|递交|提交|获取|报名|原)[ ]*$", t[max(0, hit.start - 4):hit.start]):
                continue
            start, end = _window(doc, hit)
            when = _pick(_dates(doc, start, end), False)
            if when is not None:
                _add(bag, "opening_at", when, hit.start, confidence, "label")
            elif _SAME_AS_DEADLINE.search(t, start, min(end, start + 24)):
                bag.add("opening_at", "=deadline", hit.start, hit.value_start + 12, hit.start, confidence - 0.05,
                        "same as deadline")
    # 五、开启 / 时间：2022年03月31日 09时50分
    for m in re.finditer(r"(?:^|\n)[^\n]{0,8}?(?:开启|开标)[ \t]*\n", t):
        time_label = re.compile(rf"[ \t]*(?:\d[.、])?[ \t]*{spaced('时间')}[ ]*:")
        field = time_label.match(t, m.end(), min(doc.n, m.end() + 40))
        if field:
            end = doc.line_end(field.end())
            _add(bag, "opening_at", _pick(find_datetimes(t, field.end(), end), False), field.start(), 0.85, "section")
    # 兹定于2018年04月13日09:00时（北京时间）在……公开开标
    for m in re.finditer(r"定于[ ]*", t):
        found = find_datetimes(t, m.end(), min(doc.n, m.end() + 40))
        if found and found[0].start == m.end() and re.search(r"开标|开启|开始评审", t[found[0].end:found[0].end + 50]):
            _add(bag, "opening_at", found[0], m.start(), 0.8, "定于…开标")
