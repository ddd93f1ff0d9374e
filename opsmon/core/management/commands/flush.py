"""Django's `flush`, allowed to empty the timeline: the one way the timeline table loses rows.

On SQLite the timeline's DELETE trigger (core migration 0002) lets deletes through only on a connection holding
the temporary table `opsmon_timeline_flush`; this command creates it for the flush and drops it afterwards.
PostgreSQL's flush uses TRUNCATE, which the row triggers do not see.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE IF NOT EXISTS opsmon_timeline_flush (x INTEGER)")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP TABLE IF EXISTS temp.opsmon_timeline_flush")
