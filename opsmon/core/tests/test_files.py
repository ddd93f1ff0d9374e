"""The upload helper, fed real files built here: good ones are kept, hostile ones refused."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook

from opsmon.core.errors import Invalid, TooLarge
from opsmon.core.files import file_response, safe_name, store_upload
from opsmon.core.models import StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    doc = Document()
    doc.add_paragraph("招标文件")
    doc.save(buf)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "商机"
    wb.save(buf)
    return buf.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(("name", "content", "kind"), [
    ("标书.pdf", PDF, "pdf"),
    ("scan.png", PNG, "png"),
    ("photo.JPG", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "jpg"),
    ("招标文件.docx", None, "docx"),
    ("报价.xlsx", None, "xlsx"),
])
def test_accepted_files_are_stored_with_size_and_checksum(org, name, content, kind):
    content = content or (docx_bytes() if kind == "docx" else xlsx_bytes())
    stored = store_upload(upload(name, content), actor=org["rep1"])
    assert stored.kind == kind
    assert stored.size == len(content)
    import hashlib
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.original_name == name
    on_disk = Path(stored.file.path)
    assert on_disk.read_bytes() == content
    assert name not in on_disk.name  # stored under a random name


def test_forged_extension_is_refused(org):
    with pytest.raises(Invalid) as err:
        store_upload(upload("invoice.pdf", PNG), actor=org["rep1"])
    assert err.value.fields["file"]
    with pytest.raises(Invalid):
        store_upload(upload("table.xlsx", docx_bytes()), actor=org["rep1"])
    assert StoredFile.objects.count() == 0


def test_unknown_content_is_refused_whatever_its_name(org):
    for name, content in [("run.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 50),
                          ("page.pdf", b"<svg onload=alert(1)>"), ("a.exe", b"MZ\x90\x00")]:
        with pytest.raises(Invalid):
            store_upload(upload(name, content), actor=org["rep1"])
    assert StoredFile.objects.count() == 0


def test_oversize_is_413_and_empty_is_422(org):
    with pytest.raises(TooLarge):
        store_upload(upload("big.pdf", PDF + b"0" * 2048), actor=org["rep1"], max_bytes=1024)
    with pytest.raises(Invalid):
        store_upload(upload("empty.pdf", b""), actor=org["rep1"])
    assert StoredFile.objects.count() == 0


def test_zip_bomb_is_refused(org):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * (20 * 1024 * 1024))
    with pytest.raises(Invalid) as err:
        store_upload(upload("bomb.zip", buf.getvalue()), actor=org["rep1"])
    assert err.value.code == "zip_bomb"


def test_type_outside_the_callers_list_is_refused(org):
    with pytest.raises(Invalid):
        store_upload(upload("a.png", PNG), actor=org["rep1"], allowed=frozenset({"pdf"}))


@pytest.mark.parametrize(("given", "kept"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\win.ini.pdf", "win.ini.pdf"),
    ("evil\x00name\r\n.pdf", "evilname.pdf"),
    ("   ", "file"),
    (".hidden.pdf", "hidden.pdf"),
])
def test_names_lose_directories_and_control_characters(given, kept):
    assert safe_name(given) == kept


def test_long_names_keep_their_extension():
    name = safe_name("长" * 300 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")


def test_download_is_an_attachment_with_nosniff_and_inline_only_for_previewable(org):
    pdf = store_upload(upload("合同.pdf", PDF), actor=org["rep1"])
    response = file_response(pdf)
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    assert file_response(pdf, inline=True)["Content-Disposition"].startswith("inline")
    sheet = store_upload(upload("a.xlsx", xlsx_bytes()), actor=org["rep1"])
    assert file_response(sheet, inline=True)["Content-Disposition"].startswith("attachment")
