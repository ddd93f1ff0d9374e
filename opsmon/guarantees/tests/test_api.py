"""/api/v1/guarantee-letters through real HTTP: register on a bond and on a contract, the list with
`expiring_within` and paging, the detail with its periods and `allowed_actions`, extend, release, the timeline,
bad input (422 naming the field, nothing changed), refusals and scoping."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.contracts.tests.factories import draft
from opsmon.guarantees.models import GuaranteeLetter, LetterPeriod

from .factories import bond_letter, contract_letter, letter_bond

pytestmark = pytest.mark.django_db(transaction=True)
TODAY = timezone.localdate()


def body(**overrides):
    values = {"bank": "中国工商银行上海分行", "number": "BG-API-1", "amount": "15000.00", "beneficiary": "某市水务集团",
              "valid_from": (TODAY - timedelta(days=10)).isoformat(),
              "valid_to": (TODAY + timedelta(days=20)).isoformat()}
    values.update(overrides)
    return values


def test_register_list_extend_release(org, http):
    bond = letter_bond(org)
    assistant = http("assistant1")
    response = assistant.post("/api/v1/guarantee-letters", json=body(bond_id=bond.pk))
    assert response.status_code == 201, response.text
    letter = response.json()
    assert (letter["amount"], letter["currency"], letter["status"], letter["flagged"], letter["still_needed"]) == (
        "15000.00", "CNY", "active", True, True)
    assert letter["bond"]["bid"]["id"] == bond.bid_id and letter["contract"] is None
    assert letter["allowed_actions"] == ["extend", "release"] and len(letter["periods"]) == 1

    contract = draft(org, "rep1")
    owner = http("rep1")
    response = owner.post("/api/v1/guarantee-letters", json=body(contract_id=contract.pk, number="PG-API-1",
                                                                   valid_to=(TODAY + timedelta(days=200)).isoformat()))
    assert response.status_code == 201, response.text
    on_contract = response.json()
    assert on_contract["contract"] == {"id": contract.pk, "number": contract.number}

    listed = assistant.get("/api/v1/guarantee-letters", params={"expiring_within": 30}).json()
    assert [i["id"] for i in listed["items"]] == [letter["id"]] and listed["count"] == 1
    everything = assistant.get("/api/v1/guarantee-letters", params={"page_size": 1, "page": 2}).json()
    assert everything["count"] == 2 and [i["id"] for i in everything["items"]] == [on_contract["id"]]
    assert owner.get("/api/v1/guarantee-letters").json()["count"] == 2  # his bid's bond and his contract

    new_end = (TODAY + timedelta(days=120)).isoformat()
    response = assistant.post(f"/api/v1/guarantee-letters/{letter['id']}/extend",
                              json={"valid_to": new_end, "note": "延期至验收"})
    assert response.status_code == 200, response.text
    extended = response.json()
    assert extended["valid_to"] == new_end and extended["flagged"] is False
    assert [(p["position"], p["note"]) for p in extended["periods"]] == [(1, ""), (2, "延期至验收")]

    response = assistant.post(f"/api/v1/guarantee-letters/{letter['id']}/release",
                              json={"released_on": TODAY.isoformat()})
    assert response.status_code == 200, response.text
    released = response.json()
    assert (released["status"], released["released_on"], released["allowed_actions"]) == (
        "released", TODAY.isoformat(), [])
    assert released["released_by"]["username"] == "assistant1"
    timeline = assistant.get(f"/api/v1/guarantee-letters/{letter['id']}/timeline").json()
    assert [e["action"] for e in timeline] == ["guarantee.registered", "guaranteeletter.extend",
                                               "guaranteeletter.release"]
    assert all(e["action_label"] and e["action_label"] != e["action"] for e in timeline)
    response = assistant.post(f"/api/v1/guarantee-letters/{letter['id']}/extend", json={"valid_to": "2099-01-01"})
    assert response.status_code == 409 and response.json()["error"]["code"] == "released"


@pytest.mark.parametrize(("payload", "fields"), [
    ({"valid_to": (TODAY - timedelta(days=11)).isoformat()}, {"valid_to"}),
    ({"amount": "20000.01"}, {"amount"}),
    ({"bond_id": None}, {"bond_id", "contract_id"}),
    ({"contract_id": "contract"}, {"bond_id", "contract_id"}),
    ({"surprise": 1}, {"surprise"}),
])
def test_bad_input_is_a_422_naming_the_field(org, http, payload, fields):
    bond = letter_bond(org)
    if payload.get("contract_id") == "contract":
        payload = {**payload, "contract_id": draft(org, "rep1").pk}
    response = http("assistant1").post("/api/v1/guarantee-letters", json={**body(bond_id=bond.pk), **payload})
    assert response.status_code == 422, response.text
    assert fields <= set(response.json()["error"]["fields"]), response.text
    assert not GuaranteeLetter.objects.exists()


def test_action_bad_input_changes_nothing(org, http):
    letter = bond_letter(org)
    client = http("assistant1")
    response = client.post(f"/api/v1/guarantee-letters/{letter.pk}/extend",
                           json={"valid_to": letter.valid_to.isoformat()})
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"valid_to"}
    response = client.post(f"/api/v1/guarantee-letters/{letter.pk}/release",
                           json={"released_on": (TODAY + timedelta(days=1)).isoformat()})
    assert response.status_code == 422 and set(response.json()["error"]["fields"]) == {"released_on"}
    fresh = GuaranteeLetter.objects.get(pk=letter.pk)
    assert (fresh.status, fresh.valid_to, fresh.version) == ("active", letter.valid_to, 1)
    assert LetterPeriod.objects.filter(letter=letter).count() == 1


def test_refusals_and_scope(org, http):
    letter = bond_letter(org)
    on_contract = contract_letter(org)
    rep1, rep2 = http("rep1"), http("rep2")
    detail = rep1.get(f"/api/v1/guarantee-letters/{letter.pk}").json()
    assert detail["allowed_actions"] == []
    response = rep1.post(f"/api/v1/guarantee-letters/{letter.pk}/release", json={"released_on": TODAY.isoformat()})
    assert response.status_code == 403
    assert rep1.get(f"/api/v1/guarantee-letters/{on_contract.pk}").json()["allowed_actions"] == ["extend", "release"]
    for path in (f"/api/v1/guarantee-letters/{letter.pk}", f"/api/v1/guarantee-letters/{letter.pk}/timeline"):
        assert rep2.get(path).status_code == 404
    assert rep2.post(f"/api/v1/guarantee-letters/{letter.pk}/extend",
                     json={"valid_to": "2099-01-01"}).status_code == 404
    assert rep2.get("/api/v1/guarantee-letters").json() == {"items": [], "count": 0, "count_exact": True}
    assert rep2.post("/api/v1/guarantee-letters", json=body(bond_id=letter.bond_id, number="X")).status_code == 404
    assert rep2.post("/api/v1/guarantee-letters",
                     json=body(contract_id=on_contract.contract_id, number="Y")).status_code == 404
    assert rep1.post("/api/v1/guarantee-letters", json=body(bond_id=letter.bond_id, number="Z")).status_code == 403
    assert http().get("/api/v1/guarantee-letters").status_code == 401
    assert GuaranteeLetter.objects.count() == 2
