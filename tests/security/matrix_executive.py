"""Access-matrix rows of issue 20's everyday dashboards, and the executive (ceo1, 企业负责人).

The executive is an actor of the whole matrix (access_matrix.ACTORS, his line in SALES and DEALS): he reads every
record of every chain (relation "none", like the market head) and every action on them is 403; he may not edit
a customer either (the market head may). The routes without a record follow their policies: what any signed-in
user may do (his notifications, his password) he may too, but he records nothing: D8's new opportunity, customer
and import are 403 for him (policy "recorders"); "drafters", "heads" and "admin" routes are 403 for him.

The dashboards' pages are read by every signed-in user over the records he sees (insights/scope.py); the
drill-down list `insights:records` lists exactly the records a number counts (its counts: opsmon/insights/tests/
test_daily.py)."""

from . import world
from .access_matrix import nothing


def _with_records_kind(build):
    """The drill-down's path names a kind of records: the cohort's first stage (the period's new opportunities)."""
    def wrapped(org):
        built = build(org)
        built.common["records_kind"] = "cohort-created"
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' marks stay visible
    wrapped.with_records_kind = True
    return wrapped


if not getattr(world.build, "with_records_kind", False):
    world.build = _with_records_kind(world.build)

SCOPE = {"query": {"from": "2025-01-01", "to": "2026-12-31"}}

WEB = {
    "insights:trend": nothing("signed_in", **SCOPE),
    "insights:activity": nothing("signed_in"),
    "insights:management": nothing("signed_in"),
    "insights:records": nothing("signed_in", args={"kind": "records_kind"}, **SCOPE),
}
