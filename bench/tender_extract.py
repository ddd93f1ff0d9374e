"""Tender intake speed: a 200-page text PDF through the whole extractor (PDF text layer → normalisation → every
field rule → proposals). Target (issue 9): under 5 s on the project's machine.

    .venv/bin/python bench/tender_extract.py [--pages 200] [--runs 3] [--keep FILE.pdf]

The PDF is a tender document as agencies publish them: the announcement first (a real one from
../shared/data/tenders when present), then chapters of instructions, terms and requirements filling every page
(with the data sheet repeating the announcement's facts every few chapters). It is made with
reportlab (a test dependency) in the built-in STSong-Light CID font and wrapped at the page width.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsmon.settings.development")


CLAUSES = [
    "投标人应仔细阅读招标文件的全部内容，按照招标文件的要求编制投标文件，并对所提供的全部资料的真实性承担法律责任。",
    "投标文件应按招标文件规定的格式编写，由投标人的法定代表人或其委托代理人签字并加盖单位公章，未按要求签署的投标无效。",
    "投标人对招标文件有疑问的，应在规定的时间前以书面形式要求招标人澄清，澄清内容为招标文件的组成部分。",
    "评标委员会按照招标文件规定的评标办法对投标文件进行评审，对投标报价中算术错误按规定进行修正。",
    "中标人应按照招标文件和中标人的投标文件与招标人订立书面合同，不得再行订立背离合同实质性内容的其他协议。",
    "合同价款的支付按合同条款执行，质量保证期内发现的缺陷由承包人负责修复，费用由承包人承担。",
    "供应商提供的货物应符合国家有关质量标准，并提供原厂质保及售后服务承诺，服务响应时间不超过二十四小时。",
]


def document_text(pages: int) -> str:
    """The announcement, then numbered clauses; every twentieth page the data sheet (投标人须知前附表)
    repeats the announcement's facts, as real tender documents do."""
    from opsmon.bids.tests.test_intake_samples import DATA_DIR, OPEN_TENDER

    notice = DATA_DIR / "028.txt"
    first = notice.read_text(encoding="utf-8") if notice.is_file() else OPEN_TENDER
    parts = ["第一章 招标公告", first]
    chapter, size = 2, len(first)
    while size < pages * 2200:
        parts.append(f"第{chapter}章 投标人须知及合同条款（{chapter}）")
        for i, clause in enumerate(CLAUSES * 6, start=1):
            parts.append(f"{chapter}.{i} {clause}")
            size += len(clause) + 8
        if chapter % 6 == 0:
            parts.append("投标人须知前附表\n" + first)
            size += len(first)
        chapter += 1
    return "\n".join(parts)


def make_pdf(pages: int) -> bytes:
    """Exactly `pages` pages (the text is made a little longer, then the surplus pages are dropped)."""
    import io

    import pypdfium2 as pdfium

    from opsmon.bids.tests.test_intake_samples import pdf_bytes

    pdf = pdfium.PdfDocument(pdf_bytes(document_text(pages), width=515))
    while len(pdf) > pages:
        pdf.del_page(len(pdf) - 1)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="also write the generated PDF here")
    args = parser.parse_args()

    import pypdfium2 as pdfium

    from opsmon.bids.intake import extract_file
    from opsmon.bids.intake.text import file_text

    started = time.perf_counter()
    data = make_pdf(args.pages)
    pages = len(pdfium.PdfDocument(data))
    print(f"made a {pages}-page PDF of {len(data) / 1048576:.1f} MB in {time.perf_counter() - started:.1f} s")
    if args.keep:
        args.keep.write_bytes(data)

    totals, reads = [], []
    result = None
    for _run in range(args.runs):
        t0 = time.perf_counter()
        text = file_text(data, "招标文件.pdf")
        t1 = time.perf_counter()
        result = extract_file(data, "招标文件.pdf")
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        totals.append(t2 - t1)
    print(f"text layer: {len(text):,} characters; reading it alone: median {statistics.median(reads):.2f} s")
    print(f"whole extraction (read + every rule), {args.runs} runs: median {statistics.median(totals):.2f} s, "
          f"worst {max(totals):.2f} s")
    print("proposed:", ", ".join(f"{name}={str(p.value)[:24]}" for name, p in result.fields.items()))
    verdict = max(totals) < 5
    print("target < 5 s:", "met" if verdict else "NOT met")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
