"""The letter rules and services, called as the web and API call them: each action allowed and refused, every bad
input refused with a 422 naming the field and nothing changed, the flags to the bid assistant."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.bids import services as bids
from opsmon.bids.models import Bid, Bond
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import draft
from opsmon.core import deadlines, timeline
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied, StaleVersion
from opsmon.core.inbox import items_for
from opsmon.guarantees import reminders, rules, selectors, services
from opsmon.guarantees.models import GuaranteeLetter, LetterPeriod

from .factories import bond_letter, contract_letter, data, letter_bond, today

pytestmark = pytest.mark.django_db


def actions(record):
    return [e.action for e in timeline.entries_for(record)]


def snapshot():
    return (list(GuaranteeLetter.objects.values()), list(LetterPeriod.objects.values()))


# --- registering --------------------------------------------------------------------------------------------------

def test_the_assistant_registers_a_letter_on_a_bond(org):
    bond = letter_bond(org)
    letter = services.letter_register(actor=org["assistant1"], bond=bond, **data())
    assert (letter.status, letter.amount, letter.currency, letter.registered_by) == (
        "active", bond.amount, "CNY", org["assistant1"])
    assert [(p.position, p.valid_from, p.valid_to) for p in letter.periods.all()] == [
        (1, letter.valid_from, letter.valid_to)]
    assert actions(letter) == ["guarantee.registered"]
    assert actions(bond)[-1] == "guarantee.registered"  # shown in the bond's history on its bid page


@pytest.mark.parametrize("username", ["rep1", "head1", "market1", "finance1"])
def test_others_may_not_register_a_bond_letter(org, username):
    bond = letter_bond(org)
    with pytest.raises(PermissionDenied):
        services.letter_register(actor=org[username], bond=bond, **data())
    assert not GuaranteeLetter.objects.exists()


@pytest.mark.parametrize("username", ["rep1", "assistant1", "admin"])
def test_the_owner_and_the_assistant_register_a_contract_letter(org, username):
    contract = draft(org, "rep1")
    letter = contract_letter(org, actor=username, contract=contract)
    assert letter.contract == contract and letter.bond is None
    assert actions(contract)[-1] == "guarantee.registered"


@pytest.mark.parametrize("username", ["rep1b", "head1", "market1", "finance1"])
def test_others_may_not_register_a_contract_letter(org, username):
    contract = draft(org, "rep1")  # rep1b is in its opportunity's team, head1 heads its department
    with pytest.raises(PermissionDenied):
        contract_letter(org, actor=username, contract=contract)
    assert not GuaranteeLetter.objects.exists()


def test_a_letter_is_on_a_bond_or_a_contract_never_both_nor_neither(org):
    bond, contract = letter_bond(org), draft(org, "rep1")
    for kwargs in ({"bond": bond, "contract": contract}, {}):
        with pytest.raises(Invalid) as error:
            services.letter_register(actor=org["assistant1"], **kwargs, **data())
        assert set(error.value.fields) == {"bond_id", "contract_id"}
    assert not GuaranteeLetter.objects.exists()


@pytest.mark.parametrize(("overrides", "fields"), [
    ({"valid_to": today() - timedelta(days=31)}, {"valid_to"}),
    ({"amount": "20000.01"}, {"amount"}),
    ({"amount": "0"}, {"amount"}),
    ({"amount": "-5"}, {"amount"}),
    ({"amount": "abc"}, {"amount"}),
    ({"bank": "", "number": " ", "beneficiary": "", "amount": "", "valid_from": None, "valid_to": ""},
     {"bank", "number", "beneficiary", "amount", "valid_from", "valid_to"}),
    ({"valid_from": "2026-13-01"}, {"valid_from"}),
    ({"bank": "银" * 201}, {"bank"}),
])
def test_bad_input_is_refused_naming_every_field_and_changes_nothing(org, overrides, fields):
    bond = letter_bond(org)
    before = snapshot()
    with pytest.raises(Invalid) as error:
        services.letter_register(actor=org["assistant1"], bond=bond, **data(**overrides))
    assert set(error.value.fields) == fields
    assert snapshot() == before and actions(bond)[-1] == "bond.pay"


def test_a_bond_paid_by_transfer_takes_no_letter(org):
    bond = letter_bond(org, method="bank_transfer")
    with pytest.raises(Invalid) as error:
        services.letter_register(actor=org["assistant1"], bond=bond, **data())
    assert set(error.value.fields) == {"bond_id"}


def test_the_same_letter_twice_is_refused(org):
    letter = bond_letter(org)
    with pytest.raises(Invalid) as error:
        contract_letter(org, number=letter.number, bank=letter.bank)
    assert set(error.value.fields) == {"number"}


def test_no_letter_on_a_settled_bond_a_closed_bid_or_a_contract_out_of_force(org):
    bond = letter_bond(org)
    refunded = bids.bond_refund(actor=org["assistant1"], bond=letter_bond(org), refunded_on=today(), amount="20000")
    with pytest.raises(Conflict):
        services.letter_register(actor=org["assistant1"], bond=refunded, **data())
    Bid.objects.filter(pk=bond.bid_id).update(closed_at=timezone.now())
    with pytest.raises(Conflict) as error:
        services.letter_register(actor=org["assistant1"], bond=Bond.objects.get(pk=bond.pk), **data())
    assert error.value.code == "bid_closed"
    contract = draft(org, "rep1")
    Contract.objects.filter(pk=contract.pk).update(status="terminated")
    with pytest.raises(Conflict):
        contract_letter(org, contract=Contract.objects.get(pk=contract.pk))
    assert not GuaranteeLetter.objects.exists()


# --- extending ----------------------------------------------------------------------------------------------------

def test_an_extension_adds_a_period_and_keeps_the_history(org):
    letter = bond_letter(org)
    first_end = letter.valid_to
    letter = services.letter_extend(actor=org["assistant1"], letter=letter, valid_to=first_end + timedelta(days=60),
                                    note="招标人要求延期")
    assert letter.valid_to == first_end + timedelta(days=60) and letter.version == 2
    periods = list(letter.periods.order_by("position"))
    assert [(p.position, p.valid_from, p.valid_to, p.note) for p in periods] == [
        (1, letter.valid_from, first_end, ""),
        (2, first_end + timedelta(days=1), first_end + timedelta(days=60), "招标人要求延期")]
    assert actions(letter) == ["guarantee.registered", "guaranteeletter.extend"]
    assert actions(letter.bond)[-1] == "guaranteeletter.extend"


@pytest.mark.parametrize("days", [0, -1])
def test_an_extension_must_end_later(org, days):
    letter = bond_letter(org)
    before = snapshot()
    with pytest.raises(Invalid) as error:
        services.letter_extend(actor=org["assistant1"], letter=letter, valid_to=letter.valid_to + timedelta(days=days))
    assert set(error.value.fields) == {"valid_to"}
    assert snapshot() == before


def test_extension_refusals(org):
    letter = bond_letter(org)
    later = letter.valid_to + timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.letter_extend(actor=org["rep1"], letter=letter, valid_to=later)
    with pytest.raises(Invalid) as error:
        services.letter_extend(actor=org["assistant1"], letter=letter, valid_to="", note="x" * 501)
    assert set(error.value.fields) == {"valid_to", "note"}
    stale = GuaranteeLetter.objects.get(pk=letter.pk)
    services.letter_extend(actor=org["assistant1"], letter=letter, valid_to=later)
    with pytest.raises(StaleVersion):
        services.letter_extend(actor=org["assistant1"], letter=stale, valid_to=later + timedelta(days=1))
    assert LetterPeriod.objects.filter(letter=letter).count() == 2


def test_the_contract_owner_extends_his_contract_letter(org):
    letter = contract_letter(org)
    letter = services.letter_extend(actor=org["rep1"], letter=letter, valid_to=letter.valid_to + timedelta(days=1))
    assert letter.periods.count() == 2
    with pytest.raises(PermissionDenied):
        services.letter_extend(actor=org["head1"], letter=letter, valid_to=letter.valid_to + timedelta(days=1))


# --- releasing ----------------------------------------------------------------------------------------------------

def test_a_release_is_recorded_like_a_refund_and_leaves_the_letter_read_only(org):
    letter = bond_letter(org)
    letter = services.letter_release(actor=org["assistant1"], letter=letter, released_on=today())
    assert (letter.status, letter.released_on, letter.released_by) == ("released", today(), org["assistant1"])
    assert actions(letter)[-1] == "guaranteeletter.release" and actions(letter.bond)[-1] == "guaranteeletter.release"
    assert rules.allowed_actions(org["assistant1"], letter) == []
    with pytest.raises(Conflict) as error:
        services.letter_extend(actor=org["assistant1"], letter=letter, valid_to=letter.valid_to + timedelta(days=9))
    assert error.value.code == "released"
    with pytest.raises(Conflict):
        services.letter_release(actor=org["assistant1"], letter=letter, released_on=today())


@pytest.mark.parametrize(("day", "field"), [(None, "released_on"), ("tomorrow", "released_on"),
                                            ("before", "released_on"), ("2026-02-30", "released_on")])
def test_release_bad_input(org, day, field):
    letter = bond_letter(org)
    day = {"tomorrow": today() + timedelta(days=1), "before": letter.valid_from - timedelta(days=1)}.get(day, day)
    before = snapshot()
    with pytest.raises(Invalid) as error:
        services.letter_release(actor=org["assistant1"], letter=letter, released_on=day)
    assert set(error.value.fields) == {field}
    assert snapshot() == before


@pytest.mark.parametrize("username", ["rep1", "head1", "market1"])
def test_others_may_not_release(org, username):
    letter = bond_letter(org)
    with pytest.raises(PermissionDenied):
        services.letter_release(actor=org[username], letter=letter, released_on=today())
    assert GuaranteeLetter.objects.get(pk=letter.pk).status == "active"


# --- visibility ---------------------------------------------------------------------------------------------------

def test_a_letter_is_seen_where_its_bid_or_contract_is(org):
    on_bond = bond_letter(org)
    on_contract = contract_letter(org)
    for username, seen in {"rep1": {on_bond.pk, on_contract.pk}, "rep1b": set(),
                           "head1": {on_bond.pk, on_contract.pk}, "rep2": set(), "head2": set(),
                           "assistant1": {on_bond.pk, on_contract.pk}, "market1": {on_bond.pk, on_contract.pk},
                           "lead1": {on_bond.pk}, "legal1": set()}.items():
        assert set(selectors.visible_letters(org[username]).values_list("pk", flat=True)) == seen, username
    with pytest.raises(NotFound):
        selectors.letter_get(actor=org["rep2"], pk=on_bond.pk)
    with pytest.raises(NotFound):
        selectors.contract_for_letter(actor=org["rep2"], pk=on_contract.contract_id)
    assert selectors.contract_for_letter(actor=org["assistant1"], pk=on_contract.contract_id)


# --- flagged to the bid assistant ----------------------------------------------------------------------------------

def test_expiring_and_expired_letters_still_needed_are_flagged_to_the_assistant(org):
    soon = bond_letter(org, number="SOON", valid_to=today() + timedelta(days=30))
    expired = bond_letter(org, number="GONE", valid_to=today() - timedelta(days=1))
    bond_letter(org, number="LATER", valid_to=today() + timedelta(days=31))
    settled = bond_letter(org, number="SETTLED", valid_to=today() + timedelta(days=3))
    bids.bond_refund(actor=org["assistant1"], bond=settled.bond, refunded_on=today(), amount="20000")
    released = bond_letter(org, number="RELEASED", valid_to=today() + timedelta(days=3))
    services.letter_release(actor=org["assistant1"], letter=released, released_on=today())
    ended = draft(org, "rep1", end_on=today() - timedelta(days=1), start_on=today() - timedelta(days=100))
    contract_letter(org, contract=ended, number="ENDED", valid_to=today() + timedelta(days=3))
    running = contract_letter(org, number="RUNNING", valid_to=today() + timedelta(days=10))

    flags = {f.letter.number: f.kind for f in reminders.flags_for(org["assistant1"])}
    assert flags == {"SOON": "guarantee.expiring", "GONE": "guarantee.expired", "RUNNING": "guarantee.expiring"}
    inbox = [i for i in items_for(org["assistant1"]) if i.record_type == "guarantee_letter"]
    assert {i.record_id for i in inbox} == {soon.pk, expired.pk, running.pk}
    assert all(i.url == f"/guarantee-letters/{i.record_id}/" and "guarantee." not in i.label for i in inbox)
    for username in ("rep1", "market1", "head1"):
        assert not reminders.flags_for(org[username])
    due = [d for d in reminders.letter_reminders(timezone.now())]
    assert {d.recipient.username for d in due} == {"assistant1"} and len(due) == 3
    assert any(expired.number in d.text for d in due)
    ends = [d for d in deadlines.for_user(org["assistant1"], start=today(), end=today() + timedelta(days=40))
            if d.kind == "guarantee.expiry"]
    assert {d.uid for d in ends} == {f"guarantee-{soon.pk}-expiry", f"guarantee-{running.pk}-expiry",
                                     f"guarantee-{GuaranteeLetter.objects.get(number='LATER').pk}-expiry"}
    assert not [d for d in deadlines.for_user(org["rep1"], start=today(), end=today() + timedelta(days=40))
                if d.kind == "guarantee.expiry"]


def test_an_extension_clears_the_flag(org):
    letter = bond_letter(org, valid_to=today() + timedelta(days=5))
    assert selectors.is_flagged(letter)
    letter = services.letter_extend(actor=org["assistant1"], letter=letter, valid_to=today() + timedelta(days=120))
    assert not selectors.is_flagged(letter) and not reminders.flags_for(org["assistant1"])
