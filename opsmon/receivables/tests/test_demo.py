"""The demo's receivables: invoices and collections through the services, overdue ones in several buckets, every
timeline action declared."""

import pytest

from opsmon.core import events
from opsmon.core.models import TimelineEntry
from opsmon.demo import LOADERS
from opsmon.receivables import demo, selectors
from opsmon.receivables.models import Collection, Invoice

pytestmark = pytest.mark.django_db


def test_the_demo_shows_each_state(org):
    for loader in LOADERS[1:]:
        loader()
    rows = [selectors.row(m) for m in selectors.receivables(actor=org["finance1"])]
    assert {r["bucket"] for r in rows} >= {"0-30", "91-180", "180+"}
    assert any(r["collected"] == r["planned"] > 0 for r in rows)  # settled
    assert Collection.objects.filter(prepayment=True).exists()
    counts = (Invoice.objects.count(), Collection.objects.count())
    demo.load()  # idempotent
    assert (Invoice.objects.count(), Collection.objects.count()) == counts
    undeclared = [a for a in TimelineEntry.objects.values_list("action", flat=True).distinct()
                  if not events.is_action(a)]
    assert not undeclared
