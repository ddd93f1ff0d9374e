"""The text of one tender file, read in a child process under resource limits (issue 21, decompression bombs).

`python -m opsmon.bids.intake.limited NAME MAX_BYTES MAX_PAGES MAX_MEMORY MAX_SECONDS` reads the file's bytes on
stdin and writes one JSON object on stdout: {"text": ...} or {"error": code, "detail": ...}. Before reading it
caps its own address space (RLIMIT_AS) and CPU time (RLIMIT_CPU), so a PDF whose streams inflate to gigabytes or a
document that takes minutes to lay out ends this process, not the web worker; the parent
(`opsmon.bids.extraction`) also stops it after MAX_SECONDS of wall time. A PDF with more than MAX_PAGES pages is
refused before any page is read. Pure Python, no Django, like the rest of the package.
"""

import json
import resource
import sys

import pypdfium2 as pdfium

from .text import UnreadableFile, file_text


def limit(max_memory: int, max_seconds: int) -> None:
    """Cap this process: address space in bytes, CPU seconds (the kernel ends it with SIGXCPU/SIGKILL)."""
    if max_memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (max_memory, max_memory))
    if max_seconds > 0:
        resource.setrlimit(resource.RLIMIT_CPU, (max_seconds, max_seconds + 1))


def page_count(data: bytes) -> int | None:
    """The number of pages of a PDF (read from its page tree, no page is laid out), None when not a PDF."""
    if b"%PDF-" not in data[:1024]:
        return None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return None  # file_text reports it with its own code (damaged, encrypted)
    try:
        return len(pdf)
    finally:
        pdf.close()


def read(data: bytes, name: str, *, max_bytes: int, max_pages: int) -> dict:
    try:
        pages = page_count(data)
        if pages is not None and max_pages > 0 and pages > max_pages:
            return {"error": "too_many_pages", "detail": f"The PDF has {pages} pages, more than {max_pages}."}
        return {"text": file_text(data, name, max_bytes=max_bytes)}
    except UnreadableFile as exc:
        return {"error": exc.code, "detail": exc.detail}
    except MemoryError:
        return {"error": "too_much_memory", "detail": "Reading the file needs more memory than allowed."}


def main(argv: list[str]) -> int:
    name, max_bytes, max_pages, max_memory, max_seconds = argv[0], *(int(a) for a in argv[1:5])
    data = sys.stdin.buffer.read(max_bytes + 1)
    limit(max_memory, max_seconds)
    answer = read(data, name, max_bytes=max_bytes, max_pages=max_pages)
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
