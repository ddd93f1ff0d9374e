"""The summaries stay exactly what a recomputation from the records gives, whatever the services do, in any order,
refused steps included, and with writers at the same time (run on SQLite and on PostgreSQL: DATABASE_URL).

hypothesis draws sequences of user actions (new opportunities, edits, closing, routing to a bid, the tender
analysis, the opening record, won / lost / abandoned, bonds paid and refunded, contracts signed); after each
sequence `differences()` — what `opsmon summaries --verify` reports — must be empty.
"""

import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsmon.bids import services as bids
from opsmon.bids.models import Bid
from opsmon.core.errors import ApplicationError
from opsmon.insights.tests import world
from opsmon.opportunities import services as opportunities
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.tests.factories import customer
from opsmon.projects import services as projects
from opsmon.projects.tests.factories import REVIEW
from opsmon.summaries.models import COMPANY, Daily, Monthly
from opsmon.summaries.verify import differences

REPS = ("rep1", "rep1b", "rep2")
REFUSED = ApplicationError  # refused: 409, 422, 403 — the action does not fit the record's state


class Rollback(Exception):
    pass


def create(org, rep, *, amount, pick=0):
    """A new opportunity through the service (the test world's helper moves dates behind its back)."""
    today = timezone.localdate()
    return opportunities.opportunity_create(
        actor=org[rep], title=f"{rep} {amount}", customer_id=customer(org[rep], industry="energy").pk,
        estimated_amount=amount, stage=("proposal", "qualified")[pick % 2], industry=("energy", "finance")[pick % 2],
        expected_close_date=today + timedelta(days=pick * 20))


def route(org, opp):
    """Convert, review, approve, route to bidding (world.routed_bid without its date moves), then submit."""
    owner, head = opp.owner.username, world.head_of(org, opp.owner.username)
    _, project = opportunities.opportunity_convert(actor=head, opportunity=opp)
    project = projects.project_assign_lead(actor=head, project=project, tech_lead=org["lead1"])
    projects.feasibility_save(actor=org["lead1"], project=project, **REVIEW)
    project = projects.project_submit_feasibility(actor=org["lead1"], project=project)
    project = projects.project_approve(actor=head, project=project, comment="同意")
    bid = Bid.objects.get(pk=projects.project_route(actor=org[owner], project=project, to="bidding")["bid_id"])
    return world.submitted(org, bid, method="open_tender", estimated="90000.00", owner=owner)


def _bid_of(opp):
    return Bid.objects.filter(opportunity=opp).order_by("-pk").first()


def act(org, made: list, step) -> None:
    """One user action; a refusal (the action does not fit the record's state) changes nothing and is fine."""
    kind, i, amount, pick = step
    today = timezone.localdate()
    if kind == "create" or not made:
        made.append(create(org, REPS[pick % len(REPS)], amount=f"{amount}.00", pick=pick).pk)
        return
    opp = Opportunity.objects.get(pk=made[i % len(made)])
    owner, head = opp.owner.username, world.head_of(org, opp.owner.username)
    bid = _bid_of(opp)
    if kind == "edit":
        opportunities.opportunity_update(actor=org[owner], opportunity=opp, version=opp.version,
                                         estimated_amount=f"{amount}.50", stage=("commit", "proposal")[pick % 2],
                                         industry=("transport", "energy")[pick % 2])
    elif kind == "close":
        opportunities.opportunity_close(actor=head, opportunity=opp, reason="lost")
    elif kind == "route" and bid is None:
        route(org, opp)
    elif kind == "open" and bid is not None:
        us_first = pick % 2 == 0
        world.opened(org, bid, owner, [(world.US, f"{amount}.00", 1 if us_first else 2),
                                       (world.JIA, f"{amount + 7}.00", 2 if us_first else 1)],
                     world.US if us_first else world.JIA)
    elif kind == "result" and bid is not None:
        if pick % 3 == 0:
            bids.bid_mark_won(actor=head, bid=bid)
        elif pick % 3 == 1:
            bids.bid_mark_lost(actor=org[owner], bid=bid)
        else:
            bids.bid_abandon(actor=org[owner], bid=bid, reason="招标人取消采购（流标）")
    elif kind == "bond" and bid is not None:
        bond = bids.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount=f"{amount}.00",
                                method="bank_transfer")
        bond = bids.bond_pay(actor=org["assistant1"], bond=bond, paid_on=today, reference="HX")
        if pick % 2:
            bids.bond_refund(actor=org["assistant1"], bond=bond, refunded_on=today, amount=f"{amount}.00")
    elif kind == "sign" and bid is not None:
        contract = bids.bid_create_contract(actor=org[owner], bid=bid)
        world.signed_contract(org, owner, contract, signed_on=today, start=today, end=today + timedelta(days=90))


steps = st.lists(st.tuples(st.sampled_from(["create", "edit", "close", "route", "open", "result", "bond",
                                            "sign"]),
                           st.integers(0, 5), st.integers(1000, 90000), st.integers(0, 5)),
                 min_size=1, max_size=10)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_any_sequence_of_actions_keeps_the_summaries_exact(org, sequence):
    world_routes(org)
    try:
        with transaction.atomic():
            made: list = []
            for step in sequence:
                try:
                    with transaction.atomic():
                        act(org, made, step)
                except REFUSED:
                    pass
            assert differences(limit=5) == []
            raise Rollback
    except Rollback:
        pass


def world_routes(org):
    from opsmon.contracts.tests import factories as contract_factories

    contract_factories.routes(org)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_summaries_exact(org):
    """Eight users at once on the same two opportunities (edits, bids, results, bonds): each writer locks the
    opportunity before reading its facts, so no update of the summaries is lost."""
    world_routes(org)
    first = create(org, "rep1", amount="100000.00")
    second = create(org, "rep2", amount="200000.00", pick=1)
    for opp in (first, second):
        route(org, opp)
    barrier = threading.Barrier(8)
    errors = []

    def worker(n):
        try:
            barrier.wait()
            for k in range(3):
                opp = Opportunity.objects.get(pk=(first, second)[(n + k) % 2].pk)
                try:
                    if n % 2:
                        opportunities.opportunity_update(actor=opp.owner, opportunity=opp, version=opp.version,
                                                         estimated_amount=f"{1000 * n + k}.00")
                    else:
                        bond = bids.bond_create(actor=org["assistant1"], bid=_bid_of(opp), kind="bid",
                                                amount=f"{100 + n}.00", method="bank_transfer")
                        bids.bond_pay(actor=org["assistant1"], bond=bond, paid_on=timezone.localdate(),
                                      reference="HX")
                except REFUSED:
                    pass
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert differences() == []


@pytest.mark.django_db
def test_verify_reports_a_difference_and_rebuild_repairs_it(org, capsys):
    world_routes(org)
    create(org, "rep1", amount="100000.00")
    call_command("summaries", "--verify")
    assert "no difference" in capsys.readouterr().out
    Daily.objects.filter(figure="opp").update(n1=5)  # a row gone wrong
    with pytest.raises(CommandError, match="differ"):
        call_command("summaries", "--verify")
    assert "expected" in capsys.readouterr().out
    call_command("summaries", "--rebuild")
    call_command("summaries", "--verify")
    # the month of its department and the month of every department together
    assert sorted(Monthly.objects.filter(figure="opp").values_list("department_id", "n1")) == [
        (COMPANY, 1), (org["rep1"].department_id, 1)]
