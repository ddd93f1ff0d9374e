"""Recording invoices and collections: who may, on which contracts, every refusal (naming its field, changing
nothing), the sums, the milestones kept in place on edits and amendments, overdue and ageing, reminders and inbox."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from opsmon.contracts import services as contracts
from opsmon.contracts.models import Milestone
from opsmon.contracts.tests.factories import decide_all, draft, routes, signed, submitted
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for
from opsmon.core.models import TimelineEntry
from opsmon.core.reminders import due
from opsmon.receivables import selectors, services
from opsmon.receivables.models import Collection, Invoice
from opsmon.receivables.reminders import overdue_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(org):
    routes(org)
    return org


@pytest.fixture
def contract(org):
    """rep1's signed contract of 1,000,000: 30% on signing (a condition), 70% due in 180 days."""
    return signed(org)


def first(contract) -> Milestone:
    return contract.milestones.get(position=1)


def invoice(org, milestone, user="finance1", **over):
    data = {"number": "INV-001", "invoice_type": "vat_special", "tax_rate": "13", "amount": "300000.00",
            "issued_on": timezone.localdate()}
    data.update(over)
    return services.invoice_record(actor=org[user], milestone=milestone, **data)


def collect(org, milestone, user="finance1", **over):
    data = {"amount": "100000.00", "received_on": timezone.localdate(), "method": "bank_transfer",
            "reference": "BANK-1"}
    data.update(over)
    return services.collection_record(actor=org[user], milestone=milestone, **data)


def test_finance_records_an_invoice_and_a_collection(org, contract):
    m = first(contract)
    inv = invoice(org, m)
    col = collect(org, m)
    assert (inv.amount, inv.contract, col.amount, col.prepayment) == (Decimal("300000.00"), contract,
                                                                     Decimal("100000.00"), False)
    row = selectors.milestones_of(contract)[0]
    assert (row["planned"], row["invoiced"], row["collected"], row["outstanding"]) == (
        Decimal("300000.00"), Decimal("300000.00"), Decimal("100000.00"), Decimal("200000.00"))
    actions = list(TimelineEntry.objects.filter(object_id=contract.pk).values_list("action", flat=True))
    assert actions[-2:] == ["receivable.invoice_recorded", "receivable.collection_recorded"]


@pytest.mark.parametrize("user", ["rep1", "head1", "admin", "market1", "legal1", "lead1"])
def test_only_finance_records(org, contract, user):
    m = first(contract)
    with pytest.raises(PermissionDenied):
        invoice(org, m, user=user)
    with pytest.raises(PermissionDenied):
        collect(org, m, user=user, prepayment=True)
    assert not Invoice.objects.exists() and not Collection.objects.exists()


def test_not_on_a_contract_not_signed(org):
    for contract in (draft(org), submitted(org, title="评审中")):
        with pytest.raises(Conflict) as refused:
            invoice(org, first(contract))
        assert refused.value.code == "wrong_state" and "contract" in refused.value.fields
        with pytest.raises(Conflict):
            collect(org, first(contract), prepayment=True)


def test_not_on_a_terminated_contract_but_on_an_archived_one(org, contract):
    terminated = contracts.contract_terminate(actor=org["rep1"], contract=signed(org, title="终止"), reason="客户取消")
    with pytest.raises(Conflict):
        invoice(org, first(terminated))
    archived = contracts.contract_archive(actor=org["rep1"], contract=contract)
    assert invoice(org, first(archived)).pk


@pytest.mark.parametrize(("field", "value"), [
    ("amount", "0"), ("amount", "-5"), ("amount", "1.005"), ("amount", "abc"), ("amount", "300000.01"),
    ("amount", "1e3"), ("amount", "1_000"), ("amount", "１０００"),  # issue 21: read as core.money reads amounts
    ("tax_rate", "101"), ("tax_rate", "6.125"), ("tax_rate", ""),
    ("number", ""), ("number", "x" * 41), ("invoice_type", "receipt"), ("invoice_type", ""),
    ("issued_on", "2026-02-30"), ("issued_on", ""), ("issued_on", "2101-01-01"),
])
def test_every_bad_invoice_field_is_named(org, contract, field, value):
    with pytest.raises(Invalid) as refused:
        invoice(org, first(contract), **{field: value})
    assert field in refused.value.fields
    assert not Invoice.objects.exists()


