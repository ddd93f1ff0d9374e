"""Tender intake (招标公告识读): read a tender notice and propose the tender-analysis fields with their evidence.

Pure Python, no Django: `extract(text)` and `extract_file(bytes_or_path, name)` answer `Proposals`; a file that
cannot be read raises `UnreadableFile` with a stable `code`.
"""

from .extract import THRESHOLD, extract, extract_file  # noqa: F401
from .lexicon import method_code, scoring_code  # noqa: F401
from .result import FIELDS, Alternative, Lot, Proposal, Proposals  # noqa: F401
from .text import MAX_BYTES, UnreadableFile, file_text  # noqa: F401
