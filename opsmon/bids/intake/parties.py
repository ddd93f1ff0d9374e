"""Who and what: project number, project name, tenderer (采购人/招标人/建设单位) and agency (代理机构)."""

import re

from . import lexicon
from .candidates import Bag
from .doc import STOP_RE, Doc

_NOT_OURS_BEFORE = re.compile(r"(?:标段|\(包\)|包|计划|代理|合同|委托|批文|文件|证书|许可证|备案)[ ]*$")
_NO_TOKEN = re.compile(r"[A-Za-z0-9\u4e00-\u9fff\-_/.#()\[\]【】〔〕{}·]+")
_NOTICE_WORDS = (r"(?:[-—_ ]*(?:二次|第[二三四五六七八九十]次|重新)?(?:公开招标|邀请招标|竞争性磋商|竞争性谈判|"
                 r"单一来源采购|询价采购|询价|招标采购|招标|采购|磋商|谈判|比选|竞价|单一来源)?(?:采购)?(?:资格预审)?"
                 r"(?:更正|变更|澄清|补充|延期|中标候选人|中标结果|成交结果|采购结果|结果|中标|成交|废标|流标|终止)?"
                 r"(?:公告|公示|邀请书|邀请函)(?:\(.{0,12}?\))?)")
_GENERIC_NAME = re.compile(r"^(?:[\u4e00-\u9fff]{2,9}(?:省|市|县|区))?(?:建设工程|工程建设|政府采购|公共资源交易|"
                           r"招标|采购|"
                           r"工程|项目|货物|服务)+(?:项目)?$")


# --- project number ---------------------------------------------------------------------------------------

def _balanced(token: str) -> str:
    """Without the closing brackets and dashes a cut left at its end: "LNZC20190702885)" → "LNZC20190702885"."""
    pairs = {")": "(", "]": "[", "】": "【"}
    while token and (token[-1] in ".-_/" or (token[-1] in pairs and token.count(token[-1]) > token.count(
            pairs[token[-1]]))):
        token = token[:-1]
    return token


def _project_no_at(doc: Doc, pos: int, strict: bool) -> tuple[str, int, int] | None:
    while pos < doc.n and doc.t[pos] in " \t":
        pos += 1
    if pos < doc.n and doc.t[pos] in "([【〔":  # "项目编号：（GXZC2024-001）": the brackets are not the number's
        pos += 1
    m = _NO_TOKEN.match(doc.t, pos, min(doc.line_end(pos), pos + 60))
    if not m:
        return None
    end = doc.stop_at(pos, m.end(), min_len=3)
    depth = 0
    for i in range(pos, end):  # a closing bracket that opened before the number ends it: "(项目编号:X)进行…"
        ch = doc.t[i]
        depth += ch in "([【〔{"
        if ch in ")]】〕}":
            if depth == 0:
                end = i
                break
            depth -= 1
    token = _balanced(doc.t[pos:end])
    alnum = re.findall(r"[A-Za-z0-9]", token)
    if len(alnum) < 4 or len(token) < 5:
        return None
    cjk = re.findall(r"[\u4e00-\u9fff]", token)
    if strict and cjk and len(cjk) > len(alnum):
        return None
    if re.fullmatch(r"\d{4}(?:年|-\d{1,2}-\d{1,2}).*", token) or re.search(r"\d{4}年\d{1,2}月", token):
        return None
    return token, pos, pos + len(token)


def project_no(doc: Doc, bag: Bag) -> None:
    for labels, confidence, rule in ((lexicon.PROJECT_NO, 0.9, "label"), (lexicon.PROJECT_NO_WEAK, 0.7, "weak label")):
        for hit in doc.hits(labels):
            if _NOT_OURS_BEFORE.search(doc.t, max(0, hit.start - 6), hit.start):
                continue
            if hit.sep == "newline" and not hit.line_start:
                continue
            found = _project_no_at(doc, hit.value_start, strict=hit.sep in ("", "space"))
            if found:
                bag.add("project_no", found[0], found[1], found[2], hit.start, confidence, rule)
    # A bare 编号 opening one of the first lines ("编号：A33032704800...") is the notice's number.
    head_end = min(doc.n, 600)
    for hit in doc.hits(["编号"], end=head_end):
        if hit.line_start and not hit.marker and hit.sep == ":":
            found = _project_no_at(doc, hit.value_start, strict=True)
            if found:
                bag.add("project_no", found[0], found[1], found[2], hit.start, 0.6, "bare label")
    _unlabelled_project_no(doc, bag)
    # The same number quoted again elsewhere (file names, headers) supports it.
    for cand in bag.of("project_no"):
        if doc.t.count(cand.value) >= 2:
            cand.confidence = min(0.95, cand.confidence + 0.1)


