"""Dates that must have happened (issue 20, item 3): signing and a delivered milestone in the future are one 422
naming the field, in the one wording of core.workflow."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.contracts import services
from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal
from opsmon.integrations.tests.factories import account

from .factories import decide_all, routes, signed, signed_copy, submitted

TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def with_routes(org):
    routes(org)


def test_a_contract_signed_tomorrow_is_refused(org, with_routes):
    contract = decide_all(submitted(org))
    with pytest.raises(Invalid) as error:
        services.contract_sign(actor=org["rep1"], contract=contract, signed_on=TOMORROW, signed_copy=signed_copy())
    assert error.value.status == 422 and str(error.value.fields["signed_on"][0]) == future_refusal()
    contract.refresh_from_db()
    assert contract.status == "approved" and contract.signed_on is None


def test_a_milestone_delivered_tomorrow_is_refused(org, with_routes):
    contract = signed(org)
    milestone = contract.milestones.first()
    with pytest.raises(Invalid) as error:
        services.milestone_mark_delivered(actor=account(org).user, contract=contract, milestone=milestone,
                                          on=TOMORROW)
    assert error.value.status == 422 and str(error.value.fields["on"][0]) == future_refusal()
    milestone.refresh_from_db()
    assert milestone.delivered_on is None
