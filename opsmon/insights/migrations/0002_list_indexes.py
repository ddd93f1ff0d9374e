"""Indexes for the opportunity list at a million rows (bench/RESULTS.md): a sales rep's visible ids and their
newest-first order from indexes alone, and the open pipeline filtered by industry counted from the index alone."""

from django.db import migrations

# name: (table, key columns, PostgreSQL INCLUDE columns, "postgresql" for there only)
INDEXES = {
    # visible_opportunities' "owner = me" part without reading the table (SQLite's index holds the row id)
    "insights_opp_owner_idx": ("opportunities_opportunity", "owner_id", "id", "postgresql"),
    # the list's default order (newest first) over those ids, without reading each row (SQLite's rows are
    # stored by id already)
    "insights_opp_id_created_idx": ("opportunities_opportunity", "id", "created_at", "postgresql"),
    # the list filtered by status and industry (the pipeline of one industry), counted from the index
    "insights_opp_status_industry_idx": ("opportunities_opportunity", "status, industry",
                                         "department_id, estimated_amount", ""),
}


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (table, columns, include, condition) in INDEXES.items():
        if condition == "postgresql" and not postgres:
            continue
        if include and not postgres:  # SQLite has no INCLUDE: the columns go into the key
            columns, include = f"{columns}, {include}", ""
        sql = f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
        schema_editor.execute(sql + (f" INCLUDE ({include})" if include else ""))


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_indexes")]
    operations = [migrations.RunPython(create, drop)]
