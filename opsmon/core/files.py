"""The upload helper: size limit, type by content (never by name), safe names, guarded download.

The files live in the default storage: local disk, or S3-compatible object storage when STORAGE_URL is set (issue
19). A storage that cannot be reached is a 503 `storage_unavailable`: an upload keeps nothing (no row, and the
stored object is removed again if the row could not be written), a download starts only once the file answers.
"""

import contextlib
import hashlib
import logging
import os
import re
import unicodedata
import uuid
import zipfile

from django.conf import settings
from django.core.files.base import File
from django.http import FileResponse
from django.utils.translation import gettext as _

from .errors import ApplicationError, Invalid, TooLarge, Unavailable
from .models import StoredFile

# kind -> (content type, extensions a user may give it)
KINDS = {
    "pdf": ("application/pdf", {"pdf"}),
    "doc": ("application/msword", {"doc"}),
    "xls": ("application/vnd.ms-excel", {"xls"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "zip": ("application/zip", {"zip"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
}
DOCUMENT_KINDS = frozenset(KINDS)
PREVIEWABLE = frozenset({"pdf", "jpg", "png"})

log = logging.getLogger("opsmon.files")


def storage_unavailable(exc: Exception, doing: str) -> Unavailable:
    log.error("document storage unavailable while %s: %s: %s", doing, type(exc).__name__, exc)
    return Unavailable(_("Document storage cannot be reached; nothing was saved. Try again in a few minutes.")
                       if doing == "saving" else
                       _("Document storage cannot be reached; the file cannot be opened now. Try again in a few "
                         "minutes."), code="storage_unavailable")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A zip (also .docx and .xlsx) whose content expands past settings.EXPAND_MAX_BYTES (env EXPAND_MAX_BYTES, 200 MB by
# default), or past this ratio, or holds more entries, is treated as a bomb (issue 21). The sizes are those the
# archive declares; Python's zipfile never inflates an entry beyond its declared size, so they bound the reading too.
ZIP_MAX_RATIO = 200
ZIP_MAX_ENTRIES = 10_000


def zip_refusal(infos) -> Invalid | None:
    """Why an archive with these entries is unsafe to unpack (too many entries, too large, too compressed)."""
    if len(infos) > ZIP_MAX_ENTRIES:
        return Invalid(_("The archive holds too many entries."), code="zip_bomb",
                       fields={"file": _("too many entries")})
    expanded = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if expanded > settings.EXPAND_MAX_BYTES or expanded / packed > ZIP_MAX_RATIO:
        limit = settings.EXPAND_MAX_BYTES // (1024 * 1024)
        return Invalid(_("The archive expands to an unsafe size (more than %(n)s MB, or %(ratio)s times its own "
                         "size).") % {"n": limit, "ratio": ZIP_MAX_RATIO}, code="zip_bomb",
                       fields={"file": _("the archive expands to an unsafe size")})
    return None


def safe_name(name: str) -> str:
    """A display name without directories, control characters or odd Unicode forms."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:200]
    return name or "file"


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().lstrip(".")


def _zip_kind(fileobj) -> str:
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            refusal = zip_refusal(infos)
            if refusal:
                raise refusal
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise Invalid(_("The file is damaged."), code="bad_file", fields={"file": _("damaged archive")}) from exc
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    return "zip"


def sniff(fileobj, name: str) -> str:
    """The kind of file by its bytes; an OLE2 file (doc/xls) takes its kind from the extension."""
    fileobj.seek(0)
    head = fileobj.read(16)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        kind = _zip_kind(fileobj)
        fileobj.seek(0)
        return kind
    if head.startswith(_OLE2):
        return {"doc": "doc", "xls": "xls"}.get(_extension(name), "ole")
    return "unknown"


def store_upload(upload, *, actor, allowed: frozenset[str] = DOCUMENT_KINDS,
                 max_bytes: int | None = None) -> StoredFile:
    """Check and keep an uploaded file; raise TooLarge (413) or Invalid (422) and keep nothing otherwise."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > max_bytes:
        raise TooLarge(_("The file is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)},
                       fields={"file": _("too large")})
    if upload.size == 0:
        raise Invalid(_("The file is empty."), code="empty_file", fields={"file": _("empty file")})
    name = safe_name(upload.name)
    kind = sniff(upload, name)
    if kind not in allowed:
        raise Invalid(_("This type of file is not accepted."), code="file_type",
                      fields={"file": _("type not accepted")})
    if _extension(name) not in KINDS[kind][1]:
        raise Invalid(_("The file name's extension does not match its content."), code="file_type",
                      fields={"file": _("extension does not match the content")})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored = StoredFile(
        original_name=name, kind=kind, content_type=KINDS[kind][0], size=upload.size,
        sha256=digest.hexdigest(), uploaded_by=actor,
    )
    try:
        stored.file.save(f"{uuid.uuid4().hex}.{kind}", File(upload), save=False)
    except ApplicationError:
        raise
    except Exception as exc:  # disk full, object storage away, credentials refused: whatever the backend raises
        raise storage_unavailable(exc, "saving") from exc
    try:
        stored.save()
    except BaseException:
        with contextlib.suppress(Exception):  # no object without its row
            stored.file.storage.delete(stored.file.name)
        raise
    return stored


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """Stream a stored file; callers check permission first. Only PDFs and images open inline."""
    inline = inline and stored.kind in PREVIEWABLE
    try:
        handle = stored.file.open("rb")
        response = FileResponse(handle, as_attachment=not inline, filename=stored.original_name,
                                content_type=stored.content_type)
    except FileNotFoundError:
        raise  # the storage answered: the file is missing, which is a bug or a lost disk, not an outage
    except Exception as exc:
        raise storage_unavailable(exc, "reading") from exc
    response["X-Content-Type-Options"] = "nosniff"
    if stored.kind != "pdf":  # a sandbox would stop Chromium's own PDF viewer
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
