"""Lots (包 / 合同包 / 采购包 / 标段 / 标项): each lot's number, name, budget and ceiling, read separately from the
tender's own figures.

A notice that splits a tender into lots states amounts per lot, and often the total too (预算总金额). A lot's
amount is never the tender's: the budget and ceiling found inside a lot's paragraph or table row are rescoped
to "package", a total label to "total", so the tender gets the total (or nothing) and the lots are listed.
Layouts read: a lot's paragraph ("合同包1（办公设备）：预算金额：120万元，最高限价：118万元", or a header line
followed by its label lines), a table with a header row (包号 包名称 预算金额（万元） 最高限价（万元）), blocks
named only by 包名称 (numbered in order), and one label listing an amount per lot ("最高限价：包1-…元 包2-…元").
A lot without an amount counts only as one of a numbered series of named lots.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from . import lexicon
from .amounts import money_after
from .candidates import Bag
from .dates import CN_DIGITS
from .doc import Doc, spaced
from .numbers import is_placeholder, parse_money
from .quotes import trimmed
from .result import Lot

_NUM = r"\d{1,2}|[一二三四五六七八九十]{1,3}"
_MARK = r"(?:\(?\d{1,2}[).、]|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}、)"
_HEAD = re.compile(
    rf"(?:^|\n)[ \t]*(?:{_MARK}[ \t]*)?(?P<head>"
    rf"(?:合同包|采购包|标项|分包|包件|标包|标段|包组|包)[ ]?(?:号[ ]?:?[ ]?)?(?P<n1>{_NUM})(?![\d.%]|,\d)"
    rf"|第[ ]?(?P<n2>{_NUM})[ ]?(?:合同包|采购包|包件|标包|分标|标段|包)"
    rf"|(?P<n3>{_NUM})[ ]?(?:号包|标段|标包))"
    r"(?![\u4e00-\u9fff]{0,2}(?:的|中|内|为|及|和|与|投标|不得|可|须|应))")
_TOP_HEADING = re.compile(r"\n[ \t]*(?:[一二三四五六七八九十]{1,3}[、.]|第[一二三四五六七八九十]{1,3}[章节]|\n)")
_PROJECT_LABELS = re.compile(r"\n[ \t]*(?:\d{1,2}[.、)][ \t]*)?(?:" + "|".join(spaced(x) for x in (
    lexicon.PROJECT_NO + lexicon.PROJECT_NAME + lexicon.TENDERER[:9] + lexicon.AGENCY[:7] + lexicon.DEADLINE
    + lexicon.OPENING + lexicon.QUALIFICATION + lexicon.TOTAL_BUDGET + ["获取", "公告期限", "联系方式", "其他补充"]))
    + ")")
_NAME_LABELS = ["合同包名称", "采购包名称", "标段名称", "标项名称", "包件名称", "分包名称", "包名称", "标的名称",
                "项目名称", "名称"]
_LOT_BUDGET = lexicon.BUDGET_PACKAGE + lexicon.BUDGET + ["预算造价", "预算"]
_TOTAL = re.compile("|".join(spaced(x) for x in sorted(lexicon.TOTAL_BUDGET, key=len, reverse=True)))
MAX_LOT_CHARS = 600


@dataclass
class Found:
    number: str
    start: int
    end: int
    name: str | None = None
    budget: Decimal | None = None
    ceiling: Decimal | None = None
    context: int = -1     # where the lot's evidence starts when before `start` (a table's header row)

    def holds(self, pos: int) -> bool:
        return (self.context if self.context >= 0 else self.start) <= pos < self.end

    def public(self) -> Lot:
        return Lot(self.number, self.name, self.budget, self.ceiling)


def lot_number(text: str) -> str:
    """"3" → "3", "三" → "3", "十二" → "12"."""
    if text.isdigit():
        return str(int(text))
    if text == "十":
        return "10"
    if text.startswith("十"):
        return str(10 + CN_DIGITS[text[1]])
    if len(text) >= 2 and text[1] == "十":
        return str(CN_DIGITS[text[0]] * 10 + (CN_DIGITS[text[2]] if len(text) == 3 else 0))
    return str(CN_DIGITS.get(text, 0)) if len(text) == 1 else text


def _own(doc: Doc, start: int, end: int) -> str | None:
    """A lot's name as the notice writes it, without quotes and trailing punctuation."""
    text = trimmed(doc.raw[start:end].strip().strip(" ,，。;；:：、")).strip()
    return text if 2 <= len(text) <= 80 and re.search(r"[\u4e00-\u9fffA-Za-z]", text) else None