def _numberlike(token: str) -> bool:
    """A project number, not a year, a date, a phone number or a word: digits with letters or dashes."""
    digits = re.findall(r"\d", token)
    return (len(digits) >= 3 and bool(re.search(r"[A-Za-z]|\d[-_/.]\w", token))
            and not re.fullmatch(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}.*|[\d\-]{7,13}|\d+(?:\.\d+)?", token)
            and not re.fullmatch(r"(?:https?|www)\S*|\S+\.(?:com|cn|net|gov)\S*", token, re.I))


def _unlabelled_project_no(doc: Doc, bag: Bag) -> None:
    """A number printed next to the title without a label: alone on one of the first lines (in brackets or not),
    or in brackets at the end of the title before the notice words ("X项目（ZJ-2024-118）磋商公告")."""
    lines = [(m.start(), m.group(0)) for m in re.finditer(r"[^\n]+", doc.t[:min(doc.n, 400)])][:4]
    for start, line in lines:
        m = _UNLABELLED_NO.fullmatch(line)
        if m and _numberlike(m.group("no")):
            bag.add("project_no", _balanced(m.group("no")), start + m.start("no"),
                    start + m.start("no") + len(_balanced(m.group("no"))), start, 0.7, "beside the title")
            return
    if lines:
        start, title = lines[0]
        m = re.search(rf"\((?P<no>{NUMBER_SHAPE})\)[ ]*{_NOTICE_WORDS}?[ ]*$", title)
        if m and _numberlike(m.group("no")):
            bag.add("project_no", m.group("no"), start + m.start("no"), start + m.end("no"), start, 0.7,
                    "beside the title")


# --- project name -----------------------------------------------------------------------------------------

# A project number as notices print it without a label: letters, digits and dashes, at least one digit run.
NUMBER_SHAPE = r"[A-Za-z0-9][A-Za-z0-9\-_/.#]{4,40}"
_UNLABELLED_NO = re.compile(rf"[ ]*(?:\(|\[|【)?[ ]*(?P<no>{NUMBER_SHAPE})[ ]*(?:\)|\]|】)?[ ]*$")


def _clean_name(text: str) -> str:
    text = re.sub(r"\((?:项目|招标|采购|招标项目)?编号[^)]*\)?$", "", text.strip())
    m = re.search(rf"[ ]*\((?P<no>{NUMBER_SHAPE})\)$", text)
    if m and _numberlike(m.group("no")):
        text = text[:m.start()]
    text = re.sub(rf"{_NOTICE_WORDS}$", "", text)
    text = text.strip(" ,，。;；:-—_\"'")
    text = re.sub(r"^(?:关于|本次|本)", "", text).strip()
    if text.endswith("的"):
        text = text[:-1]
    return text


def _name_ok(name: str) -> bool:
    return 4 <= len(name) <= 120 and len(re.findall(r"[\u4e00-\u9fff]", name)) >= 3 and not _GENERIC_NAME.match(
        name) and not re.match(r"(?:该|上述|此|本|以下|详见|见|其他|供应商|投标人)", name)


_SENTENCE_JUNK = re.compile(r"^(?:划分|采用|采取|属于|位于|已|为|在|是|由|需|须|应|将|不|执行|面向|实行|提供|出具|"
                            r"接受|允许|要求|共|分|按|"
                            r"设|涉及|包括|建设地点|所属|只|的|及|和|与|如|若|对|向|从|经|现|拟|计划|预计|投资|资金|概况|内容)")


def _add_name(doc: Doc, bag: Bag, start: int, end: int, ctx: int, confidence: float, rule: str, scope="project"):
    raw = doc.t[start:end]
    name = _clean_name(raw)
    if not _name_ok(name):
        return
    if rule not in ("label", "title") and (_SENTENCE_JUNK.match(name) or "的" in name):
        return
    offset = doc.t.find(name, start, end + 1)
    offset = start if offset < 0 else offset
    bag.add("project_name", name, offset, offset + len(name), ctx, confidence, rule, scope=scope)


