"""Letters made through the services, as the bid assistant and a contract's owner would make them."""

from datetime import timedelta

from django.utils import timezone

from opsmon.bids import services as bids
from opsmon.bids.tests.factories import routed_bid
from opsmon.contracts.tests.factories import draft
from opsmon.guarantees import services


def today():
    return timezone.localdate()


def letter_bond(org, *, owner="rep1", amount="20000", method="bank_guarantee", paid=True):
    """A bid bond paid by bank guarantee letter on a bid of `owner`'s."""
    assistant = org["assistant1"]
    bond = bids.bond_create(actor=assistant, bid=routed_bid(org, owner), kind="bid", amount=amount, method=method)
    if paid:
        bond = bids.bond_pay(actor=assistant, bond=bond, paid_on=today(), reference="保函")
    return bond


def data(**overrides) -> dict:
    start = today() - timedelta(days=30)
    values = {"bank": "中国银行北京分行", "number": "BG-2026-0001", "amount": "20000.00", "beneficiary": "某市水务集团",
              "valid_from": start, "valid_to": today() + timedelta(days=90)}
    values.update(overrides)
    return values


def bond_letter(org, *, actor="assistant1", bond=None, **overrides):
    bond = bond or letter_bond(org)
    return services.letter_register(actor=org[actor], bond=bond, **data(**overrides))


def contract_letter(org, *, actor="rep1", contract=None, **overrides):
    contract = contract or draft(org, "rep1")
    overrides.setdefault("number", "PG-2026-0001")
    overrides.setdefault("amount", "100000.00")
    return services.letter_register(actor=org[actor], contract=contract, **data(**overrides))
