"""How the tender runs: method (采购方式), scoring method (评标办法) and the qualification passage (资格要求)."""

import re

from . import lexicon
from .candidates import Bag
from .doc import Doc

_METHOD_WORDS = "|".join(re.escape(term) for term, _code in lexicon.METHOD_TERMS)
_SCORING_WORDS = "|".join(re.escape(term) for term, _code in lexicon.SCORING_TERMS)
_PROCUREMENT_METHODS = "|".join(["公开招标", "邀请招标", "竞争性磋商", "竞争性谈判", "询价采购", "询价", "单一来源采购",
                                 "单一来源", "框架协议采购", "公开比选", "比选", "网上竞价"])


def method(doc: Doc, bag: Bag) -> None:
    t = doc.t
    for hit in doc.hits(lexicon.METHOD):
        if hit.sep in ("", ) or (hit.sep == "newline" and not hit.line_start):
            continue
        start = hit.value_start
        end = min(doc.line_end(start), start + 24)
        m = re.compile(rf"[ ]*(?:国内|国际)?[ ]*(?P<term>{_METHOD_WORDS})").match(t, start, end)
        if m:
            bag.add("method", m.group("term"), m.start("term"), m.end("term"), hit.start, 0.9, "label",
                    extra={"code": lexicon.method_code(m.group("term"))})
    for m in re.finditer(rf"(?:进行|采用|采取|以)[ ]*(?:国内|国际)?[ ]*(?P<term>{_PROCUREMENT_METHODS})[ ]*(?:的)?"
                         r"(?:方式|采购|招标|,|，|。|\n|$)", t):
        bag.add("method", m.group("term"), m.start("term"), m.end("term"), m.start(), 0.8, "进行…",
                extra={"code": lexicon.method_code(m.group("term"))})
    title = t[:200].split("\n", 1)[0]
    m = re.search(rf"(?P<term>{_PROCUREMENT_METHODS})(?:采购)?(?:公告|公示|邀请书|邀请函)", title)
    if m:
        bag.add("method", m.group("term"), m.start("term"), m.end("term"), 0, 0.7, "title",
                extra={"code": lexicon.method_code(m.group("term"))})


def scoring(doc: Doc, bag: Bag) -> None:
    t = doc.t
    term = re.compile(_SCORING_WORDS)
    for hit in doc.hits(lexicon.SCORING):
        if hit.sep == "" or (hit.sep == "newline" and not hit.line_start):
            continue
        start = hit.value_start
        end = min(doc.n, start + 220)
        found = list(term.finditer(t, start, end))
        # Not a name inside a title of a regulation (《…合理低价法实施办法》) when the text says what it uses.
        chosen = next((m for m in found if re.search(r"采用[^。\n《]{0,12}$", t[max(0, m.start() - 14):m.start()])),
                      None) or next((m for m in found if t.rfind("《", start, m.start()) <= t.rfind("》", start,
                                                                                                      m.start())), None)
        if chosen:
            near = chosen.start() - start <= 12
            bag.add("scoring_method", chosen.group(0), chosen.start(), chosen.end(), hit.start, 0.9 if near else 0.75,
                    "label", extra={"code": lexicon.scoring_code(chosen.group(0))})
    for m in re.finditer(rf"采用[^。\n《,，]{{0,10}}?(?P<term>{_SCORING_WORDS})", t):
        bag.add("scoring_method", m.group("term"), m.start("term"), m.end("term"), m.start(), 0.7, "采用",
                extra={"code": lexicon.scoring_code(m.group("term"))})


def qualification(doc: Doc, bag: Bag) -> None:
    """The passage under the qualification heading, up to the next heading of the same level."""
    for hit in doc.hits(lexicon.QUALIFICATION):
        if not (hit.line_start or hit.marker):
            continue
        line_end = doc.line_end(hit.value_start)
        rest_of_line = doc.t[hit.value_start:line_end]
        # A heading: the label is (nearly) the whole line, or it is followed by ":" and the requirements.
        if hit.sep not in (":", "newline") and rest_of_line.strip() and not hit.marker and not (
                hit.sep == "space" and hit.line_start and len(hit.label) >= 4):  # "资质要求 水利水电…" (a table row)
            continue
        end = doc.section_end(hit, limit=2000)
        start = hit.value_start
        while start < end and doc.t[start] in " \t\n:":
            start += 1
        passage = doc.raw[start:end].strip()
        if len(re.sub(r"\s", "", passage)) < 8 or re.fullmatch(r"(?:详见|见)[^\n]{0,30}", passage):
            continue
        level = 0.85 if re.match(r"[一二三四五六七八九十]", hit.marker or "") else 0.8 if hit.marker else 0.7
        bag.add("qualification", passage, start, start + len(passage), hit.start, level, "section")
