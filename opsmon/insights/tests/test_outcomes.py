"""The funnel and the win rates read the sale's outcome (DOMAIN.md "Lifecycle"): a lost bid's records are no
longer open, and the period's opportunities are rated by how their sale ended."""

from datetime import date

from django.utils import timezone

from opsmon.bids import services as bid_services
from opsmon.bids.tests.factories import opened_bid, routed_bid
from opsmon.insights import queries
from opsmon.insights.filters import Filters


def this_year():
    today = timezone.localdate()
    return Filters(date_from=date(today.year, 1, 1), date_to=date(today.year, 12, 31), department=None,
                   currency="CNY")


def by_stage(data):
    return {s["stage"]: (s["count"], s["open"], s["lost"]) for s in data["stages"]}


def test_a_lost_bid_no_longer_counts_as_open(org):
    lost = opened_bid(org, won=False)
    bid_services.bid_mark_lost(actor=org["rep1"], bid=lost)
    routed_bid(org)  # a second, live sale
    stages = by_stage(queries.funnel(actor=org["market1"], filters=this_year()))
    assert stages["opportunities"] == (2, 1, 1)
    assert stages["projects"] == (2, 1, 1)
    assert stages["bids"] == (2, 1, 1)
    outcomes = queries.win_rate(actor=org["market1"], filters=this_year())["opportunities"]
    assert outcomes == {"won": 0, "lost": 1, "open": 1, "win_rate": 0.0}


def test_the_outcomes_stay_within_the_viewers_scope(org):
    bid_services.bid_mark_lost(actor=org["rep2"], bid=opened_bid(org, won=False, owner="rep2"))
    assert queries.win_rate(actor=org["rep1"], filters=this_year())["opportunities"] == {
        "won": 0, "lost": 0, "open": 0, "win_rate": None}
    assert queries.win_rate(actor=org["head2"], filters=this_year())["opportunities"]["lost"] == 1
