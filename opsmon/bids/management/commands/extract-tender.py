"""`opsmon extract-tender FILE|DIR [...]`: the tender intake on the command line, JSON out, for checking in bulk.

One file prints one JSON object, several print a JSON list (one object per file, in order). A directory stands
for the readable files in it (.txt, .html, .htm, .pdf, .docx; not its subdirectories), in name order. With
`--lines` every file prints one line of JSON as soon as it is read (JSON Lines), and the time per document goes
to stderr: start-up is paid once for the whole run. A file that cannot be read is reported on stderr (and as
{"file", "error"} in a list or line); the exit status is then 1. Needs no database: method and scoring_method
come out as the seeded code-table codes.
"""

import json
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opsmon.bids import intake

CODE_FIELDS = ("method", "scoring_method")
READABLE_SUFFIXES = frozenset({".txt", ".html", ".htm", ".pdf", ".docx"})


def expand(names: list[str]) -> list[str]:
    """The files to read: a directory becomes its readable files in name order; "-" and files stay as given."""
    out = []
    for name in names:
        path = Path(name)
        if name != "-" and path.is_dir():
            out.extend(str(p) for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES)
        else:
            out.append(name)
    return out


def as_json(proposals: intake.Proposals, name: str) -> dict:
    data = proposals.as_json()
    for field in CODE_FIELDS:
        proposal = data["fields"].get(field)
        if proposal is not None:
            proposal["value"] = proposal.pop("code", None) or None
            for alt in proposal["alternatives"]:
                alt["value"] = intake.method_code(alt["text"]) if field == "method" else \
                    intake.scoring_code(alt["text"])
    return {"file": name, **data}


class Command(BaseCommand):
    help = _("Read tender announcements (PDF with a text layer, .docx, .html, .txt; - for stdin) and print the "
             "proposed tender-analysis fields as JSON.")
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="a file, - for stdin, or a directory")
        parser.add_argument("--max-mb", type=int, default=None,
                            help="refuse larger files (default: UPLOAD_MAX_BYTES, 50 MB)")
        parser.add_argument("--compact", action="store_true", help="one line of JSON instead of indented output")
        parser.add_argument("--lines", action="store_true",
                            help="one line of JSON per file as it is read (JSON Lines), time per document on stderr")

    def handle(self, *args, **options):
        max_bytes = options["max_mb"] * 1024 * 1024 if options["max_mb"] else settings.UPLOAD_MAX_BYTES
        names = expand(options["files"])
        if not names:
            raise CommandError("No readable files (.txt, .html, .htm, .pdf, .docx) were given.", returncode=1)
        results, failed = [], 0
        started = time.perf_counter()
        for name in names:
            if options["lines"] and results:  # the previous file's line, out before this one is read
                self.stdout.write(json.dumps(results.pop(), ensure_ascii=False))
                self.stdout.flush()
            try:
                if name == "-":
                    data = sys.stdin.buffer.read(max_bytes + 1)
                    proposals = intake.extract_file(data, "stdin.txt", max_bytes=max_bytes)
                else:
                    path = Path(name)
                    if not path.is_file():
                        raise intake.UnreadableFile("missing", "No such file.")
                    proposals = intake.extract_file(path, max_bytes=max_bytes)
            except intake.UnreadableFile as exc:
                failed += 1
                self.stderr.write(f"{name}: {exc.detail} ({exc.code})")
                results.append({"file": name, "error": {"code": exc.code, "message": exc.detail}})
                continue
            except OSError as exc:
                failed += 1
                self.stderr.write(f"{name}: {exc.strerror or exc}")
                results.append({"file": name, "error": {"code": "os_error", "message": str(exc.strerror or exc)}})
                continue
            results.append(as_json(proposals, name))
        if options["lines"]:
            for result in results:
                self.stdout.write(json.dumps(result, ensure_ascii=False))
            elapsed = time.perf_counter() - started
            self.stderr.write(f"{len(names)} file(s) in {elapsed:.2f} s, {1000 * elapsed / len(names):.1f} ms per "
                              "document (start-up not counted).")
            if failed:
                raise CommandError(f"{failed} of {len(names)} file(s) could not be read.", returncode=1)
            return
        out = results[0] if len(results) == 1 else results
        if not (len(results) == 1 and failed):
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=None if options["compact"] else 1))
        if failed:
            raise CommandError(f"{failed} of {len(results)} file(s) could not be read.", returncode=1)
