"""guarantees.rules is the one answer to "may this user do this to this letter now?": for every action × every
state × every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔
the letter's page shows its `data-action` button; a refused action raises the rule's refusal, with its status.
Registering (no letter yet) is walked the same way against the bond's and the contract's states."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opsmon.bids import services as bids
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import draft
from opsmon.core.errors import NotFound
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.guarantees import rules, selectors, services
from opsmon.guarantees.models import GuaranteeLetter

from .factories import bond_letter, contract_letter, data, letter_bond

pytestmark = pytest.mark.django_db
USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")
TODAY = timezone.localdate()
CALLS = {
    "extend": lambda u, x: services.letter_extend(actor=u, letter=x, valid_to=x.valid_to + timedelta(days=30),
                                                  note="矩阵"),
    "release": lambda u, x: services.letter_release(actor=u, letter=x, released_on=TODAY),
}


def _states(org) -> dict[str, GuaranteeLetter]:
    keeper = org["assistant1"]
    states = {"bond_active": bond_letter(org, number="A1"), "contract_active": contract_letter(org, number="C1"),
              "bond_expired": bond_letter(org, number="A2", valid_to=TODAY - timedelta(days=2))}
    states["bond_released"] = services.letter_release(actor=keeper, letter=bond_letter(org, number="A3"),
                                                      released_on=TODAY)
    states["contract_released"] = services.letter_release(actor=keeper, letter=contract_letter(org, number="C2"),
                                                          released_on=TODAY)
    return states


def test_every_letter_action_in_every_state_for_every_user(org, browser):
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, letter in _states(org).items():
        for username in USERS:
            user = org[username]
            record = GuaranteeLetter.objects.get(pk=letter.pk)
            allowed = rules.allowed_actions(user, record)
            response = browser(username).get(reverse("guarantees:detail", args=[letter.pk]))
            visible = selectors.visible_letters(user).filter(pk=letter.pk).exists()
            assert response.status_code == (200 if visible else 404), (state, username)
            shown = buttons(response.content.decode()) if visible else None
            for action, call in CALLS.items():
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, record)
                record = GuaranteeLetter.objects.get(pk=letter.pk)
                where = (action, state, username)
                assert_agrees(where, allowed=allowed, rule=rule, error=error, shown=shown)
                if not visible and action in allowed:
                    pytest.fail(f"{where}: allowed on a letter the user cannot see")
                if action in allowed:
                    seen_allowed.add(action)
    assert seen_allowed == set(rules.RULES)


def _subjects(org) -> dict[str, dict]:
    keeper = org["assistant1"]
    refunded = bids.bond_refund(actor=keeper, bond=letter_bond(org), refunded_on=TODAY, amount="20000")
    archived = draft(org, "rep1")
    Contract.objects.filter(pk=archived.pk).update(status="archived")
    return {"planned_bond": {"bond": letter_bond(org, paid=False)}, "paid_bond": {"bond": letter_bond(org)},
            "refunded_bond": {"bond": refunded}, "draft_contract": {"contract": draft(org, "rep1")},
            "archived_contract": {"contract": Contract.objects.get(pk=archived.pk)}}


def _register(user, subject, number):
    return services.letter_register(actor=user, **subject, **data(number=number, amount="1000"))


def test_registering_on_every_subject_state_for_every_user(org, browser):
    seen = set()
    for state, subject in _subjects(org).items():
        bond, contract = subject.get("bond"), subject.get("contract")
        for username in USERS:
            user = org[username]
            url = reverse("guarantees:register_bond", args=[bond.pk]) if bond \
                else reverse("guarantees:register_contract", args=[contract.pk])
            try:
                (selectors.bond_for_letter(actor=user, pk=bond.pk) if bond
                 else selectors.contract_for_letter(actor=user, pk=contract.pk))
                visible = True
            except NotFound:
                visible = False
            rule = rules.can_register(user, **subject)
            error = attempt(_register, user, subject, f"R-{state}-{username}")
            assert (rule is None) is (error is None), (state, username, error and error.message)
            if error is not None:
                assert (error.status, error.code) == (rule.status, rule.code), (state, username)
            page = browser(username).get(url)
            expected = 404 if not visible else 200 if rule is None else rule.status
            assert page.status_code == expected, (state, username)
            if rule is None:
                assert visible, (state, username)
                seen.add(state)
    assert seen == {"planned_bond", "paid_bond", "draft_contract"}
