"""opsmon summaries --verify | --rebuild: check the dashboards' summary rows against the records, or rebuild them."""

import time

from django.core.management.base import BaseCommand, CommandError

from opsmon.summaries.verify import differences, rebuild

SHOWN = 20


class Command(BaseCommand):
    help = "Check the dashboard summaries against the records (--verify, exit 1 on a difference) or rebuild them."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--verify", action="store_true", help="recompute from the records and compare")
        group.add_argument("--rebuild", action="store_true", help="replace the summary rows by the recomputation")

    def handle(self, *args, verify=False, rebuild_=False, **options):
        started = time.monotonic()
        if options.get("rebuild"):
            daily, monthly = rebuild()
            self.stdout.write(f"rebuilt: {daily} daily and {monthly} monthly rows in "
                              f"{time.monotonic() - started:.1f} s")
            return
        found = differences()
        elapsed = time.monotonic() - started
        if not found:
            self.stdout.write(f"summaries exact: no difference ({elapsed:.1f} s)")
            return
        for d in found[:SHOWN]:
            self.stdout.write(f"{d.table} {d.key}: expected {d.expected}, stored {d.stored}")
        raise CommandError(f"{len(found)} summary rows differ from the records; run --rebuild to repair them")
