"""The bid workflow and bonds, allowed and refused by role and state, with a controllable clock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.bids import reminders, selectors, services
from opsmon.bids.models import Bid, Bond
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.notifications.models import Notification
from opsmon.notifications.reminders import send_reminders

from .factories import ENTRIES_WON, opened_bid, routed_bid, submitted_bid

TODAY = timezone.localdate()


def fresh(bid):
    return Bid.objects.get(pk=bid.pk)


def test_routing_registers_a_bid_that_reps_of_other_departments_cannot_see(org):
    bid = routed_bid(org)
    assert bid.number.startswith("TB-") and bid.status == "registered"
    for user in ("rep1", "head1", "assistant1", "market1", "admin"):
        assert selectors.bid_get(actor=org[user], pk=bid.pk) == bid
    for user in ("rep2", "head2", "finance1"):
        with pytest.raises(NotFound):
            selectors.bid_get(actor=org[user], pk=bid.pk)


def test_bid_assistant_or_team_registers_directly_others_cannot(org):
    from opsmon.opportunities.tests import factories
    opp = factories.opportunity(org["rep2"])
    bid = services.bid_register(actor=org["assistant1"], opportunity=opp)
    assert bid.owner == org["rep2"] and bid.department == opp.department and bid.project is None
    assert services.bid_register(actor=org["rep2"], opportunity=opp, title="二次投标").title == "二次投标"
    with pytest.raises(PermissionDenied):
        services.bid_register(actor=org["market1"], opportunity=opp)


def test_tender_analysis_checks_dates_codes_and_money(org):
    bid = routed_bid(org)
    with pytest.raises(Invalid) as err:
        services.tender_analysis_save(actor=org["rep1"], bid=bid,
                                      submission_deadline=timezone.now() - timedelta(days=2),
                                      tender_method="lottery", estimated_price="-5", decision="no_bid")
    assert {"submission_deadline", "tender_method", "estimated_price", "decision_reason"} <= set(err.value.fields)
    deadline = timezone.now() + timedelta(days=5)
    with pytest.raises(Invalid) as err:
        services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=deadline,
                                      opening_at=deadline - timedelta(hours=1))
    assert "opening_at" in err.value.fields
    assert fresh(bid).submission_deadline is None
    with pytest.raises(PermissionDenied):
        services.tender_analysis_save(actor=org["rep2"], bid=bid, tenderer="x")


def test_submission_after_the_deadline_is_refused_until_the_deadline_is_corrected(org):
    bid = routed_bid(org)
    deadline = timezone.now() + timedelta(hours=2)
    bid = services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=deadline)
    bid = services.bid_start_preparation(actor=org["rep1"], bid=bid)
    with pytest.raises(Conflict) as err:
        services.bid_submit(actor=org["rep1"], bid=bid, now=deadline + timedelta(minutes=1))
    assert err.value.code == "deadline_passed"
    bid = services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=deadline + timedelta(days=3))
    assert services.bid_submit(actor=org["rep1"], bid=bid, now=deadline + timedelta(minutes=1)).status == "submitted"


@pytest.mark.parametrize(("entries", "winner", "field"), [
    ([{**ENTRIES_WON[0]}, {**ENTRIES_WON[1], "rank": 1}], "我方科技有限公司", "entries.1.rank"),
    ([{**ENTRIES_WON[0], "is_us": False}, ENTRIES_WON[1]], "我方科技有限公司", "entries"),
    ([{**ENTRIES_WON[0], "price": "-1"}], "我方科技有限公司", "entries.0.price"),
    (ENTRIES_WON, "丙公司", "winner"),
    ([], "我方科技有限公司", "entries"),
])
def test_bad_opening_records_are_refused_and_nothing_is_saved(org, entries, winner, field):
    bid = submitted_bid(org)
    with pytest.raises(Invalid) as err:
        services.opening_record(actor=org["rep1"], bid=bid, opened_at=timezone.now(), entries=entries, winner=winner)
    assert field in err.value.fields
    assert fresh(bid).status == "submitted" and not hasattr(fresh(bid), "opening")


def test_only_owner_or_head_records_results(org):
    bid = submitted_bid(org)
    for user in ("rep1b", "assistant1", "market1", "admin"):
        with pytest.raises(PermissionDenied):
            services.opening_record(actor=org[user], bid=bid, opened_at=timezone.now(), entries=ENTRIES_WON,
                                    winner=ENTRIES_WON[0]["bidder"])


def test_won_path_to_contract_summary_and_close(org):
    bid = opened_bid(org, won=True)
    with pytest.raises(Conflict):
        services.bid_mark_lost(actor=org["rep1"], bid=bid)  # the opening says we won
    bid = services.bid_mark_won(actor=org["head1"], bid=bid)
    assert (bid.status, bid.result_known_on) == ("won", TODAY)
    with pytest.raises(Conflict):
        services.bid_close(actor=org["rep1"], bid=bid)  # no summary yet
    contract = services.bid_create_contract(actor=org["rep1"], bid=bid)
    assert (contract.bid, contract.project, contract.opportunity) == (bid, bid.project, bid.opportunity)
    assert str(contract.amount) == "1180000.00" and contract.status == "drafting"
    with pytest.raises(Conflict):
        services.bid_create_contract(actor=org["rep1"], bid=bid)
    services.summary_save(actor=org["rep1"], bid=bid, person_days="35", cost="42000.50",
                          outcome_reason="技术分领先", lessons="提前准备资质文件")
    bid = services.bid_close(actor=org["rep1"], bid=fresh(bid))
    assert bid.closed and bid.status == "won"
    with pytest.raises(Conflict):
        services.summary_save(actor=org["rep1"], bid=bid, person_days="1", cost="1", outcome_reason="x",
                              lessons="y")


def test_lost_bid_is_voided_read_only_and_still_counted(org):
    bid = opened_bid(org, won=False)
    with pytest.raises(Conflict):
        services.bid_mark_won(actor=org["rep1"], bid=bid)
    bid = services.bid_mark_lost(actor=org["rep1"], bid=bid)
    assert bid.voided
    with pytest.raises(Conflict):
        services.tender_analysis_save(actor=org["rep1"], bid=bid, tenderer="x")
    with pytest.raises(Conflict):
        services.bid_abandon(actor=org["rep1"], bid=bid, reason="x")
    with pytest.raises(Conflict):
        services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="1000", method="bank_transfer")
    assert Bid.objects.filter(pk=bid.pk, status="lost").exists()


def test_abandon_needs_a_reason_and_starts_the_refund_clock(org):
    bid = routed_bid(org)
    with pytest.raises(Invalid):
        services.bid_abandon(actor=org["rep1"], bid=bid, reason="")
    bid = services.bid_abandon(actor=org["rep1"], bid=bid, reason="流标")
    assert (bid.status, bid.abandon_reason, bid.result_known_on) == ("abandoned", "流标", TODAY)


def test_bond_lifecycle_with_conversion_and_warnings(org):
    bid = submitted_bid(org)
    with pytest.raises(PermissionDenied):
        services.bond_create(actor=org["rep1"], bid=bid, kind="bid", amount="24000", method="bank_transfer")
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="30000", method="bank_transfer")
    assert services.bond_warnings(bond) and "2%" in services.bond_warnings(bond)[0]  # 2% of 1,200,000 = 24,000
    bond = services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY, reference="HX20261127")
    with pytest.raises(Conflict):
        services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY)
    with pytest.raises(Conflict):
        services.bond_convert_to_performance(actor=org["assistant1"], bond=bond)  # bid not won yet
    bid = services.opening_record(actor=org["rep1"], bid=fresh(bid), opened_at=timezone.now(), entries=ENTRIES_WON,
                                  winner=ENTRIES_WON[0]["bidder"])
    services.bid_mark_won(actor=org["rep1"], bid=bid)
    bond = services.bond_convert_to_performance(actor=org["assistant1"], bond=Bond.objects.get(pk=bond.pk))
    performance = bond.converted_to
    assert bond.status == "converted_to_performance"
    assert (performance.kind, performance.status, performance.amount) == ("performance", "paid", bond.amount)


def test_refund_rules(org):
    bid = submitted_bid(org)
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="20000", method="bank_guarantee")
    bond = services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY - timedelta(days=10))
    with pytest.raises(Invalid) as err:
        services.bond_refund(actor=org["assistant1"], bond=bond, refunded_on=TODAY, amount="20000.01")
    assert "amount" in err.value.fields
    with pytest.raises(Invalid) as err:
        services.bond_refund(actor=org["assistant1"], bond=bond, refunded_on=TODAY - timedelta(days=11), amount="1")
    assert "refunded_on" in err.value.fields
    bond = services.bond_refund(actor=org["assistant1"], bond=bond, refunded_on=TODAY, amount="20000",
                                interest="12.34")
    assert (bond.status, str(bond.refunded_principal), str(bond.refund_interest)) == ("refunded", "20000.00", "12.34")


def test_overdue_detection_with_a_controllable_clock(org):
    bid = opened_bid(org, won=False)
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="10000", method="bank_transfer")
    services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY)
    bid = services.bid_mark_lost(actor=org["rep1"], bid=fresh(bid))
    assert selectors.refund_due_on(Bond.objects.get(pk=bond.pk)) == TODAY + timedelta(days=5)
    overdue = selectors.BondFilters(overdue=True)
    assert list(selectors.bond_list(actor=org["assistant1"], filters=overdue, today=TODAY + timedelta(days=5))) == []
    late = selectors.bond_list(actor=org["assistant1"], filters=overdue, today=TODAY + timedelta(days=6))
    assert [b.pk for b in late] == [bond.pk]
    assert [b.pk for b in reminders.overdue_bonds(today=TODAY + timedelta(days=6))] == [bond.pk]
    assert selectors.money_out(selectors.bond_list(actor=org["market1"])) == {"CNY": "10000.00"}
    assert list(selectors.bond_list(actor=org["rep2"])) == []


def test_winner_bond_is_due_five_days_after_the_contract_is_signed(org):
    bid = opened_bid(org, won=True)
    bond = services.bond_create(actor=org["assistant1"], bid=bid, kind="bid", amount="10000", method="bank_transfer")
    bond = services.bond_pay(actor=org["assistant1"], bond=bond, paid_on=TODAY)
    services.bid_mark_won(actor=org["rep1"], bid=fresh(bid))
    assert selectors.refund_due_on(Bond.objects.get(pk=bond.pk)) is None  # no contract yet
    Bid.objects.filter(pk=bid.pk).update(contract_signed_on=TODAY)
    assert selectors.refund_due_on(Bond.objects.get(pk=bond.pk)) == TODAY + timedelta(days=5)


def test_reminders_reach_the_inbox_and_notify_once_a_day(org):
    from opsmon.core.inbox import items_for
    bid = routed_bid(org)
    services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=timezone.now() + timedelta(days=2))
    kinds = [i.kind for i in items_for(org["rep1"])]
    assert "bid.deadline_soon" in kinds
    assert "bid.deadline_soon" not in [i.kind for i in items_for(org["rep2"])]
    sent = send_reminders()
    assert sent >= 1 and send_reminders() == 0
    assert Notification.objects.filter(recipient=org["rep1"], url=f"/bids/{bid.pk}/").count() == 1


def test_finished_bid_without_summary_is_reminded(org):
    from opsmon.core.inbox import items_for
    bid = routed_bid(org)
    services.bid_abandon(actor=org["rep1"], bid=bid, reason="放弃")
    assert "bid.summary_missing" in [i.kind for i in items_for(org["rep1"])]


def test_demo_data_has_bids_and_bonds_in_every_state(org):
    from opsmon.bids import demo
    from opsmon.bids.choices import BidStatus, BondStatus
    from opsmon.opportunities import demo as opportunity_demo
    from opsmon.projects import demo as project_demo
    opportunity_demo.load()
    project_demo.load()
    demo.load()
    demo.load()
    assert set(Bid.objects.values_list("status", flat=True)) == set(BidStatus.values)
    assert Bid.objects.filter(closed_at__isnull=False).exists()
    assert set(Bond.objects.values_list("status", flat=True)) == set(BondStatus.values)
