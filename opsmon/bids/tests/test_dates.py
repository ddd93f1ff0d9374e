"""Dates that must have happened (issue 20, item 3): an opening held, a bond paid or refunded in the future is one
422 naming the field, in the one wording of core.workflow; a year after 2100 is refused everywhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.bids import services
from opsmon.bids.models import BidOpening
from opsmon.core.errors import Invalid
from opsmon.core.workflow import future_refusal

from .factories import ENTRIES_WON, routed_bid, submitted_bid

TODAY = timezone.localdate()


def refused(call, field):
    with pytest.raises(Invalid) as error:
        call()
    assert error.value.status == 422 and field in error.value.fields
    return " ".join(error.value.fields[field])


def test_an_opening_in_the_future_is_refused(org):
    bid = submitted_bid(org)
    later = timezone.now() + timedelta(hours=2)
    message = refused(lambda: services.opening_record(actor=org["rep1"], bid=bid, opened_at=later, entries=ENTRIES_WON,
                                                      winner=ENTRIES_WON[0]["bidder"]), "opened_at")
    assert message == future_refusal()
    assert not BidOpening.objects.filter(bid=bid).exists()
    services.opening_record(actor=org["rep1"], bid=bid, opened_at=timezone.now() - timedelta(minutes=5),
                            entries=ENTRIES_WON, winner=ENTRIES_WON[0]["bidder"])


def test_a_bond_paid_or_refunded_in_the_future_is_refused(org):
    bond = services.bond_create(actor=org["assistant1"], bid=submitted_bid(org), kind="bid", amount="20000",
                                method="bank_guarantee")
    message = refused(lambda: services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY + timedelta(days=1)),
                      "paid_on")
    assert message == future_refusal()
    bond = services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY - timedelta(days=3))
    message = refused(lambda: services.bond_refund(actor=org["assistant1"], bond=bond,
                                                   refunded_on=TODAY + timedelta(days=1), amount="20000"),
                      "refunded_on")
    assert message == future_refusal()


def test_a_deadline_after_2100_is_refused(org):
    bid = routed_bid(org)
    far = timezone.now().replace(year=2101)
    refused(lambda: services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=far),
            "submission_deadline")
    refused(lambda: services.tender_analysis_save(actor=org["rep1"], bid=bid,
                                                  submission_deadline="2101-01-01T10:00"), "submission_deadline")
