"""`opsmon extract-tender FILE [FILE ...]`: the tender intake on the command line, JSON out, for checking in bulk.

One file prints one JSON object, several print a JSON list (one object per file, in order). A file that
cannot be read is reported on stderr (and as {"file", "error"} in a list); the exit status is then 1.
Needs no database: method and scoring_method come out as the seeded code-table codes.
"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opsmon.bids import intake

CODE_FIELDS = ("method", "scoring_method")


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
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--max-mb", type=int, default=None,
                            help="refuse larger files (default: UPLOAD_MAX_BYTES, 50 MB)")
        parser.add_argument("--compact", action="store_true", help="one line of JSON instead of indented output")

    def handle(self, *args, **options):
        max_bytes = options["max_mb"] * 1024 * 1024 if options["max_mb"] else settings.UPLOAD_MAX_BYTES
        results, failed = [], 0
        for name in options["files"]:
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
        out = results[0] if len(results) == 1 else results
        if not (len(results) == 1 and failed):
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=None if options["compact"] else 1))
        if failed:
            raise CommandError(f"{failed} of {len(results)} file(s) could not be read.", returncode=1)
