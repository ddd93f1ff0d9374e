"""Reading the summaries for a viewer gives exactly the facts of the records his module selector lets him see —
for every demo user, every figure — whether he sees all, his departments', his own plus a team's, or few; a bid
that is not its opportunity's owner's (a stray) included. And an Excel import is counted as it is saved."""

from datetime import date

import pytest

from opsmon.accounts.models import User
from opsmon.bids.models import Bid
from opsmon.insights.tests import world
from opsmon.opportunities.tests.test_excel import good_row, run_import
from opsmon.summaries import facts, read
from opsmon.summaries.verify import differences, rebuild

PERIOD = (date(2024, 1, 1), date(2025, 12, 31))


def from_records(figure: str, actor, currency: str) -> dict:
    """The figure's facts over the selector's records, counted from the records themselves."""
    fact = facts.FACTS[figure]
    visible = read.SELECTORS[fact.scope](actor)
    records = facts.records(fact).filter(**{fact.currency: currency})
    records = records.filter(pk__in=visible.values("pk")) if fact.model is visible.model \
        else records.filter(bid__in=visible.values("pk"))
    out: dict = {}
    for key, measures in facts.rows(fact, records, first=PERIOD[0], last=PERIOD[1]).items():
        k = (key[4], key[5], key[6])
        out[k] = facts.add(out.get(k, facts.ZERO), measures)
    return {k: v for k, v in out.items() if any(v)}


@pytest.mark.django_db
def test_every_user_reads_exactly_the_facts_of_what_he_may_see(org):
    world.build(org)
    # A stray: B4 (rep1b's, 销售一部) handed to rep2 of 销售二部 behind the services' back — head1 still sees
    # it through its opportunity, and now head2 and rep2 through the bid itself.
    stray = Bid.objects.filter(opportunity__owner__username="rep1b").first()
    Bid.objects.filter(pk=stray.pk).update(owner=org["rep2"], department=org["rep2"].department)
    rebuild()
    checked = 0
    for user in User.objects.filter(is_active=True):
        for figure in facts.FACTS:
            for currency in ("CNY", "USD"):
                got = read.sums(figure, actor=user, currency=currency, first=PERIOD[0], last=PERIOD[1],
                                by=("k1", "k2", "k3"))
                assert dict(got) == from_records(figure, user, currency), (user.username, figure, currency)
                checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_an_excel_import_is_counted_as_it_is_saved(org):
    run_import(org["rep1"], [good_row(1), good_row(2)])
    assert differences() == []
