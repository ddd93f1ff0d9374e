"""The outside systems' demo: pms reported on the demo's won projects, showing every outcome; loading twice changes
nothing."""

import pytest

from opsmon import demo
from opsmon.integrations.models import Handoff, InboundEvent, IntegrationAccount

pytestmark = pytest.mark.django_db


def test_the_demo_shows_pms_and_every_outcome(org):
    demo.load()
    pms = IntegrationAccount.objects.get(user__username="pms")
    assert pms.user.roles == frozenset({"integration"}) and pms.display_name == "项目监控系统"
    events = InboundEvent.objects.filter(account=pms)
    assert set(events.values_list("outcome", flat=True)) == {"applied", "duplicate", "superseded", "pending"}
    statuses = set(Handoff.objects.filter(account=pms).values_list("project__status", flat=True))
    assert {"accepted", "in_delivery"} <= statuses
    count = events.count()
    demo.load()
    assert InboundEvent.objects.filter(account=pms).count() == count
