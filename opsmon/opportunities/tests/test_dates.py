"""A follow-up that has not happened yet is refused (issue 20, item 3): one 422 naming `happened_on`, in the one
wording of core.workflow; nothing is saved."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal
from opsmon.opportunities import services
from opsmon.opportunities.models import FollowUp

from .factories import opportunity


@pytest.mark.parametrize("day", [timezone.localdate() + timedelta(days=1), "2101-01-01"])
def test_a_follow_up_in_the_future_is_refused(org, day):
    record = opportunity(org["rep1"])
    with pytest.raises(Invalid) as error:
        services.follow_up_add(actor=org["rep1"], opportunity=record, happened_on=day, kind="visit", note="拜访")
    assert error.value.status == 422 and "happened_on" in error.value.fields
    if not isinstance(day, str):
        assert error.value.fields["happened_on"] == [future_refusal()]
    assert not FollowUp.objects.filter(opportunity=record).exists()