def _name(doc: Doc, head_end: int, end: int) -> str | None:
    t = doc.t
    m = re.compile(r"[ ]*\((?P<name>(?:[^()\n]|\([^()\n]{1,20}\)){2,60})\)").match(t, head_end, end)
    if m and not re.search(r"\d[ ]*(?:万元|元)|预算|限价", m.group("name")):
        return _own(doc, m.start("name"), m.end("name"))
    for hit in doc.hits(_NAME_LABELS, start=head_end, end=end):
        if hit.sep != ":":
            continue
        stop = re.compile(r"[,，;；。\n]|[ ]{2,}").search(t, hit.value_start, end)
        value_end = doc.stop_at(hit.value_start, stop.start() if stop else end)
        return _own(doc, hit.value_start, value_end)
    m = re.compile(r"[ ]*(?P<sep>:|[ ])[ ]*").match(t, head_end, end)
    if m:
        start = m.end()
        # after a colon a name may hold single spaces; after a space (a table row) the next space ends it
        stop = re.compile(r"[，;；。\n]|,(?!\d)|" + (r"[ ]{2,}" if m.group("sep") == ":" else "[ ]")).search(
            t, start, end)
        value_end = doc.stop_at(start, stop.start() if stop else end)
        words = t[start:value_end]
        if words and not re.match(r"[\d¥]|" + "|".join(spaced(x) for x in _LOT_BUDGET + lexicon.CEILING + [
                "数量", "采购", "预算", "最高", "控制价", "详见", "见"]), words):
            return _own(doc, start, value_end)
    return None


def _amount(doc: Doc, labels, start: int, end: int):
    for hit in doc.hits(labels, start=start, end=end):
        money = money_after(doc, hit)
        if money is not None and money.value > 0 and money.end <= end + 20:
            return money.value
    return None


def _paragraph_lots(doc: Doc) -> list[Found]:
    heads = list(_HEAD.finditer(doc.t))
    found = []
    for i, m in enumerate(heads):
        start = m.start("head")
        limit = min(doc.n, start + MAX_LOT_CHARS, heads[i + 1].start() if i + 1 < len(heads) else doc.n)
        end = limit
        for pattern in (_TOP_HEADING, _PROJECT_LABELS):
            stop = pattern.search(doc.t, m.end("head"), end)
            if stop:
                end = stop.start()
        number = lot_number((m.group("n1") or m.group("n2") or m.group("n3")).replace(" ", ""))
        lot = Found(number, start, end, _name(doc, m.end("head"), min(end, doc.line_end(m.end("head")))),
                    _amount(doc, _LOT_BUDGET, m.end("head"), end), _amount(doc, lexicon.CEILING, m.end("head"), end))
        found.append(lot)
    # A lot counts when the notice gives it an amount, or when it is one of a numbered series of named lots
    # ("标包1：千兆智能光猫 / 标包2：千兆路由器"); a lone "标段1" in a sentence is no list of lots.
    named = [lot for lot in found if lot.name]
    series = len(named) >= 2 and [lot.number for lot in named] == [str(i) for i in range(1, len(named) + 1)]
    return [lot for lot in found if lot.budget is not None or lot.ceiling is not None or (series and lot.name)]


_COLUMN = {"number": re.compile(r"包号|包件号|标段号|标项号|合同包号?|采购包号?|标段|标项|包件|序号"),
           "name": re.compile(r"名称|标的|内容"), "budget": re.compile(r"预算"),
           "ceiling": re.compile(r"限价|控制价|拦标价|上限价")}


def _table_lots(doc: Doc) -> list[Found]:
    """A header row naming the lot number and budget or ceiling columns, then one row per lot."""
    found = []
    t = doc.t
    for m in re.finditer(r"(?m)^[^\n]*(?:预算|限价|控制价)[^\n]*$", t):
        cells = [c for c in re.split(r"[ \t|]+", m.group(0).strip()) if c]
        if len(cells) < 3:
            continue
        columns: dict[str, int] = {}
        for index, cell in enumerate(cells):
            for key, pattern in _COLUMN.items():
                if key not in columns and pattern.search(cell) and not (key == "name" and _COLUMN["number"].search(
                        cell) and "名称" not in cell):
                    columns[key] = index
                    break
        if "number" not in columns or not ({"budget", "ceiling"} & set(columns)):
            continue
        units = {key: "万元" if "万元" in cells[i] else "元" for key, i in columns.items()}
        pos = m.end() + 1
        while pos < doc.n:
            line_end = doc.line_end(pos)
            row = t[pos:line_end]
            spans = [(c.start() + pos, c.end() + pos) for c in re.finditer(r"[^ \t|]+", row)]
            if len(spans) != len(cells) or not re.fullmatch(rf"(?:第)?(?:{_NUM})(?:包|标段|号)?",
                                                             t[spans[columns['number']][0]:spans[
                                                                 columns['number']][1]]):
                break
            number = re.search(_NUM, t[spans[columns["number"]][0]:spans[columns["number"]][1]]).group(0)
            first_row = pos == m.end() + 1
            lot = Found(lot_number(number), pos, line_end, context=m.start() if first_row else -1)
            if "name" in columns:
                lot.name = _own(doc, *spans[columns["name"]])
            for key in ("budget", "ceiling"):
                if key in columns:
                    cell_start, cell_end = spans[columns[key]]
                    if not is_placeholder(t[cell_start:cell_end]):
                        money = parse_money(t, cell_start, cell_end, default_unit=units[key])
                        setattr(lot, key, money.value if money and money.value > 0 else None)
            found.append(lot)
            pos = line_end + 1
    return found


