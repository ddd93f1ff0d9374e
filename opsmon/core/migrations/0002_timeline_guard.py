"""The database itself refuses to change or delete timeline entries, whoever asks (raw SQL included).

PostgreSQL: a row trigger refuses UPDATE and DELETE. TRUNCATE (table owner only) stays possible: Django's
`flush`, which empties the test database between transactional tests, uses it there.

SQLite has no TRUNCATE: `flush` runs DELETE FROM on every table. So the DELETE trigger lets a delete through
only on a connection that holds the temporary table `opsmon_timeline_flush`, which exists only while OpsMon's
`flush` command runs (opsmon/core/management/commands/flush.py); a temporary table is private to its
connection, so no other connection is ever let through. UPDATE is always refused.
"""

from django.db import migrations

TABLE = "core_timelineentry"
MESSAGE = "timeline entries are immutable"

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION opsmon_timeline_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
    END $$""",
    f"""CREATE TRIGGER opsmon_timeline_immutable BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION opsmon_timeline_immutable()""",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS opsmon_timeline_immutable ON {TABLE}",
    "DROP FUNCTION IF EXISTS opsmon_timeline_immutable()",
]
SQLITE_UP = [
    f"""CREATE TRIGGER opsmon_timeline_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER opsmon_timeline_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT EXISTS (SELECT 1 FROM pragma_table_list WHERE schema = 'temp' AND name = 'opsmon_timeline_flush')
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opsmon_timeline_no_update",
    "DROP TRIGGER IF EXISTS opsmon_timeline_no_delete",
]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_UP)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        _run(schema_editor, POSTGRES_DOWN)
    elif vendor == "sqlite":
        _run(schema_editor, SQLITE_DOWN)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