def project_name(doc: Doc, bag: Bag) -> None:
    for labels, confidence, scope in ((lexicon.PROJECT_NAME, 0.9, "project"), (lexicon.PROJECT_NAME_WEAK, 0.65,
                                                                               "package")):
        for hit in doc.hits(labels):
            if hit.sep == "newline" and not hit.line_start:
                continue
            if hit.sep in ("", "space") and not hit.line_start and hit.sep != "":
                continue
            start = hit.value_start
            while start < doc.n and doc.t[start] in " \t":
                start += 1
            end = min(doc.line_end(start), start + 150)
            stop = re.compile(r"[;；。]|[ ]{2,}|\((?:项目|招标|采购)?编号").search(doc.t, start, end)
            end = doc.stop_at(start, stop.start() if stop else end, min_len=4)
            _add_name(doc, bag, start, end, hit.start, confidence - (0.1 if hit.sep == "" else 0), "label",
                      scope)
    t = doc.t
    name, number = r"(?P<name>[^,，。;；\n]{4,100}?)", r"[ ]*(?:\([^)\n]*编号[^)\n]*\))?[ ]*"
    methods = r"(?:公开|邀请|竞争性|询价|单一来源|招标|采购|磋商|谈判|比选)"
    # 本招标项目X已由……批准 / 本招标项目X，施工图设计已由…… / X已经……批准建设 (the 招标条件 paragraph)
    for m in re.finditer(rf"(?:本招标项目|本次招标项目)[ ]*{name}{number}(?:已由|已经|已列入|,|，)", t):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start(), 0.85, "招标条件")
    for m in re.finditer(rf"(?:^|\n)[ \t]*(?:本[ ]*(?:次)?(?:招标)?(?:项目)?[ ]*)?{name}{number}"
                         r"(?:已由|已经)[^。\n]{0,80}?(?:批准|核准|备案)", t):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start("name"), 0.8, "招标条件")
    # 对X（项目编号：…）进行公开招标 / 竞争性磋商
    for m in re.finditer(rf"对[ ]*{name}{number}(?:在[^,，。\n]{{1,20}})?进行[ ]*(?:国内|国际)?[ ]*{methods}", t):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start(), 0.8, "对…进行")
    # 就X进行公开招标 / 就X项目（项目编号：…）组织采购 (the award template appends 项目 to the name)
    for m in re.finditer(rf"就[ ]*{name}{number}进行[ ]*(?:国内|国际)?{methods}", t):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start(), 0.8, "就…进行")
    for m in re.finditer(rf"就[ ]*{name}项目[ ]*\((?:项目|招标|采购)?编号[^)\n]*\)[ ]*组织", t):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start(), 0.7, "就…组织采购")
    # The title: the first line, up to the notice words.
    first = t[: min(doc.n, 220)]
    m = re.match(rf"[ \n]*(?P<name>[^\n]{{4,150}}?){_NOTICE_WORDS}", first)
    if m and "\n" not in t[: m.start("name")].strip("\n "):
        _add_name(doc, bag, m.start("name"), m.end("name"), m.start("name"), 0.6, "title")


# --- tenderer and agency ----------------------------------------------------------------------------------

_OPENING_QUOTES = "“\"'‘「『"
_INFO_NAME = re.compile(r"名[ ]{0,8}称[ ]{0,3}:[ ]*")


def _org_at(doc: Doc, pos: int, limit: int | None = None) -> tuple[str, int, int] | None:
    """An organisation's name at `pos`, also when the notice prints it in quotation marks (名称：“X公司”)."""
    while pos < doc.n and doc.t[pos] in " \t":
        pos += 1
    if pos < doc.n and doc.t[pos] in _OPENING_QUOTES:
        found = doc.org_at(pos + 1, limit)
        if found:
            name, start, end = found
            trimmed = name.rstrip("”\"'’」』")
            return trimmed, start, start + len(trimmed)
        return None
    return doc.org_at(pos, limit)


def _only_a_suffix(name: str) -> bool:
    """"有限公司" alone is what is left of a name whose beginning held a label ("浙江求是招标代理有限公司")."""
    return bool(re.fullmatch(rf"{lexicon.ORG_SUFFIX}+", name))

def _org_from_hit(doc: Doc, hit, bag: Bag, field_name: str, confidence: float) -> None:
    if hit.sep == "newline" and not hit.line_start:
        return
    if hit.sep in ("", "space") and len(hit.label) < 4 and not (hit.line_start and hit.sep == "space"):
        return
    found = _org_at(doc, hit.value_start)
    if not found or _only_a_suffix(found[0]):
        return
    name, start, end = found
    if not doc.is_org(name):
        if hit.sep in ("", "space"):
            return
        confidence -= 0.3
    if hit.sep == "":
        confidence -= 0.1
    bag.add(field_name, name, start, end, hit.start, confidence, "label")


