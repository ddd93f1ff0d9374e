"""The letter pages: the list (nav entry, the 30-day filter), registering on a bond or a contract, the detail with
its periods and buttons, each action one POST that calls one service or changes nothing, and the letters shown on
their bid's and contract's pages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from opsmon.contracts.tests.factories import draft
from opsmon.core.events import label
from opsmon.guarantees import services
from opsmon.guarantees.models import GuaranteeLetter, LetterPeriod

from .factories import bond_letter, contract_letter, letter_bond

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def form(**overrides):
    values = {"bank": "中国农业银行", "number": "BG-WEB-1", "amount": "18000", "beneficiary": "某市水务集团",
              "valid_from": (TODAY - timedelta(days=5)).isoformat(),
              "valid_to": (TODAY + timedelta(days=60)).isoformat()}
    values.update(overrides)
    return values


def test_the_list_is_in_the_assistants_navigation_and_filters_the_expiring(org, browser):
    soon = bond_letter(org, number="SOON", valid_to=TODAY + timedelta(days=10))
    later = bond_letter(org, number="LATER", valid_to=TODAY + timedelta(days=100))
    page = browser("assistant1").get(reverse("guarantees:list")).content.decode()
    assert f'href="{reverse("guarantees:list")}"' in page
    assert f'data-letter="{soon.pk}"' in page and f'data-letter="{later.pk}"' in page
    page = browser("assistant1").get(reverse("guarantees:list"), {"expiring_within": 30}).content.decode()
    assert f'data-letter="{soon.pk}"' in page and f'data-letter="{later.pk}"' not in page
    assert 'data-testid="letter-flag"' in page
    nav = browser("rep2").get(reverse("guarantees:list")).content.decode()
    assert f'href="{reverse("guarantees:list")}"' not in nav and 'data-testid="letter-row"' not in nav


def test_the_bid_page_shows_its_bonds_letters_and_offers_registering_to_the_assistant(org, browser):
    bond = letter_bond(org)
    letter = bond_letter(org, bond=bond)
    bid_url = reverse("bids:detail", args=[bond.bid_id])
    page = browser("assistant1").get(bid_url).content.decode()
    assert f'data-letter="{letter.pk}"' in page
    assert reverse("guarantees:register_bond", args=[bond.pk]) in page
    page = browser("rep1").get(bid_url).content.decode()
    assert f'data-letter="{letter.pk}"' in page and 'data-testid="letter-register"' not in page
    # the row written on the bond shows in the bid page's history
    assert escape(services._describe(letter)) in page


def test_the_contract_page_shows_its_letters(org, browser):
    contract = draft(org, "rep1")
    page = browser("rep1").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert reverse("guarantees:register_contract", args=[contract.pk]) in page
    letter = contract_letter(org, contract=contract)
    page = browser("rep1").get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert f'data-letter="{letter.pk}"' in page
    assert browser("head1").get(reverse("guarantees:register_contract", args=[contract.pk])).status_code == 403
    assert browser("rep2").get(reverse("guarantees:register_contract", args=[contract.pk])).status_code == 404


def test_registering_on_a_bond(org, browser):
    bond = letter_bond(org)
    url = reverse("guarantees:register_bond", args=[bond.pk])
    client = browser("assistant1")
    assert client.get(url).status_code == 200
    response = client.post(url, form(amount="99999", valid_to=(TODAY - timedelta(days=30)).isoformat()))
    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-field-error="amount"' in page and 'data-field-error="valid_to"' in page and "BG-WEB-1" in page
    assert not GuaranteeLetter.objects.exists()
    response = client.post(url, form())
    letter = GuaranteeLetter.objects.get()
    assert response.status_code == 302 and response.url == reverse("guarantees:detail", args=[letter.pk])
    assert browser("rep1").get(url).status_code == 403
    assert browser("rep2").get(url).status_code == 404


def test_extend_and_release_from_the_detail_page(org, browser):
    letter = bond_letter(org)
    client = browser("assistant1")
    detail = reverse("guarantees:detail", args=[letter.pk])
    page = client.get(detail).content.decode()
    assert 'data-action="extend"' in page and 'data-action="release"' in page
    assert 'data-action' not in browser("rep1").get(detail).content.decode()
    client = browser("assistant1")  # one test client: log the assistant in again
    response = client.post(reverse("guarantees:extend", args=[letter.pk]),
                           {"extend-valid_to": letter.valid_to.isoformat(), "extend-note": "早了"})
    assert response.status_code == 422 and 'data-field-error="valid_to"' in response.content.decode()
    assert LetterPeriod.objects.filter(letter=letter).count() == 1
    new_end = letter.valid_to + timedelta(days=90)
    response = client.post(reverse("guarantees:extend", args=[letter.pk]),
                           {"extend-valid_to": new_end.isoformat(), "extend-note": "延期"})
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert page.count('data-testid="letter-period"') == 2 and "延期" in page
    with translation.override("zh-hans"):  # the page's language: each history row by its label, never a key
        assert escape(label("guaranteeletter.extend")) in page and "guaranteeletter.extend" not in page
    response = client.post(reverse("guarantees:release", args=[letter.pk]),
                           {"release-released_on": (TODAY + timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and GuaranteeLetter.objects.get(pk=letter.pk).status == "active"
    response = browser("rep1").post(reverse("guarantees:release", args=[letter.pk]),
                                    {"release-released_on": TODAY.isoformat()})
    assert response.status_code == 403
    client = browser("assistant1")
    response = client.post(reverse("guarantees:release", args=[letter.pk]),
                           {"release-released_on": TODAY.isoformat()})
    assert response.status_code == 302 and GuaranteeLetter.objects.get(pk=letter.pk).status == "released"
    page = client.get(detail).content.decode()
    assert 'data-action' not in page and 'data-testid="letter-released-on"' in page
    assert browser("rep2").get(detail).status_code == 404
