"""The change feed's positions (issue 22): one `core_change` row per timeline entry, numbered in COMMIT order.

A sequence hands out numbers when a row is inserted, not when its transaction commits: a reader paging by id could
pass id 11 (committed) while id 10's transaction is still open, and never see 10. So the position is given at
commit time, by the database, whichever path wrote the timeline (timeline.record, the Excel import's COPY, raw SQL):

PostgreSQL, two deferred constraint triggers (they run inside COMMIT, before the commit becomes visible):
  1. `opsmon_change_add` on core_timelineentry: per new entry, INSERT a core_change row without a position.
  2. `opsmon_change_place` on core_change: takes `pg_advisory_xact_lock(7236834022)`, then numbers every unplaced row
     of this transaction from the sequence `core_change_position`, in id order. The lock is held until the
     commit is visible to everyone, so the transaction that gets the next numbers commits after this one: the
     positions become visible in increasing order, and a reader that has seen position P has seen all below P.
  The second trigger's events are queued by the first one while COMMIT runs, so they fire after every other
  deferred check of the transaction (Django's foreign keys): once it holds the lock, the transaction waits for
  no other lock, and two committing transactions cannot deadlock on it.

SQLite serialises writers (IMMEDIATE transactions): ids follow the commit order, so a plain AFTER INSERT trigger
adds the change row with the entry's id as its position.

The timeline stays immutable (0002): the triggers only read its new rows, never change them.
"""

import django.db.models.deletion
from django.db import migrations, models

POSTGRES_UP = [
    "CREATE SEQUENCE IF NOT EXISTS core_change_position AS bigint",
    """CREATE OR REPLACE FUNCTION opsmon_change_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO core_change (entry_id) VALUES (NEW.id);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION opsmon_change_place() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        unplaced bigint;
        first_position bigint;
    BEGIN
        IF (SELECT position FROM core_change WHERE id = NEW.id) IS NOT NULL THEN
            RETURN NULL;  -- an earlier firing of this transaction placed it with the others
        END IF;
        PERFORM pg_advisory_xact_lock(7236834022);  -- the feed's key; no other code takes it
        -- Rows without a position that this statement sees are this transaction's: others' are not visible
        -- until they commit, and they commit only after placing theirs.
        SELECT count(*) INTO unplaced FROM core_change WHERE position IS NULL;
        first_position := nextval('core_change_position');
        IF unplaced > 1 THEN
            PERFORM setval('core_change_position', first_position + unplaced - 1);  -- only we draw, under the lock
        END IF;
        UPDATE core_change AS c SET position = first_position + n.rank - 1
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM core_change WHERE position IS NULL) AS n
        WHERE c.id = n.id;
        RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER opsmon_change_add AFTER INSERT ON core_timelineentry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION opsmon_change_add()""",
    """CREATE CONSTRAINT TRIGGER opsmon_change_place AFTER INSERT ON core_change
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION opsmon_change_place()""",
    # the entries written before this migration, in id order
    """INSERT INTO core_change (entry_id, position)
    SELECT id, row_number() OVER (ORDER BY id) FROM core_timelineentry ORDER BY id""",
    """SELECT setval('core_change_position', GREATEST((SELECT max(position) FROM core_change), 1),
                     (SELECT max(position) FROM core_change) IS NOT NULL)""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS opsmon_change_place ON core_change",
    "DROP TRIGGER IF EXISTS opsmon_change_add ON core_timelineentry",
    "DROP FUNCTION IF EXISTS opsmon_change_place()",
    "DROP FUNCTION IF EXISTS opsmon_change_add()",
    "DROP SEQUENCE IF EXISTS core_change_position",
]
SQLITE_UP = [
    """CREATE TRIGGER opsmon_change_add AFTER INSERT ON core_timelineentry
    BEGIN INSERT INTO core_change (entry_id, position) VALUES (NEW.id, NEW.id); END""",
    "INSERT INTO core_change (entry_id, position) SELECT id, id FROM core_timelineentry ORDER BY id",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS opsmon_change_add",
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
        ("core", "0003_periodic_lease"),
    ]

    operations = [
        migrations.CreateModel(
            name="Change",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.BigIntegerField(blank=True, editable=False, null=True, unique=True,
                                                    verbose_name="position")),
                ("entry", models.OneToOneField(db_constraint=False,
                                               on_delete=django.db.models.deletion.DO_NOTHING, related_name="+",
                                               to="core.timelineentry", verbose_name="entry")),
            ],
            options={
                "verbose_name": "change",
                "verbose_name_plural": "changes",
                "indexes": [models.Index(condition=models.Q(("position__isnull", True)), fields=["id"],
                                         name="change_unplaced_idx")],
            },
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
