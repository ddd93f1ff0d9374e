"""Access-matrix rows of the guarantee letters (issue 22 part 5). A letter of a bond is read by whoever sees the
bond's bid (the bid column; the bid assistant sees every letter, as every bond) and kept by the bond keepers (the
bond column: the bid assistant and the admin, 403 for everyone else who sees it, 404 for who does not). A letter of
a contract is registered by the contract's owner, the bid assistant and the admin (REGISTER_ON_CONTRACT); who reads
a contract's letters is asserted by opsmon/guarantees/tests (test_services, test_api), since a route names one
letter and each chain's is its bond's.

The data set's letters are released (read-only) and its bonds refunded on closed bids, so an authorised request is
refused for the state (409, OK) and nothing changes. world.py has no letter, so `build` is wrapped here to add one
released letter on each chain's bond (`letter_id`), as matrix_receivables.py does for its milestones; the lead may
move those lines into world.py. The wrapper marks itself with its own attribute and keeps the earlier wrappers'."""

from datetime import timedelta

from django.utils import timezone

from opsmon.bids.models import Bond
from opsmon.guarantees.models import GuaranteeLetter, LetterPeriod

from . import world
from .access_matrix import ANON, BOND, COLUMNS, CONTRACT, DENIED, HIDDEN, OK, chain, nothing, post, today

MARKERS = ("__wrapped__", "with_integration_account")


def _with_letters(build):
    def wrapped(org):
        built = build(org)
        assistant, day = org["assistant1"], timezone.localdate()
        for chain_, ids in built.ids.items():
            bond = Bond.objects.get(pk=ids["bond_id"])
            letter = GuaranteeLetter.objects.create(
                bond=bond, bank="矩阵银行", number=f"MX-BG-{chain_}", amount=bond.amount, currency=bond.currency,
                beneficiary="矩阵招标人", valid_from=day - timedelta(days=30), valid_to=day + timedelta(days=30),
                status="released", registered_by=assistant, released_on=day, released_by=assistant)
            LetterPeriod.objects.create(letter=letter, position=1, valid_from=letter.valid_from,
                                        valid_to=letter.valid_to, created_by=assistant)
            ids["letter_id"] = letter.pk
        return built
    wrapped.with_letters = True
    for name in MARKERS:  # keep the markers of the earlier wrappers visible to the later ones
        if hasattr(build, name):
            setattr(wrapped, name, getattr(build, name))
    return wrapped


if not getattr(world.build, "with_letters", False):
    world.build = _with_letters(world.build)


def _register_on_contract() -> dict:
    """Who may register a letter on the chain's contract: its owner, the bid assistant (who reaches any contract
    for this, without seeing it) and the admin; 403 for the others who see the contract, 404 for the rest."""
    cells = {}
    for (actor, relation), outcome in COLUMNS["ctr"].items():
        if actor in ("assistant1", "admin") or (outcome == OK and relation == "own"):
            cells[(actor, relation)] = OK
        else:
            cells[(actor, relation)] = DENIED if outcome == OK else HIDDEN
    return cells


REGISTER_ON_CONTRACT = _register_on_contract()
assert ANON not in REGISTER_ON_CONTRACT
LETTER = {"pk": "letter_id"}


def _letter_body(key: str):
    def body(i):
        return {key: i[key], "bank": "矩阵银行", "number": f"MX-NEW-{i['username']}", "amount": "1.00",
                "beneficiary": "矩阵", "valid_from": today(), "valid_to": today()}
    return body


def _web_letter(i):
    return {"bank": "矩阵银行", "number": f"MX-WEB-{i['username']}", "amount": "1.00", "beneficiary": "矩阵",
            "valid_from": today(), "valid_to": today()}


EXTEND = {"valid_to": "2099-12-31", "note": "矩阵"}

API = {
    "GET /api/v1/guarantee-letters": nothing("signed_in"),
    "POST /api/v1/guarantee-letters": chain("bond", body=_letter_body("bond_id"),
                                            note="the chain's bond in the body: a closed bid's, 409 once authorised"),
    "GET /api/v1/guarantee-letters/{letter_id}": chain("bid"),
    "GET /api/v1/guarantee-letters/{letter_id}/timeline": chain("bid"),
    "POST /api/v1/guarantee-letters/{letter_id}/extend": chain("bond", body=lambda i: EXTEND),
    "POST /api/v1/guarantee-letters/{letter_id}/release": chain("bond", body=lambda i: {"released_on": today()}),
}

WEB = {
    "guarantees:list": nothing("signed_in"),
    "guarantees:detail": chain("bid", args=LETTER),
    "guarantees:register_bond": post(chain("bond", args=BOND), body=_web_letter),
    "guarantees:register_contract": post(chain(REGISTER_ON_CONTRACT, args=CONTRACT), body=_web_letter),
    "guarantees:extend": post(chain("bond", args=LETTER), body=lambda i: {"extend-valid_to": "2099-12-31",
                                                                          "extend-note": "矩阵"}),
    "guarantees:release": post(chain("bond", args=LETTER), body=lambda i: {"release-released_on": today()}),
}
