"""bids.rules is the one answer to "may this user do this now?": for every action × every state × every demo user,
the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔ the bid's page shows its
`data-action` button; a refused action raises the rule's refusal, with its status."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opsmon.bids import rules, services
from opsmon.bids.models import Bid, Bond
from opsmon.bids.services.intake import tender_intake_read
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons

from .factories import ENTRIES_WON, opened_bid, routed_bid, submitted_bid

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SUMMARY = {"person_days": "3", "cost": "1000", "outcome_reason": "矩阵", "lessons": "矩阵"}
TODAY = timezone.localdate()
# Actions the API offers and the page does not (renaming a bid is PATCH /api/v1/bids/{id} only).
API_ONLY = {"edit"}


def _bid_calls():
    return {
        "edit": lambda u, b: services.bid_update(actor=u, bid=b, version=b.version, title="矩阵改名"),
        "save_analysis": lambda u, b: services.tender_analysis_save(actor=u, bid=b, risks="矩阵"),
        "intake": lambda u, b: tender_intake_read(actor=u, bid=b, text="招标人：某市公共资源交易中心"),
        "upload_document": lambda u, b: services.document_upload(
            actor=u, bid=b, kind="result", upload=SimpleUploadedFile("结果.pdf", PDF)),
        "start_preparation": lambda u, b: services.bid_start_preparation(actor=u, bid=b),
        "submit": lambda u, b: services.bid_submit(actor=u, bid=b),
        "record_opening": lambda u, b: services.opening_record(actor=u, bid=b, opened_at=timezone.now(),
                                                               entries=ENTRIES_WON, winner=ENTRIES_WON[0]["bidder"]),
        "mark_won": lambda u, b: services.bid_mark_won(actor=u, bid=b),
        "mark_lost": lambda u, b: services.bid_mark_lost(actor=u, bid=b),
        "create_contract": lambda u, b: services.bid_create_contract(actor=u, bid=b),
        "save_summary": lambda u, b: services.summary_save(actor=u, bid=b, **SUMMARY),
        "close": lambda u, b: services.bid_close(actor=u, bid=b),
        "abandon": lambda u, b: services.bid_abandon(actor=u, bid=b, reason="矩阵"),
        "plan_bond": lambda u, b: services.bond_create(actor=u, bid=b, kind="bid", amount="1000",
                                                       method="bank_transfer"),
    }


BOND_CALLS = {
    "pay": lambda u, b: services.bond_pay(actor=u, bond=b, paid_on=TODAY, reference="矩阵"),
    "refund": lambda u, b: services.bond_refund(actor=u, bond=b, refunded_on=TODAY, amount=str(b.amount)),
    "forfeit": lambda u, b: services.bond_forfeit(actor=u, bond=b, reason="矩阵"),
    "convert_to_performance": lambda u, b: services.bond_convert_to_performance(actor=u, bond=b),
}


def _with_team(bid, org):
    bid.opportunity.members.add(org["rep1b"])  # rep1b works on rep1's bids as a team member
    return Bid.objects.get(pk=bid.pk)


def _bid_states(org) -> dict[str, Bid]:
    """One bid per state the rules tell apart, all rep1's (销售一部), rep1b in the opportunity's team."""
    rep, deadline = org["rep1"], timezone.now() + timedelta(days=10)
    states = {"registered": routed_bid(org)}
    bid = routed_bid(org)
    bid = services.tender_analysis_save(actor=rep, bid=bid, submission_deadline=deadline)
    states["preparing"] = services.bid_start_preparation(actor=rep, bid=bid)
    states["preparing_no_deadline"] = services.bid_start_preparation(actor=rep, bid=routed_bid(org))
    states["submitted"] = submitted_bid(org)
    states["opened_won"] = opened_bid(org, won=True)
    states["opened_lost"] = opened_bid(org, won=False)
    states["won"] = services.bid_mark_won(actor=rep, bid=opened_bid(org, won=True))
    contracted = services.bid_mark_won(actor=rep, bid=opened_bid(org, won=True))
    services.bid_create_contract(actor=rep, bid=contracted)
    states["won_with_contract"] = contracted
    states["lost"] = services.bid_mark_lost(actor=rep, bid=opened_bid(org, won=False))
    states["abandoned"] = services.bid_abandon(actor=rep, bid=routed_bid(org), reason="流标")
    summarised = services.bid_abandon(actor=rep, bid=routed_bid(org), reason="流标")
    services.summary_save(actor=rep, bid=summarised, **SUMMARY)
    states["abandoned_with_summary"] = summarised
    closed = services.bid_mark_lost(actor=rep, bid=opened_bid(org, won=False))
    services.summary_save(actor=rep, bid=closed, **SUMMARY)
    states["closed"] = services.bid_close(actor=rep, bid=Bid.objects.get(pk=closed.pk))
    return {name: _with_team(bid, org) for name, bid in states.items()}


def test_every_bid_action_in_every_state_for_every_user(org, browser):
    states = _bid_states(org)
    calls = _bid_calls()
    assert set(calls) == set(rules.RULES)
    seen_allowed = set()
    for state, bid in states.items():
        for username in USERS:
            user = org[username]
            allowed = rules.allowed_actions(user, Bid.objects.get(pk=bid.pk))
            response = browser(username).get(reverse("bids:detail", args=[bid.pk]))
            if response.status_code == 404:  # outside his scope: no page, and nothing he may do
                assert allowed == [], (state, username)
                shown = set()
            else:
                # The bid's own actions: the card outside the bond table (bond buttons are checked below).
                html = response.content.decode()
                html = re.sub(r'<tbody data-testid="bond".*?</tbody>', "", html, flags=re.S)
                shown = buttons(html)
            record = Bid.objects.get(pk=bid.pk)
            for action, call in calls.items():
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, record)
                if error is None:  # the service changed the instance before the rollback: read it again
                    record = Bid.objects.get(pk=bid.pk)
                page = response.status_code == 200 and action not in API_ONLY
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error,
                              shown=shown if page else None)
                if action in allowed:
                    seen_allowed.add(action)
    assert seen_allowed == set(rules.RULES)  # every action is allowed somewhere: the walk proves something


def _bond_states(org) -> dict[str, Bond]:
    """One bond per state the bond rules tell apart."""
    assistant = org["assistant1"]

    def plan(bid, kind="bid"):
        return services.bond_create(actor=assistant, bid=bid, kind=kind, amount="20000", method="bank_transfer")

    def pay(bond):
        return services.bond_pay(actor=assistant, bond=bond, paid_on=TODAY)

    submitted = submitted_bid(org)
    won = services.bid_mark_won(actor=org["rep1"], bid=opened_bid(org, won=True))
    states = {"planned": plan(submitted), "paid": pay(plan(submitted)), "paid_of_won_bid": pay(plan(won)),
              "paid_performance": pay(plan(won, kind="performance")),
              "refunded": services.bond_refund(actor=assistant, bond=pay(plan(submitted)), refunded_on=TODAY,
                                               amount="20000"),
              "forfeited": services.bond_forfeit(actor=assistant, bond=pay(plan(submitted)), reason="违约"),
              "converted": services.bond_convert_to_performance(actor=assistant, bond=pay(plan(won)))}
    lost = opened_bid(org, won=False)
    states["paid_of_lost_bid"] = pay(plan(lost))
    services.bid_mark_lost(actor=org["rep1"], bid=Bid.objects.get(pk=lost.pk))
    for bond in states.values():
        _with_team(bond.bid, org)
    return states


def test_every_bond_action_in_every_state_for_every_user(org, browser):
    states = _bond_states(org)
    assert set(BOND_CALLS) == set(rules.BOND_RULES)
    seen_allowed = set()
    for state, bond in states.items():
        for username in USERS:
            user = org[username]
            allowed = rules.bond_allowed_actions(user, Bond.objects.get(pk=bond.pk))
            response = browser(username).get(reverse("bids:detail", args=[bond.bid_id]))
            shown = set()
            if response.status_code == 200:
                html = response.content.decode()
                row = re.search(rf'<tbody data-testid="bond" data-bond="{bond.pk}">.*?</tbody>', html, flags=re.S)
                shown = buttons(row.group(0)) if row else set()
            record = Bond.objects.get(pk=bond.pk)
            for action, call in BOND_CALLS.items():
                rule = rules.BOND_RULES[action](user, record)
                error = attempt(call, user, record)
                if error is None:  # the service changed the instance before the rollback: read it again
                    record = Bond.objects.get(pk=bond.pk)
                where = (action, state, username)
                assert_agrees(where, allowed=allowed, rule=rule, error=error,
                              shown=shown if response.status_code == 200 else None)
                if response.status_code != 200 and action in allowed:
                    pytest.fail(f"{where}: allowed on a bond whose bid the user cannot see")
                if action in allowed:
                    seen_allowed.add(action)
    assert seen_allowed == set(rules.BOND_RULES)
