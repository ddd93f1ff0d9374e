"""The data migration that moved contract review onto approvals (contracts 0003/0004): real rounds made through
the services are migrated back to the old tables and forward again, and come back identical, ids included."""

import pytest
from django.core.management.color import no_style
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from opsmon.approvals.models import Review, ReviewStep, Route, RouteStep, StepDecider
from opsmon.contracts import selectors, services
from opsmon.contracts.tests.factories import draft, routes, signed, submitted

BEFORE = [("contracts", "0002_review_signing_amendments"), ("approvals", "0001_initial")]
AFTER = [("contracts", "0004_remove_old_review_tables"), ("approvals", "0001_initial")]


def snapshot() -> dict:
    """Every row of the engine's tables that contracts owns, as plain values."""
    return {
        "routes": list(Route.objects.filter(kind="contract").order_by("id").values()),
        # only the contract routes' steps: the other kinds' seed migrations (procurement's) are unapplied and
        # applied again on the way back, re-creating their rows with new ids
        "route_steps": list(RouteStep.objects.filter(route__kind="contract").order_by("id").values()),
        "route_users": sorted(RouteStep.users.through.objects.filter(routestep__route__kind="contract")
                              .values_list("routestep_id", "user_id")),
        "reviews": list(Review.objects.order_by("id").values()),
        "steps": list(ReviewStep.objects.order_by("id").values()),
        "deciders": list(StepDecider.objects.order_by("id").values()),
    }


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_route_round_and_decision_survives_the_move_with_its_id(org):
    routes(org)
    contract = signed(org)  # round 1 approved
    services.amendment_propose(actor=org["rep1"], contract=contract, changes={"terms": "新条款"}, reason="变更")
    rejected = submitted(org)
    step = selectors.current_step(rejected)
    services.step_decide(actor=org["lead1"], contract=rejected, step_id=step.pk, decision="reject", comment="退回")
    services.contract_submit(actor=org["rep1"], contract=type(rejected).objects.get(pk=rejected.pk))
    draft(org)
    before = snapshot()
    assert len(before["reviews"]) == 4 and {r["kind"] for r in before["reviews"]} == {"contract", "amendment"}

    old = migrate(BEFORE)  # back to the old tables: 0003's reverse copies the rows there
    OldReview = old.get_model("contracts", "Review")
    assert OldReview.objects.count() == 4 and old.get_model("contracts", "ReviewRoute").objects.count() == 3
    amendment_round = OldReview.objects.get(amendment__isnull=False)
    assert amendment_round.contract_id == contract.pk and amendment_round.round == 2
    assert old.get_model("contracts", "StepDecider").objects.filter(comment="退回").count() == 1
    assert not Review.objects.exists()
    with connection.cursor() as cursor:  # as on a database that never had approvals rows (PostgreSQL's sequences)
        for statement in connection.ops.sequence_reset_sql(no_style(), [Route, RouteStep, Review, ReviewStep,
                                                                         StepDecider]):
            cursor.execute(statement)

    # and forward again: 0003 copies them to approvals, 0004 drops the old tables; then every later migration
    # (of contracts and of the apps built on it, unapplied on the way back) so the services run as before
    migrate(AFTER)
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert snapshot() == before
    assert "contracts_review" not in connection.introspection.table_names()
    # the copied rounds work: the open amendment's round goes on, new rows take fresh ids
    step = selectors.current_step(contract)
    assert step.review.kind == "amendment"
    services.step_decide(actor=step.deciders.first().user, contract=contract, step_id=step.pk, decision="approve")
    assert Review.objects.filter(pk__gt=max(r["id"] for r in before["reviews"])).count() == 0
    fresh = submitted(org)
    assert selectors.current_step(fresh).review.pk > max(r["id"] for r in before["reviews"])