_NAMED_ONLY = ["合同包名称", "采购包名称", "标项名称", "包名称"]


def _named_lots(doc: Doc) -> list[Found]:
    """Lots given only by their names, one block each ("包名称：执法记录仪 / 数量：1 / 预算金额（元）：…"),
    numbered in order; at least two, each a line of its own."""
    hits = [hit for hit in doc.hits(_NAMED_ONLY) if hit.sep == ":" and hit.line_start]
    if len(hits) < 2:
        return []
    found = []
    for i, hit in enumerate(hits):
        end = min(doc.n, hit.start + MAX_LOT_CHARS, hits[i + 1].start if i + 1 < len(hits) else doc.n)
        for pattern in (_TOP_HEADING, _PROJECT_LABELS):
            stop = pattern.search(doc.t, hit.value_start, end)
            if stop:
                end = stop.start()
        name_end = doc.line_end(hit.value_start)
        found.append(Found(str(i + 1), hit.start, end, _own(doc, hit.value_start, name_end),
                           _amount(doc, _LOT_BUDGET, name_end, end), _amount(doc, lexicon.CEILING, name_end, end)))
    return found


# "最高限价（元）：包1-1,400,000.00元 包2-750,000.00元": one label, an amount per lot
_PER_LOT_AMOUNT = re.compile(rf"(?:合同包|采购包|标包|标段|标项|包)[ ]?(?P<n>{_NUM})[ ]?[-:][ ]?")


def _listed_amounts(doc: Doc, lots: list[Found]) -> None:
    """Fill in the lots' amounts a single label lists lot by lot."""
    by_number = {lot.number: lot for lot in lots}
    for key, labels in (("ceiling", lexicon.CEILING), ("budget", lexicon.BUDGET)):
        for hit in doc.hits(labels):
            line_end = doc.line_end(hit.value_start)
            pairs = list(_PER_LOT_AMOUNT.finditer(doc.t, hit.value_start, line_end))
            if len(pairs) < 2:
                continue
            for i, m in enumerate(pairs):
                money = parse_money(doc.t, m.end(), pairs[i + 1].start() if i + 1 < len(pairs) else line_end,
                                    default_unit="万元" if "万元" in hit.qualifier else "元")
                lot = by_number.get(lot_number(m.group("n")))
                if money is not None and lot is not None and getattr(lot, key) is None:
                    setattr(lot, key, money.value)


def find(doc: Doc) -> list[Found]:
    """The lots a notice states, in order, each number once (a table wins over a paragraph that repeats it)."""
    table = _table_lots(doc)
    numbers = {lot.number for lot in table}
    lots = table + [lot for lot in _paragraph_lots(doc) if lot.number not in numbers]
    seen, out = set(), []
    for lot in sorted(lots, key=lambda lot: lot.start):
        if lot.number not in seen:
            seen.add(lot.number)
            out.append(lot)
    if not out:
        out = _named_lots(doc)
    _listed_amounts(doc, out)
    return out


def rescope(doc: Doc, bag: Bag, lots: list[Found]) -> None:
    """A budget or ceiling inside a lot's paragraph or row is that lot's; one under a total label is the tender's
    total, which wins over any other."""
    for cand in bag:
        if cand.field not in ("budget", "ceiling_price"):
            continue
        if cand.field == "budget" and _TOTAL.match(doc.t, cand.ctx):
            cand.scope = "total"
            cand.confidence = max(cand.confidence, 0.9)
        elif any(lot.holds(cand.ctx) for lot in lots):
            cand.scope = "package"
