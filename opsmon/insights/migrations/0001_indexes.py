"""Indexes the dashboards (and the opportunity list) need at a million opportunities; bench/RESULTS.md shows why.

They live here, as SQL, so the modules that own the tables keep their migrations to themselves. PostgreSQL gets
covering (INCLUDE) indexes that answer a figure from the index alone; SQLite, which has no INCLUDE, gets the
included columns appended to the key, which covers the same queries there."""

from django.db import migrations

OPEN = "status IN ('tracking', 'conversion_requested')"
# name: (table, key columns, PostgreSQL INCLUDE columns, partial-index condition or "postgresql": there only)
INDEXES = {
    # the list's default order (newest first) and the funnel's "created in the period"
    "insights_opp_created_idx": ("opportunities_opportunity", "created_at DESC, id DESC", "", ""),
    "insights_opp_created_cover_idx": ("opportunities_opportunity", "created_at",
                                       "currency, estimated_amount, department_id", ""),
    # the pipeline: open opportunities by expected close date
    "insights_opp_open_close_idx": ("opportunities_opportunity", "expected_close_date",
                                    "currency, stage, probability, estimated_amount, department_id", OPEN),
    "insights_project_created_idx": ("projects_project", "created_at",
                                     "currency, estimated_amount, department_id", ""),
    "insights_bid_created_idx": ("bids_bid", "created_at", "currency, estimated_price, department_id", ""),
    "insights_bid_result_idx": ("bids_bid", "result_known_on", "status, currency, department_id", ""),
    "insights_bid_opening_idx": ("bids_bid", "opening_at", "", ""),
    "insights_bond_paid_idx": ("bids_bond", "kind, due_on", "", "status = 'paid'"),
    # our price at an opening (the won amount), and an opportunity's industry (win rate by industry)
    "insights_entry_us_idx": ("bids_openingentry", "opening_id", "price", "is_us"),
    "insights_entry_them_idx": ("bids_openingentry", "opening_id", "bidder, price, rank", "NOT is_us"),
    "insights_opp_industry_idx": ("opportunities_opportunity", "id", "industry", ""),
    # "the opportunities of these departments" from the index alone (a head's scope); SQLite's index on
    # department_id holds the row id already
    "insights_opp_department_idx": ("opportunities_opportunity", "department_id", "id", "postgresql"),
}


def create(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for name, (table, columns, include, condition) in INDEXES.items():
        if condition == "postgresql":
            if not postgres:
                continue
            condition = ""
        if include and not postgres:
            columns, include = f"{columns}, {include}", ""
        sql = f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})"
        if include:
            sql += f" INCLUDE ({include})"
        if condition:
            sql += f" WHERE {condition}"
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0002_importjob"),
        ("projects", "0002_project_cancel_reason_project_routed_to_and_more"),
        ("bids", "0001_initial"),
        ("contracts", "0002_review_signing_amendments"),
    ]
    operations = [migrations.RunPython(create, drop)]
