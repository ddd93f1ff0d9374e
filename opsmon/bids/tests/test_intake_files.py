"""Reading tender files: text PDF, .docx, .html, .txt in GB18030; and every kind of bad input refused with a clear
reason, never executed, never crashing. The command line (`opsmon extract-tender`) on the same files."""

import io
import json
import subprocess
import sys
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from opsmon.bids.intake import UnreadableFile, extract_file, file_text

from .test_intake_samples import OPEN_TENDER, WORKS_TENDER, docx_bytes, pdf_bytes, scanned_pdf_bytes

ROOT = Path(__file__).resolve().parents[3]


def refused(data: bytes, name: str, **kwargs) -> str:
    with pytest.raises(UnreadableFile) as caught:
        extract_file(data, name, **kwargs)
    return caught.value.code


# --- the formats ---------------------------------------------------------------------------------------

def test_a_text_pdf_is_read_even_where_lines_wrap_inside_a_value():
    result = extract_file(pdf_bytes(OPEN_TENDER, width=300), "招标公告.pdf")
    assert result.value("project_no") == "ZB-2024-0517"
    assert result.value("budget") == Decimal("3500000")
    assert result.value("tenderer") == "某某大学"


def test_a_docx_is_read_with_its_tables():
    from docx import Document

    document = Document()
    document.add_paragraph("某某工程施工招标公告")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "招标人", "某某市交通投资集团有限公司"
    table.cell(1, 0).text, table.cell(1, 1).text = "投标截止时间", "2024年3月5日9:30"
    out = io.BytesIO()
    document.save(out)
    result = extract_file(out.getvalue(), "公告.docx")
    assert result.value("tenderer") == "某某市交通投资集团有限公司"
    assert result.value("submission_deadline").isoformat() == "2024-03-05T09:30:00+08:00"
    assert extract_file(docx_bytes(WORKS_TENDER), "x.docx").value("bid_bond") == Decimal("200000")


def test_html_shows_only_what_a_browser_shows():
    html = ("<html><head><title>某项目招标公告</title><script>document.write('项目编号：FAKE-0001')</script>"
            "<style>.x{}</style></head><body><div style='display:none'>预算金额：999万元</div>"
            "<table><tr><td>项目编号：</td><td>HB&#45;2024&#45;001</td></tr>"
            "<tr><td>预算金额：</td><td>120&nbsp;万元</td></tr></table><p>采购人：某某市档案馆</p></body></html>")
    text = file_text(html.encode("utf-8"), "notice.html")
    assert "FAKE" not in text and "999" not in text
    result = extract_file(html.encode("utf-8"), "notice.html")
    assert result.value("project_no") == "HB-2024-001"
    assert result.value("budget") == Decimal("1200000")
    assert result.value("tenderer") == "某某市档案馆"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_text_files_in_the_encodings_chinese_sites_use(encoding):
    result = extract_file(WORKS_TENDER.encode(encoding), "公告.txt")
    assert result.value("tenderer") == "某市城市建设投资集团有限公司"


# --- bad input -----------------------------------------------------------------------------------------

def test_empty_files_are_refused():
    assert refused(b"", "empty.pdf") == "empty"
    assert refused(b"   \n\n", "blank.txt") == "empty"


def test_binary_garbage_named_pdf_is_refused_as_damaged():
    assert refused(bytes(range(256)) * 40, "招标文件.pdf") == "damaged"
    assert refused(b"%PDF-1.7\n" + bytes(range(256)) * 40, "truncated.pdf") == "damaged"


def test_a_password_protected_pdf_is_refused_with_that_reason():
    assert refused(pdf_bytes(OPEN_TENDER, encrypt="secret"), "加密.pdf") == "encrypted"


def test_a_scanned_pdf_gets_the_no_text_layer_message():
    with pytest.raises(UnreadableFile) as caught:
        extract_file(scanned_pdf_bytes(), "扫描件.pdf")
    assert caught.value.code == "scanned" and "OCR" in caught.value.detail


def test_a_file_over_the_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.pdf"
    with big.open("wb") as handle:  # a sparse 300 MB file: no disk used, no time spent
        handle.truncate(300 * 1024 * 1024)
    assert refused(big, "huge.pdf") == "too_large"
    assert refused(b"x" * 2048, "a.txt", max_bytes=1024) == "too_large"


def test_old_word_and_images_are_refused_with_a_reason():
    assert refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "公告.doc") == "legacy_word"
    assert refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "公告.png") == "unsupported"


def _docx_with(document_xml: bytes) -> bytes:
    good = zipfile.ZipFile(io.BytesIO(docx_bytes("x")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in good.infolist():
            archive.writestr(info, document_xml if info.filename == "word/document.xml" else good.read(info))
    return out.getvalue()


def test_a_docx_never_resolves_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-9999", encoding="utf-8")
    xxe = (f'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
           '<w:t>项目编号：&x;</w:t></w:r></w:p></w:body></w:document>').encode()
    with pytest.raises(UnreadableFile) as caught:
        file_text(_docx_with(xxe), "evil.docx")
    assert caught.value.code == "damaged" and "TOP-SECRET" not in str(caught.value)
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
              b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    assert refused(_docx_with(laughs), "bomb.docx") == "damaged"


def test_a_zip_bomb_named_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<a>" + b" " * (210 * 1024 * 1024) + b"</a>")
    assert refused(out.getvalue(), "bomb.docx") == "damaged"


def test_a_zip_that_is_no_word_document_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(out.getvalue(), "files.docx") == "unsupported"


# --- the command line ----------------------------------------------------------------------------------

def test_cli_prints_json_with_yuan_as_strings_and_times_in_beijing_time(tmp_path, capsys):
    notice = tmp_path / "公告.docx"
    notice.write_bytes(docx_bytes(WORKS_TENDER))
    call_command("extract-tender", str(notice))
    out = json.loads(capsys.readouterr().out)
    assert out["kind"] == "tender"
    assert out["fields"]["ceiling_price"]["value"] == "12567800.00"
    assert out["fields"]["submission_deadline"]["value"] == "2023-09-12T09:30:00+08:00"
    assert out["fields"]["method"]["value"] == "open_tender" and out["fields"]["method"]["text"] == "公开招标"
    snippet = out["fields"]["bid_bond"]
    assert snippet["snippet"][snippet["start"]:snippet["end"]] == "人民币贰拾万元整"


def test_cli_reads_several_files_and_fails_for_the_unreadable_one(tmp_path, capsys):
    good, bad = tmp_path / "a.txt", tmp_path / "b.pdf"
    good.write_text(OPEN_TENDER, encoding="gb18030")
    bad.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(CommandError):
        call_command("extract-tender", str(good), str(bad), "--compact")
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out[0]["fields"]["project_no"]["value"] == "ZB-2024-0517"
    assert out[1]["error"]["code"] == "damaged" and "b.pdf" in captured.err


def test_cli_exits_non_zero_with_a_message_for_a_300_mb_file(tmp_path):
    big = tmp_path / "招标文件.pdf"
    with big.open("wb") as handle:
        handle.truncate(300 * 1024 * 1024)
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), "extract-tender", str(big)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "larger than 50 MB" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout.strip() == ""