def parties(doc: Doc, bag: Bag) -> None:
    t = doc.t
    for hit in doc.hits(lexicon.TENDERER):
        if re.search(r"(?:代理|投标|中标|成交)[ ]*$", t[max(0, hit.start - 3):hit.start]):
            continue
        _org_from_hit(doc, hit, bag, "tenderer", 0.9 if len(hit.label) > 2 or hit.sep == ":" else 0.75)
    for hit in doc.hits(lexicon.AGENCY):
        _org_from_hit(doc, hit, bag, "agency", 0.9)
    # "1.采购人信息 / 名 称：X" and "2.采购代理机构信息 / 名 称：Y"
    for hit in _INFO_NAME.finditer(t):  # "名    称：" (tables pad the label with spaces)
        before = t[max(0, hit.start() - 30):hit.start()]
        field_name = ("agency" if re.search(r"代理机构(?:信息|情况)", before) else
                      "tenderer" if re.search(r"(?:采购人|采购单位|招标人|建设单位)(?:信息|情况)", before) else "")
        if field_name:
            found = _org_at(doc, hit.end())
            if found and doc.is_org(found[0]):
                bag.add(field_name, found[0], found[1], found[2], hit.start(), 0.9, "信息块")
    # X受Y（的）委托: Y is the tenderer, X the agency.
    org = r"[^,，。;；:\n]{3,60}?"
    sentence_start = r"(?:(?<=[\n。;；])|^)[ \t]*"
    for m in re.finditer(rf"{sentence_start}(?P<agency>{org})?[ ]*受[ ]*(?P<tenderer>{org})[ ]*(?:的)?委托", t):
        for field_name in ("tenderer", "agency"):
            if m.group(field_name):
                found = _org_at(doc, m.start(field_name), m.end(field_name))
                if found and doc.is_org(found[0]) and found[2] >= m.end(field_name) - 1:
                    bag.add(field_name, found[0], found[1], found[2], m.start(), 0.8, "受…委托")
    # 受X委托，Y就…进行 / X委托Y，对…进行 / 现委托Y对该项目…
    for m in re.finditer(rf"受[ ]*{org}[ ]*(?:的)?委托[ ]*[,，][ ]*(?P<org>{org})[ ]*(?:现)?(?:就|对|拟|将)", t):
        found = _org_at(doc, m.start("org"), m.end("org"))
        if found and doc.is_org(found[0]):
            bag.add("agency", found[0], found[1], found[2], m.start(), 0.75, "受…委托，Y就")
    for m in re.finditer(rf"(?:(?<=[\n。;；])|^)[ \t]*(?P<tenderer>[^,，。;；:\n受]{{3,60}}?)?[ ]*(?:现|已)?委托[ ]*"
                         rf"(?P<org>{org})[ ]*[,，]?[ ]*(?:对|为本|为该|进行|组织|承办|代理|就)", t):
        found = _org_at(doc, m.start("org"), m.end("org"))
        if found and doc.is_org(found[0]):
            bag.add("agency", found[0], found[1], found[2], m.start(), 0.75, "委托")
        if m.group("tenderer"):
            found = _org_at(doc, m.start("tenderer"), m.end("tenderer"))
            if found and doc.is_org(found[0]) and found[2] >= m.end("tenderer") - 1:
                bag.add("tenderer", found[0], found[1], found[2], m.start(), 0.75, "X委托")
    _signature(doc, bag)


def _signature(doc: Doc, bag: Bag) -> None:
    """The names signed under a notice: a line that is only an agency-like name (咨询/招标/代理...)."""
    tail_start = max(0, doc.n - 600)
    tenderers = {c.value for c in bag.of("tenderer")}
    for m in re.finditer(r"(?:^|\n)[ \t]*([^\n]{4,60}?)[ \t]*(?=\n|$)", doc.t[tail_start:]):
        name = m.group(1).strip()
        start = tail_start + m.start(1)
        if name in tenderers or not doc.is_org(name) or re.search(r"[:：,，。;；()\d\s]", name) or \
                STOP_RE.match(name):
            continue
        if any(word in name for word in lexicon.AGENCY_WORDS):
            bag.add("agency", name, start, start + len(name), start, 0.6, "signature")