def test_no_invoice_dated_in_the_future(org, contract):
    with pytest.raises(Invalid) as refused:
        invoice(org, first(contract), issued_on=timezone.localdate() + timedelta(days=1))
    assert list(refused.value.fields) == ["issued_on"]


def test_invoiced_stays_within_the_milestone_and_numbers_are_unique(org, contract):
    m = first(contract)
    invoice(org, m, amount="200000.00")
    with pytest.raises(Invalid) as refused:
        invoice(org, m, number="INV-002", amount="100000.01")
    assert list(refused.value.fields) == ["amount"]
    with pytest.raises(Invalid) as refused:
        invoice(org, m, amount="1.00")  # INV-001 again
    assert list(refused.value.fields) == ["number"]
    invoice(org, m, number="INV-001", invoice_type="vat_ordinary", amount="100000.00")  # another type: fine
    assert Invoice.objects.count() == 2


def test_collected_stays_within_invoiced_unless_prepayment(org, contract):
    m = first(contract)
    with pytest.raises(Invalid) as refused:
        collect(org, m)
    assert list(refused.value.fields) == ["amount"]
    collect(org, m, amount="50000.00", prepayment=True)
    invoice(org, m, amount="100000.00")
    collect(org, m, amount="50000.00")
    with pytest.raises(Invalid):
        collect(org, m, amount="0.01")
    with pytest.raises(Invalid):  # never more than the milestone, prepayment or not
        collect(org, m, amount="200000.01", prepayment=True)
    collect(org, m, amount="200000.00", prepayment=True)
    assert selectors.totals(m) == (Decimal("100000.00"), Decimal("300000.00"))


@pytest.mark.parametrize(("field", "value"), [
    ("amount", "0"), ("amount", "10.001"), ("amount", ""), ("received_on", "2101-01-01"), ("received_on", "x"),
    ("method", "barter"), ("reference", "r" * 101),
])
def test_every_bad_collection_field_is_named(org, contract, field, value):
    with pytest.raises(Invalid) as refused:
        collect(org, first(contract), prepayment=True, **{field: value})
    assert field in refused.value.fields
    assert not Collection.objects.exists()


def test_a_milestone_of_another_contract_is_not_found(org, contract):
    other = signed(org, owner="rep2", title="另一份")
    with pytest.raises(NotFound):
        selectors.milestone_get(actor=org["finance1"], contract_id=contract.pk, milestone_id=first(other).pk)
    with pytest.raises(NotFound):  # rep2 does not see rep1's contract
        selectors.milestone_get(actor=org["rep2"], contract_id=contract.pk, milestone_id=first(contract).pk)
    assert selectors.milestone_get(actor=org["finance1"], contract_id=other.pk, milestone_id=first(other).pk)


def test_draft_edits_keep_milestones_in_place(org):
    contract = draft(org)
    ids = list(contract.milestones.values_list("pk", flat=True))
    rows = [{"name": "预付款", "condition": "签订后", "trigger": "signing", "percentage": "30"},
            {"name": "到货款", "due_on": timezone.localdate(), "percentage": "40"},
            {"name": "验收款", "condition": "验收后", "trigger": "acceptance", "percentage": "30"}]
    contract = contracts.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                         milestones=rows)
    after = list(contract.milestones.order_by("position"))
    assert [m.pk for m in after[:2]] == ids and after[2].trigger == "acceptance" and after[0].trigger == "signing"
    contract = contracts.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                         milestones=[{"name": "全款", "due_on": timezone.localdate(),
                                                      "percentage": "100"}])
    assert list(contract.milestones.values_list("pk", flat=True)) == ids[:1]


