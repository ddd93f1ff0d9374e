"""Times the opportunity Excel import and export against openpyxl alone on the same files.

    .venv/bin/python bench/import_export.py [--rows 10000 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/import_export.py

Without DATABASE_URL it uses a fresh SQLite file in a temporary folder (migrated, demo users loaded).
The target (a later benchmark): import and export each take at most 2x openpyxl alone reading/writing the file.
Not part of the test suite.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
_tmp = tempfile.mkdtemp(prefix="opsmon-bench-")
os.environ.setdefault("OPSMON_VAR_DIR", _tmp)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opsmon.settings.development")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from opsmon.accounts import demo  # noqa: E402
from opsmon.accounts.models import User  # noqa: E402
from opsmon.opportunities import excel  # noqa: E402
from opsmon.opportunities.excel.columns import IMPORT_COLUMNS  # noqa: E402
from opsmon.opportunities.selectors import OpportunityFilters  # noqa: E402

STAGES = ["discovery", "qualified", "proposal", "negotiation", "commit"]
REGIONS = ["110000", "310000", "440000", "510000"]


def import_file(rows: int) -> bytes:
    """An import file like a user's: Chinese headers, labels and codes mixed, 1 customer per 20 rows."""
    close = timezone.localdate() + timedelta(days=120)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商机")
    ws.append([c.zh for c in IMPORT_COLUMNS])
    for i in range(rows):
        ws.append([f"智能运维平台建设项目{i}", f"基准测试客户{i // 20}有限公司", None, "国有企业", 10000 + i * 3.25,
                   "CNY", close, "招标公告", "energy", REGIONS[i % 4], STAGES[i % 5], "基准测试导入"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def openpyxl_read(content: bytes) -> list[tuple]:
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    wb.close()
    return rows


def openpyxl_write(rows: list[tuple]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("商机")
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    demo.load()
    print(f"database: {django.db.connection.vendor}")
    print(f"{'rows':>8} | {'openpyxl read':>13} | {'import':>8} | {'ratio':>5} || "
          f"{'openpyxl write':>14} | {'export':>8} | {'ratio':>5}")
    for n, username in zip(args.rows, ["rep1", "rep1b", "rep2", "head1"], strict=False):
        actor = User.objects.select_related("department").get(username=username)
        content = import_file(n)
        read_s, _ = timed(lambda content=content: openpyxl_read(content))
        import_s, result = timed(lambda content=content, actor=actor: excel.import_opportunities(
            actor=actor, fileobj=io.BytesIO(content)))
        assert result.created == n, result
        filters = OpportunityFilters(owner=actor.pk)
        export_s, exported = timed(lambda actor=actor, filters=filters: excel.export_xlsx(actor=actor,
                                                                                          filters=filters))
        rows = openpyxl_read(exported)
        assert len(rows) == n + 1, len(rows)
        write_s, _ = timed(lambda rows=rows: openpyxl_write(rows))
        print(f"{n:>8} | {read_s:>12.2f}s | {import_s:>7.2f}s | {import_s / read_s:>5.2f} || "
              f"{write_s:>13.2f}s | {export_s:>7.2f}s | {export_s / write_s:>5.2f}", flush=True)


if __name__ == "__main__":
    main()
