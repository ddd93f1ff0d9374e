"""How much: budget (预算金额/采购预算/预算上限), ceiling price (最高限价/招标控制价) and the bid bond (投标保证金)."""

import re
from decimal import Decimal

from . import lexicon
from .candidates import Bag
from .doc import Doc
from .numbers import is_placeholder, parse_money

_PACKAGE_CONTEXT = re.compile(r"(?:标项|包号|第[ ]?(?:\d+|[一二三四五六七八九十]+)[ ]?(?:包|标段)|合同包|采购包|分包|"
                              r"标段[ ]?\d|(?:\d|[一二三四五六七八九十])[ ]?标段|包[ ]?\d|品目)")
# "投标保证金：第一包人民币10万元，第二包…": the amount of one lot ("各包均为…", "每个标段…" are for every lot).
_LOT_BEFORE = re.compile(r"第[ ]?(?:\d+|[一二三四五六七八九十]+)[ ]?(?:包|标段|标包)"
                         r"|(?:合同包|采购包|标包|标项|分包|包|标段)[ ]?(?:\d+|[一二三四五六七八九十]+)"
                         r"|(?:\d+|[一二三四五六七八九十]+)[ ]?标段")
_NOT_AN_AMOUNT_BEFORE = re.compile(r"(?:超过|高于|不得超过|超出|低于|占)[ ]*$")
MIN_TENDER_AMOUNT = 1000  # yuan: a budget or ceiling below it is a number misread, not money
_CONDITIONAL = re.compile(r"诚信|名录|中小企业|小微|的企业|的供应商|符合|如|若|对于|承诺|信用|年度|入库")


def _unit(hit) -> str:
    qualifier = hit.qualifier + hit.label
    return "万元" if "万元" in qualifier else "元" if "元" in qualifier else ""


def money_after(doc: Doc, hit, reach: int = 40):
    start = hit.value_start
    end = doc.line_end(start)
    if end - start < 3 and end < doc.n and hit.line_start:  # table layout: the amount on the next line
        end = doc.line_end(end + 1)
    end = min(end, start + reach)
    if is_placeholder(doc.t[start:end].split(" ")[0] if doc.t[start:end].strip() else "-"):
        return None
    money = parse_money(doc.t, start, end, default_unit=_unit(hit))
    if money is None:
        return None
    # The amount must follow the label closely: "预算金额：人民币1,100,000.00元", not a number later in the line.
    gap = doc.t[start:money.start]
    if re.search(r"\d", gap) or len(gap.strip()) > 8 and not re.fullmatch(r"[ ]*(?:人民币|为|约|是|:|：|\s)*", gap):
        return None
    return money


def _scope(doc: Doc, hit, package_label: bool) -> str:
    if package_label:
        return "package"
    line_begin = doc.line_begin(hit.start)
    before = doc.t[max(line_begin, hit.start - 60):hit.start]
    previous_line = doc.t[doc.line_begin(max(0, line_begin - 1)):line_begin]
    if _PACKAGE_CONTEXT.search(before) or (not before.strip() and _PACKAGE_CONTEXT.search(previous_line[:40])
                                           and not re.search(r"项目", hit.label)):
        return "package"
    return "project"


def _labelled_amounts(doc: Doc, bag: Bag, field: str, labels, package_label: bool) -> None:
    """Every positive amount right after one of `labels`; a package's (标段/包) scores below the project's."""
    for hit in doc.hits(labels):
        if _NOT_AN_AMOUNT_BEFORE.search(doc.t, max(0, hit.start - 5), hit.start):
            continue
        money = money_after(doc, hit)
        if money is None or money.value < MIN_TENDER_AMOUNT:
            continue  # "最高投标限价（元）" heading a table column reads the first row's "1": no tender costs 1 yuan
        scope = _scope(doc, hit, package_label)
        confidence = (0.9 if money.has_unit else 0.75) - (0.1 if scope == "package" else 0)
        bag.add(field, money.value, money.start, money.end, hit.start, confidence, "label", scope=scope)


def budget(doc: Doc, bag: Bag) -> None:
    _labelled_amounts(doc, bag, "budget", lexicon.BUDGET, False)
    _labelled_amounts(doc, bag, "budget", lexicon.BUDGET_PACKAGE, True)


def ceiling(doc: Doc, bag: Bag) -> None:
    _labelled_amounts(doc, bag, "ceiling_price", lexicon.CEILING, False)


def _per_lot(text: str, start: int, end: int) -> bool:
    """Different amounts for lots named in words: "张家口区域标段人民币10万元，承德区域标段人民币6万元"."""
    if not re.search(r"标段|包|标项", text[start:end]):
        return False
    amounts, pos = set(), start
    while (money := parse_money(text, pos, end)) is not None:
        amounts.add(money.value)
        pos = money.end
    return len(amounts) > 1


def bid_bond(doc: Doc, bag: Bag) -> None:
    t = doc.t
    for hit in doc.hits(lexicon.BID_BOND, suffix=r"(?:的)?(?:金额|数额|交纳|缴纳|标准|为)?"):
        if hit.sep == "" and not hit.line_start:
            continue
        start = hit.value_start
        end = doc.line_end(start)
        if end - start < 3 and end < doc.n:
            end = doc.line_end(end + 1)
        sentence_end = re.compile(r"[。;；]").search(t, start, end)
        end = min(sentence_end.start() if sentence_end else end, start + 80)
        window = t[start:end]
        money = parse_money(t, start, end)
        if money is None:
            continue
        if re.search(r"%|百分之|‰", t[start:money.start]) or re.search(r"不超过|最高|上限", t[start:money.start]):
            continue
        if _CONDITIONAL.search(t[start:money.start]) and not re.search(r"缴纳|交纳|提交", window):
            continue
        scope = "package" if _LOT_BEFORE.search(t, start, money.start) or _per_lot(t, start, end) else "project"
        bag.add("bid_bond", money.value, money.start, money.end, hit.start,
                0.85 if money.start - start < 12 else 0.7, "label", scope=scope)
    for m in re.finditer(r"(?:不收取|免收|无需缴纳|无需提交|无需交纳|不需缴纳|不需要缴纳|不需交纳|"
                         r"免予缴纳)[^。;；\n]{0,4}"
                         r"(?:投标|响应|磋商)?保证金|(?:投标|响应|磋商)保证金[ ]*[:为][ ]*(?:无|0元|0\.00元|不收取|"
                         r"免收)", t):
        sentence_begin = max(doc.line_begin(m.start()), t.rfind("。", 0, m.start()) + 1)
        if _CONDITIONAL.search(t, sentence_begin, m.start()) or _CONDITIONAL.search(m.group(0)):
            continue
        bag.add("bid_bond", Decimal("0.00"), m.start(), m.end(), m.start(), 0.8, "no bond")
