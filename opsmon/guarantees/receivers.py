"""Where the guarantee letters show on lower modules' pages (their hooks, core.hooks): the letters of a bid's bonds
on the bid page, a contract's letters on the contract page, each with the link to register one where the viewer
may."""

from django.urls import reverse
from django.utils import timezone

from opsmon.bids import hooks as bid_hooks
from opsmon.bids.models import Bond
from opsmon.contracts import hooks as contract_hooks

from . import rules, selectors
from .choices import LETTER_METHODS

TEMPLATE = "guarantees/_section.html"


def _rows(letters) -> list:
    today = timezone.localdate()
    for letter in letters:
        letter.flagged = selectors.is_flagged(letter, today)
        letter.expired = letter.valid_to < today
        letter.url = reverse("guarantees:detail", args=[letter.pk])
    return letters


@bid_hooks.detail_sections.connect
def bid_letters(*, request, bid, **_context):
    """The letters of the bid's bonds; "register" for each bond paid by letter the viewer may register one on."""
    bonds = list(Bond.objects.filter(bid=bid).order_by("created_at", "id"))
    letters = selectors.letters_of_bond_ids([b.pk for b in bonds])
    register = []
    for bond in bonds:
        bond.bid = bid
        if bond.method in LETTER_METHODS and rules.can_register(request.user, bond=bond) is None:
            register.append({"label": f"{bond.get_kind_display()} {bond.amount:,.2f} {bond.currency}",
                             "url": reverse("guarantees:register_bond", args=[bond.pk])})
    if not letters and not register:
        return None
    return {"template": TEMPLATE, "letters": _rows(letters), "register": register, "on_bond": True}


@contract_hooks.detail_sections.connect
def contract_letters(*, request, contract, **_context):
    letters = selectors.letters_of_contract(contract)
    register = []
    if rules.can_register(request.user, contract=contract) is None:
        register.append({"label": contract.number, "url": reverse("guarantees:register_contract",
                                                                  args=[contract.pk])})
    if not letters and not register:
        return None
    return {"template": TEMPLATE, "letters": _rows(letters), "register": register, "on_bond": False}
