"""Outcomes flow back (DOMAIN.md "Lifecycle"): a bid lost or abandoned, a contract signed or terminated, a project
rejected or cancelled, and delivery reported by the outside system move the project and its opportunity, each with
a timeline row naming its cause and a webhook event."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from opsmon.accounts.models import User
from opsmon.bids import services as bid_services
from opsmon.bids.tests.factories import opened_bid, routed_bid
from opsmon.contracts import services as contract_services
from opsmon.contracts.tests import factories as contract_factories
from opsmon.core import events as core_events
from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.core.models import TimelineEntry
from opsmon.opportunities import services as opportunity_services
from opsmon.opportunities.models import Opportunity
from opsmon.projects import hooks, rules, services
from opsmon.projects.models import Project

from .factories import approved_project, converted_project


@pytest.fixture
def published():
    """The keys of the events published during the test."""
    seen = []

    def receiver(happening):
        seen.append(happening.key)

    core_events._subscribers.append(receiver)
    yield seen
    core_events._subscribers.remove(receiver)


@pytest.fixture
def integration(org):
    """A machine account of the outside project-monitoring system (role integration)."""
    user = User.objects.create_user(username="monitor", password="x" * 12, display_name="项目监控系统")
    user.groups.add(Group.objects.get(name="integration"))
    return User.objects.get(pk=user.pk)


def entries(record, action):
    return list(TimelineEntry.objects.filter(object_id=record.pk, action=action,
                                             content_type__model=record._meta.model_name))


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def abandoned(org):
    bid = routed_bid(org)
    return bid_services.bid_abandon(actor=org["rep1"], bid=bid, reason="流标")


# --- bid lost ------------------------------------------------------------------------------------------------

def test_a_lost_bid_makes_its_project_lost_and_closes_its_opportunity(org, published):
    bid = opened_bid(org, won=False)
    bid = bid_services.bid_mark_lost(actor=org["rep1"], bid=bid)
    project, opportunity = fresh(bid.project), fresh(bid.opportunity)
    assert project.status == "lost" and bid.number in project.close_reason
    assert (opportunity.status, opportunity.close_reason, opportunity.outcome) == ("closed", "lost_bid", "lost")
    [row] = entries(project, "project.bid_lost")
    assert (row.from_status, row.to_status, row.comment) == ("bidding", "lost", bid.number)
    [row] = entries(opportunity, "opportunity.lose")
    assert (row.from_status, row.to_status, row.comment) == ("converted", "closed", bid.number)
    assert {"bid.lost", "project.lost", "opportunity.lost"} <= set(published)
    # read-only from now on
    assert rules.allowed_actions(org["rep1"], project) == []
    assert rules.can_edit(org["head1"], project).code == "read_only"
    with pytest.raises(Conflict):
        opportunity_services.opportunity_reopen(actor=org["head1"], opportunity=opportunity)
    with pytest.raises(Conflict):
        opportunity_services.follow_up_add(actor=org["rep1"], opportunity=opportunity, happened_on=timezone.localdate(),
                                           kind="call", note="再跟进")
    with pytest.raises(Conflict):
        opportunity_services.opportunity_update(actor=org["rep1"], opportunity=opportunity,
                                                version=opportunity.version, member_ids=[org["rep1b"].pk])


def test_a_lost_bid_without_a_project_closes_its_opportunity_when_no_other_bid_is_live(org):
    from opsmon.opportunities.tests.factories import opportunity as make_opportunity
    opp = make_opportunity(org["rep1"])
    first = bid_services.bid_register(actor=org["assistant1"], opportunity=opp, title="一标段")
    second = bid_services.bid_register(actor=org["assistant1"], opportunity=opp, title="二标段")
    now = timezone.now()
    for bid in (first, second):
        bid = bid_services.tender_analysis_save(actor=org["rep1"], bid=bid, submission_deadline=now + timedelta(days=3),
                                                opening_at=now + timedelta(days=3))
        bid = bid_services.bid_submit(actor=org["rep1"], bid=bid_services.bid_start_preparation(actor=org["rep1"],
                                                                                                 bid=bid))
        bid_services.opening_record(actor=org["rep1"], bid=bid, opened_at=now, winner="甲", entries=[
            {"bidder": "甲", "price": "100.00", "rank": 1}, {"bidder": "我方", "price": "120.00", "rank": 2,
                                                           "is_us": True}])
    bid_services.bid_mark_lost(actor=org["rep1"], bid=fresh(first))
    assert fresh(opp).status == "tracking"  # the second bid is still live
    bid_services.bid_mark_lost(actor=org["rep1"], bid=fresh(second))
    assert (fresh(opp).status, fresh(opp).outcome, fresh(opp).close_reason) == ("closed", "lost", "lost_bid")


# --- bid abandoned: retender or close ------------------------------------------------------------------------

def test_an_abandoned_bid_leaves_the_project_bidding_with_retender_and_close(org):
    bid = abandoned(org)
    project = fresh(bid.project)
    assert project.status == "bidding" and fresh(bid.opportunity).status == "converted"
    for user in ("rep1", "head1"):
        assert {"retender", "close"} <= set(rules.allowed_actions(org[user], project))
    for user in ("rep1b", "head2", "assistant1", "lead1"):
        assert isinstance(rules.can_retender(org[user], project), PermissionDenied)


def test_retender_registers_a_new_bid_and_refuses_while_it_is_open(org, published):
    bid = abandoned(org)
    project = fresh(bid.project)
    new = services.project_retender(actor=org["rep1"], project=project)
    assert new.pk != bid.pk and new.project_id == project.pk and new.status == "registered"
    project = fresh(project)
    assert project.status == "bidding"
    [row] = entries(project, "project.retender")
    assert row.comment == new.number
    assert "project.retendered" in published
    refusal = rules.can_retender(org["rep1"], project)
    assert refusal.code == "bid_open"
    with pytest.raises(Conflict):
        services.project_retender(actor=org["rep1"], project=project)
    with pytest.raises(Conflict):
        services.project_close(actor=org["rep1"], project=project, reason="放弃")


def test_retender_with_a_stale_project_is_409(org):
    bid = abandoned(org)
    stale = fresh(bid.project)
    services.project_retender(actor=org["rep1"], project=fresh(stale))
    bid_services.bid_abandon(actor=org["rep1"], bid=fresh(stale).bids.order_by("-id").first(), reason="再次流标")
    with pytest.raises(StaleVersion):
        services.project_retender(actor=org["rep1"], project=stale)


def test_close_after_an_abandoned_bid_loses_the_project_and_closes_the_opportunity(org, published):
    bid = abandoned(org)
    project = fresh(bid.project)
    with pytest.raises(Invalid) as excinfo:
        services.project_close(actor=org["rep1"], project=project, reason="  ")
    assert set(excinfo.value.fields) == {"reason"}
    assert fresh(project).status == "bidding"
    with pytest.raises(PermissionDenied):
        services.project_close(actor=org["rep2"], project=project, reason="放弃")
    project = services.project_close(actor=org["head1"], project=project, reason="客户改为单一来源采购")
    opportunity = fresh(project.opportunity)
    assert (project.status, project.close_reason) == ("lost", "客户改为单一来源采购")
    assert (opportunity.status, opportunity.outcome, opportunity.close_reason) == ("closed", "lost", "abandoned")
    assert entries(opportunity, "opportunity.lose")[0].comment == project.number
    assert {"project.lost", "opportunity.lost"} <= set(published)
    with pytest.raises(Conflict):  # a second close (a stale page) changes nothing
        services.project_close(actor=org["head1"], project=project, reason="再次")
    assert rules.allowed_actions(org["head1"], fresh(project)) == []


# --- contract signed / terminated ----------------------------------------------------------------------------

@pytest.fixture
def handoffs():
    """A receiver of projects.hooks.hand_off answering a hand-off id; records its calls."""
    calls = []

    def receiver(*, actor, project, contract):
        calls.append((project.pk, contract.pk if contract else None))
        return f"HO-{len(calls)}"

    hooks.hand_off.connect(receiver)
    yield calls
    hooks.hand_off._receivers.remove(receiver)


def _contract_review_project(org):
    contract_factories.routes(org)
    project = approved_project(org)
    result = services.project_route(actor=org["rep1"], project=project, to="contract_review")
    from opsmon.contracts.models import Contract
    contract = Contract.objects.get(pk=result["contract_id"])
    contract = contract_services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                                 **contract_factories.terms())
    contract = contract_factories.decide_all(contract_services.contract_submit(actor=org["rep1"], contract=contract))
    return fresh(project), contract


def _sign(org, contract):
    return contract_services.contract_sign(actor=org["rep1"], contract=contract, signed_on=timezone.localdate(),
                                           signed_copy=contract_factories.signed_copy())


def test_a_signed_contract_wins_the_project_and_hands_it_off(org, handoffs, published):
    project, contract = _contract_review_project(org)
    contract = _sign(org, contract)
    project, opportunity = fresh(project), fresh(project.opportunity)
    assert project.status == "won"
    assert (opportunity.status, opportunity.outcome) == ("converted", "won")  # its status history kept
    assert entries(project, "project.win")[0].comment == contract.number
    assert entries(opportunity, "opportunity.win")[0].comment == contract.number
    assert handoffs == [(project.pk, contract.pk)]
    assert {"contract.signed", "project.won", "opportunity.won"} <= set(published)
    assert rules.allowed_actions(org["rep1"], project) == []


def test_a_contract_from_a_won_bid_wins_its_project(org, handoffs):
    contract_factories.routes(org)
    bid = bid_services.bid_mark_won(actor=org["rep1"], bid=opened_bid(org, won=True))
    contract = bid_services.bid_create_contract(actor=org["rep1"], bid=bid)
    contract = contract_services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                                 **contract_factories.terms())
    contract = contract_factories.decide_all(contract_services.contract_submit(actor=org["rep1"], contract=contract))
    _sign(org, contract)
    assert fresh(bid.project).status == "won" and fresh(bid.opportunity).outcome == "won"
    assert handoffs == [(bid.project_id, contract.pk)]


def test_a_contract_straight_on_an_opportunity_marks_it_won(org):
    contract_factories.routes(org)
    contract = contract_factories.signed(org)
    assert fresh(contract.opportunity).outcome == "won"


def test_a_terminated_contract_terminates_the_project(org, published):
    project, contract = _contract_review_project(org)
    contract = _sign(org, contract)
    contract_services.contract_terminate(actor=org["head1"], contract=contract, reason="客户撤销")
    project = fresh(project)
    assert project.status == "terminated"
    assert contract.number in entries(project, "project.terminate")[0].comment
    assert "project.terminated" in published


def test_routing_to_implementation_answers_the_hand_off_id(org, handoffs):
    project = approved_project(org)
    result = services.project_route(actor=org["rep1"], project=project, to="implementation")
    assert result["handoff_id"] == "HO-1" and handoffs == [(project.pk, None)]


def test_routing_to_implementation_without_a_listener_answers_the_event_id(org):
    result = services.project_route(actor=org["rep1"], project=approved_project(org), to="implementation")
    assert len(result["handoff_id"]) == 36  # the event's uuid


# --- rejected / cancelled ------------------------------------------------------------------------------------

def test_a_rejected_project_closes_its_opportunity(org, published):
    project = approved_project(org)  # approved: cancel it; a pending one is rejected below
    services.project_cancel(actor=org["rep1"], project=project, reason="客户取消")
    opportunity = fresh(project.opportunity)
    assert (opportunity.status, opportunity.outcome) == ("closed", "lost")
    assert entries(opportunity, "opportunity.lose")[0].comment == project.number
    assert {"project.cancelled", "opportunity.lost"} <= set(published)

    other = converted_project(org)
    other = services.project_assign_lead(actor=org["head1"], project=other, tech_lead=org["lead1"])
    from .factories import REVIEW
    services.feasibility_save(actor=org["lead1"], project=other, **REVIEW)
    other = services.project_submit_feasibility(actor=org["lead1"], project=other)
    services.project_reject(actor=org["head1"], project=other, comment="不做")
    assert (fresh(other.opportunity).status, fresh(other.opportunity).outcome) == ("closed", "lost")
    assert "project.rejected" in published


def test_cancel_never_applies_to_an_ended_or_won_project():
    for status in ("won", "in_delivery", "delivered", "accepted", "terminated", "lost"):
        assert status not in rules.TRANSITIONS["cancel"][0]
        assert status in rules.FINAL


# --- delivery reported by the outside system -----------------------------------------------------------------

def _won(org):
    project, contract = _contract_review_project(org)
    _sign(org, contract)
    return fresh(project)


def report(actor, project, event, **kwargs):
    return services.project_delivery_event(actor=actor, project=project, event=event,
                                           at=kwargs.pop("at", timezone.now()), source="项目监控系统", **kwargs)


def test_delivery_runs_from_won_to_accepted(org, integration, published):
    project = _won(org)
    project = report(integration, project, "accepted", note="实施启动")
    assert project.status == "in_delivery"
    project = report(integration, project, "progress", percent=40, note="完成 40%")
    assert (project.status, project.delivery_percent) == ("in_delivery", 40)
    project = report(integration, project, "milestone_done", note="到货")
    project = report(integration, project, "halted", note="客户机房未就绪")
    assert project.status == "in_delivery"
    project = report(integration, project, "delivered", note="交付完成")
    assert (project.status, project.delivery_percent) == ("delivered", 100)
    project = report(integration, project, "customer_accepted", note="终验通过")
    assert project.status == "accepted"
    for action in ("project.delivery_accepted", "project.delivery_progress", "project.delivery_milestone_done",
                   "project.delivery_halted", "project.delivery_delivered", "project.delivery_customer_accepted"):
        [row] = entries(project, action)
        assert row.changes["source"] == [None, "项目监控系统"] and row.comment
    assert {"project.in_delivery", "project.delivery_progress", "project.milestone_done", "project.delivery_halted",
            "project.delivered", "project.accepted"} <= set(published)
    # the end: any further report is 409 with a clear message
    with pytest.raises(Conflict) as excinfo:
        report(integration, project, "progress", percent=100)
    assert excinfo.value.code == "project_ended" and project.number in str(excinfo.value.message)


def test_a_project_routed_to_implementation_starts_delivery(org, integration):
    project = approved_project(org)
    services.project_route(actor=org["rep1"], project=project, to="implementation")
    assert report(integration, fresh(project), "accepted").status == "in_delivery"


def test_only_the_integration_account_reports_delivery(org, integration):
    project = _won(org)
    for user in ("rep1", "head1", "admin", "market1"):
        with pytest.raises(PermissionDenied):
            report(org[user], project, "accepted")
    assert fresh(project).status == "won"


@pytest.mark.parametrize(("event", "kwargs"), [
    ("progress", {"percent": 10}), ("delivered", {}), ("customer_accepted", {})])
def test_a_report_that_does_not_fit_the_state_is_409(org, integration, event, kwargs):
    project = _won(org)
    with pytest.raises(Conflict) as excinfo:
        report(integration, project, event, **kwargs)
    assert excinfo.value.code == "wrong_state"
    assert fresh(project).status == "won"


@pytest.mark.parametrize("status", ["lost", "terminated", "cancelled", "rejected"])
def test_an_ended_project_refuses_every_report(org, integration, status):
    project = converted_project(org)
    Project.objects.filter(pk=project.pk).update(status=status)
    for event in rules.DELIVERY_EVENTS:
        refusal = rules.can_report_delivery(integration, fresh(project), event=event)
        assert isinstance(refusal, Conflict) and refusal.code == "project_ended"


def test_bad_delivery_input_is_one_422_and_changes_nothing(org, integration):
    project = report(integration, _won(org), "accepted")
    with pytest.raises(Invalid) as excinfo:
        services.project_delivery_event(actor=integration, project=project, event="progress", at="yesterday",
                                        percent=101, note="x" * 2001, source="s" * 101)
    assert set(excinfo.value.fields) == {"at", "percent", "note", "source"}
    with pytest.raises(Invalid) as excinfo:
        report(integration, project, "progress")
    assert set(excinfo.value.fields) == {"percent"}
    with pytest.raises(Invalid) as excinfo:
        report(integration, project, "exploded")
    assert set(excinfo.value.fields) == {"event"}
    assert (fresh(project).delivery_percent, fresh(project).version) == (project.delivery_percent, project.version)


def test_a_naive_time_is_taken_in_the_local_zone(org, integration):
    project = report(integration, _won(org), "accepted", at=datetime(2026, 5, 1, 9, 30))
    assert entries(project, "project.delivery_accepted")[0].changes["at"][1].startswith("2026-05-01T09:30:00+08")


def test_a_stale_progress_report_is_409(org, integration):
    project = report(integration, _won(org), "accepted")
    stale = fresh(project)
    report(integration, fresh(project), "progress", percent=20)
    # the service reloads the project: a concurrent report that moved the version first wins
    Project.objects.filter(pk=project.pk).update(status="delivered")
    with pytest.raises(Conflict):
        report(integration, stale, "progress", percent=30)


def test_every_lifecycle_action_and_event_is_declared():
    for key in ("project.bid_lost", "project.close", "project.retender", "project.win", "project.terminate",
                "project.delivery_accepted", "project.delivery_progress", "project.delivery_delivered",
                "project.delivery_customer_accepted", "project.delivery_halted", "project.delivery_milestone_done",
                "opportunity.lose", "opportunity.win"):
        assert core_events.is_action(key), key
    assert Opportunity._meta.get_field("outcome")


def test_the_demo_shows_how_projects_end(org):
    """The whole demo (projects, then bids and contracts finishing them): lost (by its bid, and closed after an
    abandoned bid), still bidding after an abandoned bid, won and terminated; the opportunities' outcomes."""
    from opsmon import demo
    demo.load()
    status = dict(Project.objects.values_list("title", "status"))
    assert status["电力调度数据网安全监测"] == "lost"
    assert status["政务热线系统运行监控"] == "lost"
    assert status["政务大厅排队叫号监控"] == "bidding"
    # won by its signed contract; the integrations demo then reports its delivery to the end
    assert status["银行自助设备集中监控"] in ("won", "in_delivery", "delivered", "accepted")
    assert entries(Project.objects.get(title="银行自助设备集中监控"), "project.win")
    assert status["银行机房能耗监测"] == "terminated"
    outcomes = dict(Opportunity.objects.values_list("title", "outcome"))
    assert outcomes["电力调度数据网安全监测"] == "lost" and outcomes["银行自助设备集中监控"] == "won"
    waiting = Project.objects.get(title="政务大厅排队叫号监控")
    assert {"retender", "close"} <= set(rules.allowed_actions(waiting.owner, waiting))
