"""The contract rules, called as the web and API call them: routes, review steps, signing, amendments."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from docx import Document

from opsmon.approvals.models import Route
from opsmon.bids.models import Bond
from opsmon.bids.services import bid_create_contract, bid_mark_won, bond_create
from opsmon.bids.tests.factories import opened_bid
from opsmon.contracts import report, selectors, services
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import ContractFilters
from opsmon.contracts.tests.factories import decide_all, draft, routes, signed, signed_copy, submitted, terms
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(org):
    routes(org)
    return org


def fields_of(excinfo):
    return set(excinfo.value.fields)


def actions(contract):
    return [e.action for e in timeline.entries_for(contract)]


# --- drafting and terms ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad, field", [
    ({"milestones": [{"name": "预付款", "condition": "签订后", "amount": "100000"}]}, "milestones"),
    ({"start_on": "2026-12-01", "end_on": "2026-11-30"}, "end_on"),
    ({"tax_rate": "120"}, "tax_rate"),
    ({"tax_rate": "-1"}, "tax_rate"),
    ({"amount": "abc"}, "amount"),
    ({"contract_type": "no_such_type"}, "contract_type"),
    ({"milestones": [{"name": "", "condition": "x", "percentage": "100"}]}, "milestones.1.name"),
    ({"milestones": [{"name": "全款", "percentage": "100"}]}, "milestones.1.due_on"),
    ({"milestones": [{"name": "全款", "condition": "x", "percentage": "50", "amount": "500000"}]},
     "milestones.1.amount"),
])
def test_bad_terms_are_refused_naming_the_field_and_change_nothing(org, bad, field):
    contract = draft(org)
    before = selectors.contract_get(actor=org["rep1"], pk=contract.pk)
    with pytest.raises(Invalid) as excinfo:
        services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, **bad)
    assert field in fields_of(excinfo)
    after = Contract.objects.get(pk=contract.pk)
    assert (after.version, after.amount, after.tax_rate, after.end_on) == \
        (before.version, before.amount, before.tax_rate, before.end_on)
    assert after.milestones.count() == 2


def test_milestones_in_amounts_and_percentages_must_add_up_to_the_amount(org):
    contract = draft(org, amount="1000000.00")
    with pytest.raises(Invalid) as excinfo:  # 333,333.33 + 66.67% (666,700.00) = 1,000,033.33
        services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, milestones=[
            {"name": "预付款", "condition": "签订后", "amount": "333333.33"},
            {"name": "尾款", "condition": "验收后", "percentage": "66.67"}])
    assert "1,000,033.33" in excinfo.value.fields["milestones"][0]
    ok = services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, milestones=[
        {"name": "预付款", "condition": "签订后", "amount": "300000"},
        {"name": "尾款", "condition": "验收后", "percentage": "70"}])
    assert [(m.amount, m.percentage) for m in ok.milestones.all()] == [(Decimal("300000.00"), None),
                                                                        (None, Decimal("70.00"))]
    with pytest.raises(Invalid) as excinfo:  # the amount alone changes: fixed milestones no longer add up
        services.contract_update(actor=org["rep1"], contract=ok, version=ok.version, amount="2000000")
    assert "milestones" in fields_of(excinfo)


def test_update_needs_the_current_version_and_records_what_changed(org):
    contract = draft(org)
    stale = contract.version
    updated = services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                       title="新名称", tax_rate="6")
    assert updated.title == "新名称" and updated.tax_rate == Decimal("6.00")
    entry = timeline.entries_for(updated).last()
    assert entry.action == "contract.updated" and entry.changes["tax_rate"] == ["13.00", "6.00"]
    with pytest.raises(Conflict):
        services.contract_update(actor=org["rep1"], contract=updated, version=stale, title="旧版本")


def test_only_team_or_head_edit_and_only_sales_draft(org):
    contract = draft(org)
    for outsider in ("rep2", "head2", "lead1", "finance1"):
        with pytest.raises(PermissionDenied):
            services.contract_update(actor=org[outsider], contract=contract, version=contract.version, title="x")
    services.contract_update(actor=org["head1"], contract=contract, version=contract.version, title="部门负责人修改")
    with pytest.raises(PermissionDenied):
        services.contract_create(actor=org["finance1"], opportunity=contract.opportunity, **terms())


# --- routes ---------------------------------------------------------------------------------------------------

def test_route_is_chosen_by_type_and_amount(org):
    select = services.review.select_route
    assert select(contract_type="system_integration", amount=Decimal("499999.99")).name.startswith("小额")
    assert select(contract_type="system_integration", amount=Decimal("500000")).name.startswith("标准")
    assert select(contract_type="framework", amount=Decimal("100")).name.startswith("框架")
    Route.objects.filter(name__startswith="小额").update(active=False)
    with pytest.raises(Invalid) as excinfo:
        select(contract_type="operations", amount=Decimal("1000"))
    assert excinfo.value.code == "no_route"


def test_overlapping_routes_and_bad_steps_are_refused(org):
    with pytest.raises(Invalid) as excinfo:
        services.route_save(actor=org["admin"], name="重叠", min_amount="100000", max_amount="600000",
                            steps=[{"kind": "finance", "decider_kind": "owner_head"}])
    assert "min_amount" in fields_of(excinfo)
    with pytest.raises(Invalid) as excinfo:
        services.route_save(actor=org["admin"], name="坏", contract_type="operations", steps=[
            {"kind": "nope", "decider_kind": "role", "role": "wizard"}, {"kind": "legal", "decider_kind": "users"}])
    assert {"steps.1.kind", "steps.1.role", "steps.2.users"} <= fields_of(excinfo)
    with pytest.raises(PermissionDenied):
        services.route_save(actor=org["market1"], name="x", steps=[{"kind": "finance", "decider_kind": "owner_head"}])
    assert Route.objects.filter(kind="contract").count() == 3


def test_submit_needs_complete_terms_and_a_route_with_deciders(org):
    contract = draft(org, milestones=[])
    with pytest.raises(Invalid) as excinfo:
        services.contract_submit(actor=org["rep1"], contract=contract)
    assert "milestones" in fields_of(excinfo)
    assert Contract.objects.get(pk=contract.pk).status == "drafting"
    services.route_save(actor=org["admin"], name="运维专用", contract_type="operations",
                        steps=[{"kind": "technical", "decider_kind": "role", "role": "bid_assistant"},
                               {"kind": "legal", "decider_kind": "role", "role": "admin"}])
    from opsmon.accounts.models import User
    User.objects.filter(groups__name="bid_assistant").update(is_active=False)
    ops = draft(org, contract_type="operations")
    with pytest.raises(Invalid) as excinfo:
        services.contract_submit(actor=org["rep1"], contract=ops)
    assert excinfo.value.code == "no_decider"
    assert Contract.objects.get(pk=ops.pk).status == "drafting" and not ops.reviews.exists()


# --- review ---------------------------------------------------------------------------------------------------

def test_steps_are_decided_in_order_by_their_deciders_once(org):
    contract = submitted(org)
    step1 = selectors.current_step(contract)
    assert step1.kind == "technical" and [d.user.username for d in step1.deciders.all()] == ["lead1"]
    later = contract.reviews.get().steps.get(position=2)
    with pytest.raises(Conflict):  # finance1 decides step 2, which is not current yet
        services.step_decide(actor=org["finance1"], contract=contract, step_id=later.pk, decision="approve")
    with pytest.raises(PermissionDenied):
        services.step_decide(actor=org["head1"], contract=contract, step_id=step1.pk, decision="approve")
    services.step_decide(actor=org["lead1"], contract=contract, step_id=step1.pk, decision="approve", comment="可行")
    with pytest.raises(Conflict):
        services.step_decide(actor=org["lead1"], contract=contract, step_id=step1.pk, decision="approve")
    assert selectors.current_step(contract).position == 2
    assert actions(contract).count("contract.step_approved") == 1
    contract = decide_all(contract)
    assert contract.status == "approved"
    assert actions(contract)[-1] == "contract.review_approved"
    heads = [d.user.username for d in contract.reviews.get().steps.get(position=4).deciders.all()]
    assert heads == ["head1"]  # the head of the owner's department


def test_the_owner_never_decides_on_his_own_contract(org):
    services.route_save(actor=org["admin"], name="运维", contract_type="operations", steps=[
        {"kind": "business", "decider_kind": "users", "users": [org["rep1"].pk, org["finance1"].pk]}])
    contract = submitted(org, contract_type="operations")
    step = selectors.current_step(contract)
    assert [d.user.username for d in step.deciders.all()] == ["finance1"]
    with pytest.raises(PermissionDenied) as excinfo:
        services.step_decide(actor=org["rep1"], contract=contract, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "own_contract"
    # a head's own contract goes to a head above him; 销售一部's head has none, so it cannot be submitted
    own = draft(org, owner="head1", amount="100000.00")
    with pytest.raises(Invalid) as excinfo:
        services.contract_submit(actor=org["head1"], contract=own)
    assert excinfo.value.code == "no_decider"


def test_rejection_returns_to_drafting_and_resubmission_starts_a_fresh_round(org):
    contract = submitted(org)
    step = selectors.current_step(contract)
    with pytest.raises(Invalid) as excinfo:
        services.step_decide(actor=org["lead1"], contract=contract, step_id=step.pk, decision="reject")
    assert "comment" in fields_of(excinfo)
    contract = services.step_decide(actor=org["lead1"], contract=contract, step_id=step.pk, decision="reject",
                                    comment="技术方案不完整")
    assert contract.status == "drafting"
    entry = timeline.entries_for(contract).last()
    assert (entry.action, entry.comment, entry.to_status) == ("contract.review_rejected", "技术方案不完整", "drafting")
    first = contract.reviews.get()
    assert first.status == "rejected" and set(first.steps.values_list("status", flat=True)) == {"rejected", "skipped"}
    contract = services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                        terms="补充技术方案。")
    contract = services.contract_submit(actor=org["rep1"], contract=contract)
    rounds = list(selectors.reviews_of(contract))
    assert [(r.round, r.status) for r in rounds] == [(1, "rejected"), (2, "in_review")]
    assert selectors.current_step(contract).review.round == 2


def test_countersign_needs_every_decider(org):
    contract = submitted(org, contract_type="framework")
    step = selectors.current_step(contract)
    assert step.mode == "all" and {d.user.username for d in step.deciders.all()} == {"finance1", "legal1"}
    services.step_decide(actor=org["finance1"], contract=contract, step_id=step.pk, decision="approve")
    assert selectors.current_step(contract).pk == step.pk  # still waiting for legal1
    services.step_decide(actor=org["legal1"], contract=contract, step_id=step.pk, decision="approve")
    assert selectors.current_step(contract).position == 2


def test_in_review_and_approved_contracts_cannot_be_edited(org):
    contract = submitted(org)
    with pytest.raises(Conflict):
        services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, title="x")


# --- signing --------------------------------------------------------------------------------------------------

def test_signing_needs_a_date_not_in_the_future_and_the_signed_copy(org):
    contract = decide_all(submitted(org))
    with pytest.raises(Invalid) as excinfo:
        services.contract_sign(actor=org["rep1"], contract=contract, signed_on=timezone.localdate(), signed_copy=None)
    assert fields_of(excinfo) == {"signed_copy"}
    with pytest.raises(Invalid) as excinfo:
        services.contract_sign(actor=org["rep1"], contract=contract,
                               signed_on=timezone.localdate() + timedelta(days=1), signed_copy=signed_copy())
    assert "signed_on" in fields_of(excinfo)
    with pytest.raises(Invalid) as excinfo:
        services.contract_sign(actor=org["rep1"], contract=contract, signed_on=timezone.localdate(),
                               signed_copy=signed_copy("signed.pdf", b"MZ\x90\x00 not a pdf"))
    assert "signed_copy" in fields_of(excinfo)
    assert Contract.objects.get(pk=contract.pk).status == "approved" and not contract.attachments.exists()
    with pytest.raises(PermissionDenied):
        services.contract_sign(actor=org["finance1"], contract=contract, signed_on=timezone.localdate(),
                               signed_copy=signed_copy())


def test_signing_starts_the_bid_bond_refund_clock_and_makes_the_performance_bond_due(org):
    bid = opened_bid(org, won=True)
    bid = bid_mark_won(actor=org["head1"], bid=bid)
    bond_create(actor=org["assistant1"], bid=bid, kind="performance", amount="50000", method="bank_transfer")
    contract = bid_create_contract(actor=org["rep1"], bid=bid)
    contract = services.contract_update(actor=org["rep1"], contract=contract, version=contract.version,
                                        **terms(amount=f"{contract.amount:.2f}"))
    contract = decide_all(services.contract_submit(actor=org["rep1"], contract=contract))
    day = timezone.localdate() - timedelta(days=2)
    contract = services.contract_sign(actor=org["rep1"], contract=contract, signed_on=day, signed_copy=signed_copy())
    assert contract.status == "signed" and contract.signed_on == day
    bid.refresh_from_db()
    assert bid.contract_signed_on == day
    performance = Bond.objects.get(bid=bid, kind="performance")
    assert performance.due_on == day
    assert any(i.kind == "bond.performance_due" for i in items_for(org["assistant1"]))
    assert [v.number for v in contract.versions.all()] == [1]
    with pytest.raises(Conflict) as excinfo:
        services.contract_update(actor=org["rep1"], contract=contract, version=contract.version, title="x")
    assert excinfo.value.code == "not_editable"


def test_archive_and_terminate(org):
    contract = signed(org)
    with pytest.raises(Invalid):
        services.contract_terminate(actor=org["rep1"], contract=contract, reason=" ")
    archived = services.contract_archive(actor=org["rep1"], contract=contract)
    assert archived.status == "archived" and archived.archived_at
    with pytest.raises(Conflict):
        services.contract_terminate(actor=org["rep1"], contract=archived, reason="太晚")
    other = signed(org)
    ended = services.contract_terminate(actor=org["head1"], contract=other, reason="客户破产")
    assert (ended.status, ended.terminate_reason) == ("terminated", "客户破产")


# --- amendments -----------------------------------------------------------------------------------------------

def test_an_approved_amendment_makes_version_2_and_keeps_version_1(org):
    contract = signed(org)
    old_end = contract.end_on
    with pytest.raises(Invalid) as excinfo:
        services.amendment_propose(actor=org["rep1"], contract=contract, reason="无变化",
                                   changes={"amount": "1000000", "end_on": old_end.isoformat()})
    assert excinfo.value.code == "no_change" and not contract.amendments.exists()
    with pytest.raises(Invalid) as excinfo:
        services.amendment_propose(
            actor=org["rep1"], contract=contract, reason="加量",
            changes={"amount": "1200000", "milestones": [{"name": "全款", "condition": "验收后", "amount": "1"}]})
    assert "milestones" in fields_of(excinfo)
    amendment = services.amendment_propose(actor=org["rep1"], contract=contract, reason="增加采购数量并延期",
                                           changes={"amount": "1200000", "end_on": old_end + timedelta(days=30)})
    assert amendment.changes == {"amount": "1200000.00", "end_on": (old_end + timedelta(days=30)).isoformat()}
    with pytest.raises(Conflict):
        services.amendment_propose(actor=org["rep1"], contract=contract, reason="再改", changes={"terms": "新条款"})
    assert Contract.objects.get(pk=contract.pk).amount == Decimal("1000000.00")  # unchanged until approved
    contract = decide_all(contract)
    assert (contract.status, contract.terms_version, contract.amount) == ("signed", 2, Decimal("1200000.00"))
    versions = selectors.versions_of(contract)
    assert [v["number"] for v in versions] == [1, 2]
    assert versions[0]["terms"]["amount"] == "1000000.00"
    assert versions[1]["changes"] == {"amount": ["1000000.00", "1200000.00"],
                                      "end_on": [old_end.isoformat(), (old_end + timedelta(days=30)).isoformat()]}
    assert selectors.version_diff(contract, 1, 2) == versions[1]["changes"]
    assert actions(contract)[-1] == "contract.amended"
    with pytest.raises(NotFound):
        selectors.version_diff(contract, 1, 3)


def test_a_rejected_amendment_leaves_the_contract_as_it_was(org):
    contract = signed(org)
    services.amendment_propose(actor=org["rep1"], contract=contract, reason="延期", changes={"terms": "新的条款"})
    step = selectors.current_step(contract)
    services.step_decide(actor=step.deciders.first().user, contract=contract, step_id=step.pk, decision="reject",
                         comment="不同意延期")
    contract.refresh_from_db()
    assert (contract.status, contract.terms_version, contract.terms) == ("signed", 1, "按合同约定交付。")
    assert contract.amendments.get().status == "rejected"
    with pytest.raises(Conflict):  # only signed contracts are amended
        services.amendment_propose(actor=org["rep1"], contract=draft(org), reason="x", changes={"terms": "y"})


# --- visibility, inbox, documents -----------------------------------------------------------------------------

def test_visibility_follows_owner_team_head_and_reviewers(org):
    contract = submitted(org)
    for who in ("rep1", "head1", "market1", "admin", "lead1", "finance1", "legal1"):
        assert selectors.contract_get(actor=org[who], pk=contract.pk)
    for who in ("rep2", "head2", "rep1b", "assistant1"):
        with pytest.raises(NotFound):
            selectors.contract_get(actor=org[who], pk=contract.pk)
    assert not selectors.contract_list(actor=org["rep2"]).filter(pk=contract.pk).exists()
    assert selectors.contract_list(actor=org["finance1"]).filter(pk=contract.pk).exists()


def test_list_filters(org):
    a = signed(org, amount="800000.00")
    b = draft(org, owner="rep2", amount="300000.00", contract_type="operations")

    def ids(**filters):
        return list(selectors.contract_list(actor=org["market1"], filters=ContractFilters(**filters))
                    .values_list("pk", flat=True))

    rep_all = selectors.contract_list(actor=org["market1"])
    assert set(rep_all.values_list("pk", flat=True)) >= {a.pk, b.pk}
    assert ids(status="signed") == [a.pk]
    assert ids(contract_type="operations") == [b.pk]
    assert ids(amount_min=500000) == [a.pk]
    assert ids(department=org["rep2"].department_id) == [b.pk]
    assert ids(expiring_within=30) == []
    assert ids(expiring_within=400) == [a.pk]
    today = timezone.localdate()
    assert ids(signed_from=today, signed_to=today) == [a.pk]


def test_inbox_shows_steps_to_decide_and_contracts_ending_soon(org):
    contract = submitted(org)
    assert [i.kind for i in items_for(org["lead1"]) if i.record_type == "contract"] == ["contract.decide_step"]
    assert not [i for i in items_for(org["finance1"]) if i.record_type == "contract"]
    ending = signed(org, start_on=timezone.localdate() - timedelta(days=300),
                    end_on=timezone.localdate() + timedelta(days=20))
    kinds = [(i.kind, i.record_id) for i in items_for(org["rep1"]) if i.record_type == "contract"]
    assert ("contract.ending", ending.pk) in kinds and ("contract.ending", contract.pk) not in kinds


def test_review_sheet_lists_header_milestones_and_every_decision(org):
    contract = submitted(org)
    step = selectors.current_step(contract)
    services.step_decide(actor=org["lead1"], contract=contract, step_id=step.pk, decision="reject", comment="需补充")
    contract = decide_all(services.contract_submit(actor=org["rep1"], contract=Contract.objects.get(pk=contract.pk)))
    import io
    doc = Document(io.BytesIO(report.review_sheet_docx(contract)))
    text = "\n".join(p.text for p in doc.paragraphs)
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "合同评审表" in text and "第 1 轮" in text and "第 2 轮" in text
    assert contract.number in cells and "¥1,000,000.00" in cells and "预付款" in cells
    assert "不同意" in cells and "需补充" in cells and cells.count("同意") == 4
    assert str(org["finance1"]) in cells


def test_the_proposer_of_an_amendment_never_decides_it(org):
    """Before approvals, a head who proposed an amendment of his department's contract was its owner_head decider
    and approved it himself. Now he is left out of its deciders, and refused if he tries."""
    services.route_save(actor=org["admin"], name="运维", contract_type="operations", steps=[
        {"kind": "business", "decider_kind": "users", "users": [org["head1"].pk, org["finance1"].pk]}])
    contract = signed(org, contract_type="operations")
    services.amendment_propose(actor=org["head1"], contract=contract, changes={"terms": "新条款"}, reason="变更")
    step = selectors.current_step(contract)
    assert step.review.kind == "amendment" and [d.user.username for d in step.deciders.all()] == ["finance1"]
    with pytest.raises(PermissionDenied) as excinfo:
        services.step_decide(actor=org["head1"], contract=contract, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "own_proposal"
    with pytest.raises(PermissionDenied) as excinfo:
        services.step_decide(actor=org["rep1"], contract=contract, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "own_contract"
    # on the standard route the last step is the owner's head: head1 proposed, nobody heads him, so no round starts
    standard = signed(org)
    with pytest.raises(Invalid) as excinfo:
        services.amendment_propose(actor=org["head1"], contract=standard, changes={"terms": "新条款"}, reason="变更")
    assert excinfo.value.code == "no_decider" and not standard.amendments.exists()
