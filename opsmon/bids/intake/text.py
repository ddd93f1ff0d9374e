"""A tender file as plain text: PDF (text layer), .docx, .html and .txt, read without executing anything.

Nothing here touches the network, runs macros or resolves XML entities: .docx is read as a zip of XML with a
parser that loads no DTD and refuses a DOCTYPE; HTML goes through the standard library's tokenizer; PDF text
comes from PDFium's text layer (no JavaScript, no rendering). Every failure is an `UnreadableFile` whose `code`
says what a user should be told.
"""

import html
import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pypdfium2 as pdfium
from charset_normalizer import from_bytes
from lxml import etree

from . import lexicon

MAX_BYTES = 50 * 1024 * 1024          # the upload limit of opsmon.core.files (UPLOAD_MAX_BYTES)
MAX_TEXT_CHARS = 2_000_000            # pasted or extracted text beyond this is cut (about 1,000 pages)
DOCX_MAX_EXPANDED = 200 * 1024 * 1024  # a document.xml larger than this is treated as a zip bomb
DOCX_MAX_RATIO = 200
MIN_TEXT_PER_PAGE = 20                # fewer visible characters per page than this: a scan without text layer


class UnreadableFile(Exception):
    """A file the extractor cannot read; `code` is stable (empty, too_large, encrypted, scanned, damaged,
    unsupported, legacy_word), `detail` is an English explanation for logs and the command line."""

    def __init__(self, code: str, detail: str):
        self.code = code
        self.detail = detail
        super().__init__(detail)


# --- normalisation ------------------------------------------------------------------------------------

def _width_table() -> dict[int, str]:
    table = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}  # full-width ASCII -> ASCII
    table.update({0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x200B: " ", 0xFEFF: " ",
                  0x3002: "。", 0xFFE5: "¥", 0x91C6: "采", 0x2236: ":", 0xFE55: ":", 0x2014: "-", 0x2013: "-",
                  0x2212: "-", 0x301C: "~", 0x2215: "/", 0x3007: "〇", 0x0009: " "})
    return table


_WIDTH = _width_table()


def normalize(text: str) -> str:
    """Same length as `text`, so offsets stay valid: full-width digits, letters and punctuation become ASCII,
    odd spaces become plain spaces, and 釆 (a frequent typo) becomes 采."""
    return text.translate(_WIDTH)


def clean(text: str) -> str:
    """Line endings unified, control characters dropped, trailing spaces trimmed, at most MAX_TEXT_CHARS."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
    text = re.sub(r"[ \t\u3000]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text[:MAX_TEXT_CHARS].strip()


# --- plain text ---------------------------------------------------------------------------------------

def decode(data: bytes) -> str:
    """Bytes of a text file as str: BOMs first, then UTF-8, then GB18030 (a superset of GBK/GB2312), then
    whatever charset-normalizer finds most likely (Big5, UTF-16 without BOM, ...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[:200_000]).best()
    if best is not None:
        return data.decode(best.encoding, errors="replace")
    return data.decode("gb18030", errors="replace")


# --- HTML ---------------------------------------------------------------------------------------------

_BLOCK = frozenset({"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
                    "article", "header", "footer", "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "hr",
                    "title", "caption", "form", "fieldset", "address", "center"})
_SKIP = frozenset({"script", "style", "noscript", "template", "head", "object", "embed", "iframe", "svg", "math",
                   "select", "button"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "source", "wbr"})
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


