"""Reading a tender file's text within limits (issue 21, item 4): the layer between an upload and the extractor.

A 382 KB PDF once drove a worker to 2.79 GB while its text was extracted. So the text is read in a child process
(`opsmon.bids.intake.limited`) whose address space and CPU time are capped, stopped after EXTRACT_MAX_SECONDS of
wall time, and a .docx is first checked like every archive (core.files.zip_refusal: EXPAND_MAX_BYTES, ratio,
entries). Beyond a limit the answer is 413 with a message naming it; a file that is merely unreadable keeps the
extractor's `UnreadableFile` (its codes: empty, damaged, encrypted, scanned, ...).

Settings (environment variables of the same name): EXTRACT_MAX_SECONDS (20), EXTRACT_MAX_PAGES (1000),
EXTRACT_MAX_MEMORY_BYTES (1 GB, the child's whole address space: PDFium's own code and data included),
EXPAND_MAX_BYTES (200 MB, what an archive may unpack to).
"""

import io
import json
import logging
import os
import subprocess
import sys
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from opsmon.core.errors import Invalid, TooLarge
from opsmon.core.files import zip_refusal

from .intake import UnreadableFile

log = logging.getLogger("opsmon.bids.extraction")
CHILD = "opsmon.bids.intake.limited"


def _over(message: str, code: str) -> TooLarge:
    return TooLarge(message, code=code, fields={"file": [message]})


def _check_archive(data: bytes) -> None:
    """A .docx (any zip) that would unpack past the limits is refused before it is opened."""
    if not data.startswith(b"PK\x03\x04"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            refusal = zip_refusal(archive.infolist())
    except zipfile.BadZipFile:
        return  # the extractor answers "damaged" itself
    if refusal:
        raise _over(str(refusal.message), "too_large_expanded")


def file_text(data: bytes, name: str = "", *, max_bytes: int | None = None) -> str:
    """The plain text of a tender file; TooLarge (413) beyond a limit, UnreadableFile when it cannot be read."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    if len(data) > max_bytes:
        raise UnreadableFile("too_large", f"The file is larger than {max_bytes // (1024 * 1024)} MB.")
    _check_archive(data)
    seconds = settings.EXTRACT_MAX_SECONDS
    pages = settings.EXTRACT_MAX_PAGES
    args = [sys.executable, "-m", CHILD, os.path.basename(name or "")[:200] or "file", str(max_bytes), str(pages),
            str(settings.EXTRACT_MAX_MEMORY_BYTES), str(seconds)]
    env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
           "PYTHONHASHSEED": "0", "LANG": "C.UTF-8"}
    try:
        done = subprocess.run(args, input=data, capture_output=True, timeout=seconds + 2, env=env,  # noqa: S603
                              check=False)  # our own interpreter and module; the file goes in on stdin
    except subprocess.TimeoutExpired:
        log.warning("tender extraction of %r stopped after %s s", name, seconds)
        raise _over(_("Reading this file takes longer than %(n)s seconds; it was stopped. Paste the announcement's "
                      "text instead.") % {"n": seconds}, "too_slow") from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        # killed by its limits (CPU: SIGXCPU/SIGKILL; memory: an allocation that failed outside Python)
        log.warning("tender extraction of %r ended with status %s: %s", name, done.returncode,
                    done.stderr.decode("utf-8", "replace")[-500:])
        raise _over(_("Reading this file needs more memory or time than allowed (%(mb)s MB, %(n)s seconds); it "
                      "was stopped. Paste the announcement's text instead.")
                    % {"mb": settings.EXTRACT_MAX_MEMORY_BYTES // (1024 * 1024), "n": seconds}, "too_complex") \
            from None
    error = answer.get("error")
    if error == "too_many_pages":
        raise _over(_("The PDF has more than %(n)s pages; upload the announcement's pages only.") % {"n": pages},
                    "too_many_pages")
    if error == "too_much_memory":
        raise _over(_("Reading this file needs more memory than allowed (%(mb)s MB); it was stopped. Paste the "
                      "announcement's text instead.") % {"mb": settings.EXTRACT_MAX_MEMORY_BYTES // (1024 * 1024)},
                    "too_complex")
    if error:
        raise UnreadableFile(error, answer.get("detail", ""))
    text = answer.get("text")
    if not isinstance(text, str):
        raise Invalid(_("The file could not be read."), code="unreadable_damaged")
    return text
