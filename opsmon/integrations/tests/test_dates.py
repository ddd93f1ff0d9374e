"""A status event reported for a time ahead (beyond the allowed clock skew) is refused (issue 20, item 3): one 422
naming `at`, in the one wording of core.workflow; nothing is kept."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal
from opsmon.integrations.inbound import project_status_receive
from opsmon.integrations.models import InboundEvent

from .factories import account, signed_project


@pytest.mark.parametrize("when", [timezone.now() + timedelta(hours=2), "2101-01-01T00:00:00+08:00"])
def test_an_event_in_the_future_is_refused(org, when):
    pms = account(org)
    project, _contract = signed_project(org)
    with pytest.raises(Invalid) as error:
        project_status_receive(actor=pms.user, project_number=project.number, event="accepted", at=when,
                               idempotency_key="ahead")
    assert error.value.status == 422 and "at" in error.value.fields
    if not isinstance(when, str):
        assert error.value.fields["at"] == [future_refusal()]
    assert not InboundEvent.objects.exists()