def test_an_amendment_keeps_what_is_invoiced(org, contract):
    m = first(contract)
    invoice(org, m, amount="300000.00")
    second = contract.milestones.get(position=2)
    invoice(org, second, number="INV-002", amount="100000.00")
    lowered = [{"name": "预付款", "condition": "签订后", "amount": "299999.99"},
               {"name": "验收款", "due_on": second.due_on, "amount": "700000.01"}]
    removed = [{"name": "全款", "due_on": second.due_on, "amount": "1000000.00"}]  # the second one goes
    for rows in (lowered, removed):
        with pytest.raises(Invalid) as refused:
            contracts.amendment_propose(actor=org["rep1"], contract=contract, changes={"milestones": rows},
                                        reason="调整付款节点")
        assert list(refused.value.fields) == ["milestones"]
    kept = [{"name": "首付款", "condition": "签订后", "trigger": "signing", "amount": "300000.00"},
            {"name": "验收款", "due_on": second.due_on, "amount": "700000.00"}]
    contracts.amendment_propose(actor=org["rep1"], contract=contract, changes={"milestones": kept},
                                reason="改名")
    contract = decide_all(type(contract).objects.get(pk=contract.pk))
    m.refresh_from_db()
    assert (m.name, m.trigger, contract.terms_version, m.invoices.count()) == ("首付款", "signing", 2, 1)


def test_overdue_and_ageing_buckets(org, contract):
    today = timezone.localdate()
    m2 = contract.milestones.get(position=2)
    m1 = first(contract)  # on signing, without a due date: due the day it was signed (today): not yet overdue
    Milestone.objects.filter(pk=m1.pk).update(trigger="signing")
    assert selectors.days_overdue(selectors.annotated(Milestone.objects.filter(pk=m1.pk)).get(), today) == 0
    later = today + timedelta(days=45)
    found = {r["milestone"].pk: r for r in
             (selectors.row(m, later) for m in selectors.annotated(contract.milestones.all()))}
    assert (found[m1.pk]["days_overdue"], found[m1.pk]["bucket"]) == (45, "31-90")
    Milestone.objects.filter(pk=m2.pk).update(due_on=today - timedelta(days=200))
    rows = list(selectors.receivables(actor=org["finance1"],
                                      filters=selectors.ReceivableFilters(overdue=True, bucket="180+")))
    assert [r.pk for r in rows] == [m2.pk]
    invoice(org, m2, amount="700000.00")
    collect(org, m2, amount="700000.00")
    assert not selectors.receivables(actor=org["finance1"], filters=selectors.ReceivableFilters(overdue=True))


def test_overdue_flagged_to_owner_head_and_finance(org, contract):
    Milestone.objects.filter(contract=contract, position=2).update(due_on=timezone.localdate() - timedelta(days=5))
    for user in ("rep1", "head1", "finance1"):
        assert [i.milestone.position for i in overdue_for(org[user])] == [2], user
        assert any(i.kind == "receivable.overdue" for i in items_for(org[user])), user
    for user in ("rep2", "head2", "legal1"):
        assert not overdue_for(org[user]), user
    reminded = {d.recipient.username for d in due(timezone.now()) if contract.number in d.text
                and "/#receivables" in d.url}
    assert reminded == {"rep1", "head1", "finance1"}


def test_finance_sees_every_contract_reps_only_theirs(org, contract):
    other = signed(org, owner="rep2", title="二部合同")
    mine = {m.contract_id for m in selectors.receivables(actor=org["finance1"])}
    assert {contract.pk, other.pk} <= mine
    assert {m.contract_id for m in selectors.receivables(actor=org["rep2"])} == {other.pk}
    assert {m.contract_id for m in selectors.receivables(actor=org["rep1"])} == {contract.pk}


def test_webhooks_for_invoice_issued_and_collection_received(org, contract, settings):
    from opsmon.integrations import services as integrations
    from opsmon.integrations.models import WebhookDelivery

    settings.WEBHOOKS_ENQUEUE = False
    integrations.endpoint_create(actor=org["admin"], name="ERP", url="http://127.0.0.1:9/hook",
                                 secret="whsec-0123456789abcdef-erp", events=["invoice.issued", "collection.received"],
                                 active=True)
    m = first(contract)
    invoice(org, m)
    collect(org, m)
    sent = {d.event: d.payload for d in WebhookDelivery.objects.all()}
    assert set(sent) == {"invoice.issued", "collection.received"}
    assert '"INV-001"' in str(sent["invoice.issued"]).replace("'", '"')
