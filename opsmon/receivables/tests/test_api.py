"""Receivables through real HTTP: finance records an invoice and a collection, every refusal's status and field,
the lists scoped to the contracts one sees, the ageing figure."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opsmon.contracts.models import Milestone
from opsmon.contracts.tests.factories import draft, routes, signed
from opsmon.receivables.models import Collection, Invoice

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def org(org):
    routes(org)
    return org


def paths(contract):
    m = contract.milestones.get(position=1)
    base = f"/api/v1/contracts/{contract.pk}/milestones/{m.pk}"
    return f"{base}/invoices", f"{base}/collections"


INVOICE = {"number": "INV-9", "invoice_type": "vat_special", "tax_rate": "13", "amount": "100000.00"}


def test_finance_records_and_everyone_who_sees_reads(http, org):
    contract = signed(org)
    invoices, collections = paths(contract)
    finance, rep, other = http("finance1"), http("rep1"), http("rep2")
    today = timezone.localdate().isoformat()
    listed = finance.get(invoices).json()
    assert listed["allowed_actions"] == ["record_invoice", "record_collection"]
    assert listed["milestone"]["planned"] == "300000.00" and listed["count"] == 0
    created = finance.post(invoices, json={**INVOICE, "issued_on": today})
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["invoice"]["amount"], body["milestone"]["invoiced"]) == ("100000.00", "100000.00")
    received = finance.post(collections, json={"amount": "60000.00", "received_on": today, "method": "bank_transfer",
                                               "reference": "BOC-1"})
    assert received.status_code == 201, received.text
    assert received.json()["milestone"]["outstanding"] == "240000.00"
    read = rep.get(collections).json()
    assert (read["count"], read["items"][0]["reference"], read["allowed_actions"]) == (1, "BOC-1", [])
    assert rep.get(invoices).json()["items"][0]["number"] == "INV-9"
    assert other.get(invoices).status_code == 404 and other.get(collections).status_code == 404
    timeline = [e["action"] for e in rep.get(f"/api/v1/contracts/{contract.pk}/timeline").json()]
    assert timeline[-2:] == ["receivable.invoice_recorded", "receivable.collection_recorded"]


def test_refusals_name_their_field_and_change_nothing(http, org):
    contract = signed(org)
    invoices, collections = paths(contract)
    finance, rep = http("finance1"), http("rep1")
    today = timezone.localdate()
    assert rep.post(invoices, json={**INVOICE, "issued_on": today.isoformat()}).status_code == 403
    cases = [({**INVOICE, "amount": "1.001", "issued_on": today.isoformat()}, "amount"),
             ({**INVOICE, "amount": "300000.01", "issued_on": today.isoformat()}, "amount"),
             ({**INVOICE, "tax_rate": "130", "issued_on": today.isoformat()}, "tax_rate"),
             ({**INVOICE, "issued_on": (today + timedelta(days=1)).isoformat()}, "issued_on"),
             ({**INVOICE, "issued_on": "2101-01-01"}, "issued_on"),
             ({**INVOICE, "invoice_type": "nope", "issued_on": today.isoformat()}, "invoice_type"),
             ({**INVOICE, "issued_on": today.isoformat(), "colour": "red"}, "colour")]
    for body, field in cases:
        answer = finance.post(invoices, json=body)
        assert answer.status_code == 422, (body, answer.text)
        assert any(field in k for k in answer.json()["error"]["fields"]), (field, answer.text)
    answer = finance.post(collections, json={"amount": "10.00", "received_on": today.isoformat(),
                                             "method": "bank_transfer"})
    assert answer.status_code == 422 and "amount" in answer.json()["error"]["fields"]  # nothing invoiced yet
    assert not Invoice.objects.exists() and not Collection.objects.exists()
    unsigned = draft(org, title="草稿")
    answer = finance.post(paths(unsigned)[0], json={**INVOICE, "issued_on": today.isoformat()})
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "wrong_state"
    other = signed(org, owner="rep2", title="乙")
    wrong = f"/api/v1/contracts/{contract.pk}/milestones/{other.milestones.first().pk}/invoices"
    assert finance.post(wrong, json={**INVOICE, "issued_on": today.isoformat()}).status_code == 404


def test_receivables_list_filters_and_ageing(http, org):
    mine, theirs = signed(org), signed(org, owner="rep2", title="乙")
    today = timezone.localdate()
    Milestone.objects.filter(contract=mine, position=2).update(due_on=today - timedelta(days=100))
    Milestone.objects.filter(contract=theirs, position=2).update(due_on=today - timedelta(days=10))
    finance, rep1, rep2 = http("finance1"), http("rep1"), http("rep2")
    everything = finance.get("/api/v1/receivables", params={"page_size": 200}).json()
    assert {r["contract"]["number"] for r in everything["items"]} == {mine.number, theirs.number}
    overdue = finance.get("/api/v1/receivables", params={"overdue": "true"}).json()
    assert sorted((r["contract"]["number"], r["bucket"], r["days_overdue"]) for r in overdue["items"]) == sorted(
        [(mine.number, "91-180", 100), (theirs.number, "0-30", 10)])
    assert overdue["items"][0]["amount"] == "700000.00" and overdue["items"][0]["outstanding"] == "700000.00"
    bucket = finance.get("/api/v1/receivables", params={"bucket": "0-30"}).json()
    assert [r["contract"]["number"] for r in bucket["items"]] == [theirs.number]
    owner = finance.get("/api/v1/receivables", params={"owner": org["rep1"].pk}).json()
    assert {r["contract"]["number"] for r in owner["items"]} == {mine.number}
    assert {r["contract"]["number"] for r in rep1.get("/api/v1/receivables").json()["items"]} == {mine.number}
    assert {r["contract"]["number"] for r in rep2.get("/api/v1/receivables").json()["items"]} == {theirs.number}
    assert finance.get("/api/v1/receivables", params={"bucket": "7"}).status_code == 422
    figure = finance.get("/api/v1/insights/receivables-ageing").json()
    buckets = {b["bucket"]: (b["count"], b["amount"]) for b in figure["buckets"]}
    assert buckets == {"0-30": (1, "700000.00"), "31-90": (0, "0.00"), "91-180": (1, "700000.00"),
                       "180+": (0, "0.00")}
    assert figure["overdue_amount"] == "1400000.00" and len(figure["forecast"]) == 12
    figure = rep2.get("/api/v1/insights/receivables-ageing").json()
    assert figure["overdue_count"] == 1 and figure["overdue_amount"] == "700000.00"
    assert http().get("/api/v1/receivables").status_code == 401