class _TextParser(HTMLParser):
    """Visible text of an HTML page: blocks on their own lines, table cells separated by spaces."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, hides its content)
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _VOID:
            if tag == "br" and not self.hidden:
                self.parts.append("\n")
            return
        attrs = dict(attrs)
        hides = tag in _SKIP or "hidden" in attrs or bool(_HIDDEN.search(attrs.get("style") or ""))
        self.stack.append((tag, hides))
        self.hidden += hides
        if not self.hidden:
            if tag in _BLOCK:
                self.parts.append("\n")
            elif tag in ("td", "th"):
                self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        # Close up to the matching tag; stray end tags are ignored (HTML in the wild is rarely well formed).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for _tag, hides in self.stack[i:]:
                    self.hidden -= hides
                del self.stack[i:]
                break
        if not self.hidden and tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_text(markup: str) -> str:
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in text.split("\n"))


# --- .docx --------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _safe_xml(data: bytes):
    if re.search(rb"<!DOCTYPE|<!ENTITY", data[:4096], re.I):
        raise UnreadableFile("damaged", "The document declares a DTD; Word never does, so it is refused.")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise UnreadableFile("damaged", f"The document's XML is damaged: {exc}") from None


def _docx_block_text(element) -> list[str]:
    """Paragraphs and tables of a body (or cell) in document order; a table row becomes one line."""
    lines = []
    for child in element:
        tag = child.tag
        if tag == _W + "p":
            lines.append(_paragraph_text(child))
        elif tag == _W + "tbl":
            for row in child.iter(_W + "tr"):
                cells = []
                for cell in row.iter(_W + "tc"):
                    cells.append(" ".join(x for x in _docx_block_text(cell) if x))
                lines.append(" ".join(c for c in cells if c))
        elif tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                lines.extend(_docx_block_text(content))
    return lines


def _paragraph_text(p) -> str:
    out = []
    for node in p.iter(_W + "t", _W + "tab", _W + "br", _W + "cr", _W + "delText"):
        if node.tag == _W + "t":
            out.append(node.text or "")
        elif node.tag in (_W + "tab",):
            out.append(" ")
        elif node.tag in (_W + "br", _W + "cr"):
            out.append("\n")
    return "".join(out)


def docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableFile("damaged", "The .docx file is damaged (not a zip archive).") from None
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError:
            raise UnreadableFile("unsupported", "The zip archive is not a Word document.") from None
        if info.file_size > DOCX_MAX_EXPANDED or info.file_size / max(info.compress_size, 1) > DOCX_MAX_RATIO:
            raise UnreadableFile("damaged", "The document expands to an unsafe size.")
        if info.flag_bits & 0x1:
            raise UnreadableFile("encrypted", "The document is encrypted.")
        root = _safe_xml(archive.read(info))
    body = root.find(_W + "body")
    if body is None:
        return ""
    return "\n".join(_docx_block_text(body))


# --- PDF ----------------------------------------------------------------------------------------------

_MARKER_START = re.compile(r"\s*(?:[一二三四五六七八九十]+[、.．]|\d{1,2}(?:[.．]\d{1,2}){0,3}[.、．)）](?=\D)"
                           r"|\d{1,2}(?:[.．]\d{1,2}){1,3}\s|\d{1,2}\s(?=[\u4e00-\u9fff])(?![日月年时分秒点号万元个])|[（(]\S{1,3}[)）]"
                           r"|第[一二三四五六七八九十\d]+[章节条]|[①-⑳⑴-⒇])")
# "项目名称：…" opens its own line
_LABEL_LINE = re.compile(r"\s*(?:" + "|".join(" ?".join(label) for label in lexicon.STOP)
                         + r")\s*(?:[（(][^)）]{0,8}[)）])?\s*[:：]")
_ENDS_SENTENCE = re.compile(r"[。；;!！？?]\s*$")


def _join_wrapped(lines: list[str], full: list[bool]) -> list[str]:
    """Join each line the page broke only because it was full (a label's value can be cut in two) with the
    next, unless that one opens a numbered item or a "label：" line."""
    out: list[str] = []
    joining = False
    for line, is_full in zip(lines, full, strict=True):
        opens = joining and out and re.search(r"[（(【《“、,，]\s*$", out[-1])  # cut inside a sentence for sure
        if joining and out and line.strip() and (opens or not (_MARKER_START.match(line) or _LABEL_LINE.match(line))):
            out[-1] += line.strip()
        else:
            out.append(line)
        joining = is_full and not _ENDS_SENTENCE.search(line)
    return out


def _full_lines(textpage, text: str, page_width: float) -> list[bool] | None:
    """Which lines reach the right edge of the text block, from where their last character sits."""
    if textpage.count_chars() != len(text):
        return None
    lines = text.split("\r\n")
    rights, lefts, widths, index = [], [], [], 0
    for line in lines:
        stripped = len(line.rstrip())
        if stripped:
            left, _bottom, right, _top = textpage.get_charbox(index + stripped - 1)
            rights.append(right)
            widths.append(max(right - left, 1.0))
            lefts.append(textpage.get_charbox(index + len(line) - len(line.lstrip()))[0])
        else:
            rights.append(None)
        index += len(line) + 2
    known = [r for r in rights if r is not None]
    if len(known) < 2:
        return [False] * len(lines)
    edge = max(known)
    char = sorted(widths)[len(widths) // 2]
    margin = min(lefts)
    near = sum(1 for r in known if r >= edge - 2 * char)
    # A line is full when it reaches the text block's right edge: the page's right margin (as wide as the left
    # one), or, for a narrower block, the edge several lines share.
    if edge - margin < 0.8 * max(page_width - 2 * margin, 1) and near < 3:
        return [False] * len(lines)
    return [r is not None and r >= edge - 2 * char for r in rights]


def pdf_text(data: bytes) -> str:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (4, 5):  # FPDF_ERR_PASSWORD, FPDF_ERR_SECURITY
            raise UnreadableFile("encrypted", "The PDF is protected by a password.") from None
        raise UnreadableFile("damaged", "The file is not a readable PDF.") from None
    pages: list[str] = []
    visible = total = 0
    try:
        count = len(pdf)
        for index in range(count):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    text = textpage.get_text_range()
                    full = _full_lines(textpage, text, page.get_width())
                finally:
                    textpage.close()
            finally:
                page.close()
            visible += len(re.sub(r"\s", "", text))
            lines = text.split("\r\n")
            if full is None:  # characters and text disagree (rare): keep the page's own line breaks
                lines, full = text.replace("\r\n", "\n").split("\n"), None
            pages.append("\n".join(_join_wrapped(lines, full) if full else lines))
            total += len(pages[-1])
            if total > MAX_TEXT_CHARS:
                break
    except pdfium.PdfiumError:
        raise UnreadableFile("damaged", "The PDF is damaged.") from None
    finally:
        pdf.close()
    if count == 0:
        raise UnreadableFile("damaged", "The PDF has no pages.")
    if visible < MIN_TEXT_PER_PAGE * min(count, 3):
        raise UnreadableFile("scanned", "The PDF has no text layer (it is probably a scan); OCR is not supported.")
    return "\n".join(pages)


# --- dispatch -----------------------------------------------------------------------------------------

def kind_of(data: bytes, name: str) -> str:
    """pdf, docx, doc, html or txt: by content first, the name only to tell HTML from text."""
    head = data[:1024]
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    suffix = Path(name or "").suffix.lower()
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if suffix in (".html", ".htm", ".xhtml") or probe.startswith((b"<!doctype html", b"<html", b"<?xml")) \
            or re.match(rb"<(head|body|meta|div|p|table)[\s>]", probe):
        return "html"
    if suffix in (".pdf", ".docx", ".doc"):
        return "mismatch"
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "txt"


def file_text(data: bytes, name: str = "", *, max_bytes: int = MAX_BYTES) -> str:
    """The plain text of a tender file, or UnreadableFile."""
    if len(data) > max_bytes:
        raise UnreadableFile("too_large", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    if not data.strip():
        raise UnreadableFile("empty", "The file is empty.")
    kind = kind_of(data, name)
    if kind == "pdf":
        text = pdf_text(data)
    elif kind == "docx":
        text = docx_text(data)
    elif kind == "doc":
        raise UnreadableFile("legacy_word", "Old Word (.doc) files cannot be read; save it as .docx or PDF.")
    elif kind == "html":
        text = html_text(decode(data))
    elif kind == "txt":
        text = decode(data)
    elif kind == "mismatch":
        raise UnreadableFile("damaged", f"The file is not a readable {Path(name).suffix.lower()[1:].upper()}.")
    else:
        raise UnreadableFile("unsupported", "This type of file cannot be read; use PDF, .docx, .html or .txt.")
    text = clean(html.unescape(text) if kind == "txt" and "&" in text and re.search(r"&[a-z]+;", text) else text)
    if not text:
        raise UnreadableFile("empty", "The file contains no text.")
    return text
