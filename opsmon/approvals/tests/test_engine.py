"""The review engine on a kind of its own (a test kind over departments, so nothing here needs contracts): route
choice by kind, type, department and amount; 或签 and 会签; nobody decides on what he owns or proposed; rounds;
refusals when no route or no decider covers a subject."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from opsmon.accounts.models import Department
from opsmon.approvals import kinds, rules, selectors, services
from opsmon.approvals.models import Review
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.inbox import items_for


@dataclass
class Spec:
    owner: object
    department: Department
    amount: Decimal
    type_code: str = ""
    proposer: object = None


SPECS: dict[int, Spec] = {}
ended: list[tuple[str, int]] = []


def _approved(*, actor, subject, review, comment, changes):
    ended.append(("approved", subject.pk))
    return subject


def _rejected(*, actor, subject, review, comment, changes):
    ended.append(("rejected", subject.pk))
    return subject


def _kind(name, **over):
    return kinds.Kind(
        name=name, label=name, model=Department, type_table="contract_type",
        owner=lambda s: SPECS[s.pk].owner, proposer=lambda s: SPECS[s.pk].proposer,
        department=lambda s: SPECS[s.pk].department, amount=lambda s: SPECS[s.pk].amount,
        type_code=lambda s: SPECS[s.pk].type_code, url=lambda s: f"/test/{s.pk}/", title=lambda s: s.name,
        on_approved=_approved, on_rejected=_rejected, **over)


@pytest.fixture
def engine(org):
    """Two test kinds ("request" with its own routes, "change" using them) and a way to make subjects."""
    registered = [kinds.register(_kind("test_request")), kinds.register(_kind("test_change", routes="test_request")),
                  kinds.register(_kind("test_other"))]
    SPECS.clear()
    ended.clear()
    made = iter(range(1, 1000))

    def subject(owner="rep1", amount="1000", type_code="", proposer=None, department=None):
        user = org[owner]
        record = Department.objects.create(name=f"测试对象{next(made)}", path="/test/")
        SPECS[record.pk] = Spec(owner=user.pk, department=department or user.department, amount=Decimal(amount),
                                type_code=type_code, proposer=org[proposer].pk if proposer else None)
        return record

    yield subject
    for kind in registered:
        kinds._kinds.pop(kind.name, None)


def route(org, name, *, kind="test_request", steps, **fields):
    return services.route_save(actor=org["admin"], kind=kind, name=name, steps=steps, **fields)


def users(org, *names):
    return {"decider_kind": "users", "users": [org[n].pk for n in names]}


def deciders(step):
    return [d.user.username for d in step.deciders.select_related("user").order_by("id")]


def test_route_is_chosen_by_kind_type_department_and_amount(org, engine):
    step = [{"kind": "finance", **users(org, "finance1")}]
    route(org, "小额", max_amount="500000", steps=step)
    route(org, "大额", min_amount="500000", steps=step)
    route(org, "框架", type_code="framework", steps=step)
    route(org, "一部大额", min_amount="500000", department_id=org["rep1"].department.parent_id, steps=step)
    route(org, "别的种类", kind="test_other", steps=step)
    select = services.select_route
    two = org["rep2"].department
    assert select("test_request", amount=Decimal("499999.99"), department=two).name == "小额"
    assert select("test_request", amount=Decimal("500000"), department=two).name == "一部大额"  # 销售中心 covers 二部
    assert select("test_request", amount=Decimal("500000"), department=org["finance1"].department).name == "大额"
    assert select("test_request", type_code="framework", amount=Decimal("9000000")).name == "框架"
    assert select("test_change", type_code="operations", amount=Decimal("1")).name == "小额"  # borrows the routes
    assert select("test_other", amount=Decimal("1")).name == "别的种类"
    with pytest.raises(Invalid) as excinfo:
        select("test_other", type_code="framework", amount=Decimal("-1"))
    assert excinfo.value.code == "no_route"


def test_overlapping_routes_of_one_kind_are_refused_and_other_kinds_do_not_clash(org, engine):
    step = [{"kind": "finance", **users(org, "finance1")}]
    route(org, "全部", steps=step)
    with pytest.raises(Invalid) as excinfo:
        route(org, "重叠", min_amount="100", steps=step)
    assert "min_amount" in excinfo.value.fields
    route(org, "别的种类", kind="test_other", steps=step)  # the same band of another kind: fine
    with pytest.raises(Invalid) as excinfo:
        route(org, "借用", kind="test_change", steps=step)  # a kind that borrows routes has none of its own
    assert "kind" in excinfo.value.fields
    with pytest.raises(PermissionDenied):
        services.route_save(actor=org["market1"], kind="test_request", name="x", steps=step)


def test_any_one_completes_a_step_and_all_need_everyone(org, engine):
    route(org, "两步", steps=[{"kind": "finance", **users(org, "finance1", "legal1")},
                            {"kind": "legal", **users(org, "finance1", "legal1"), "mode": "all"}])
    subject = engine()
    review = services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    first = selectors.current_step(subject)
    assert first.review == review and deciders(first) == ["finance1", "legal1"]
    services.decide(actor=org["legal1"], record=subject, step_id=first.pk, decision="approve")  # 或签: one is enough
    with pytest.raises(Conflict) as excinfo:
        services.decide(actor=org["finance1"], record=subject, step_id=first.pk, decision="approve")
    assert excinfo.value.code == "not_current"
    second = selectors.current_step(subject)
    assert second.position == 2 and second.mode == "all"
    services.decide(actor=org["finance1"], record=subject, step_id=second.pk, decision="approve")
    assert selectors.current_step(subject).pk == second.pk and ended == []  # 会签: waits for legal1
    with pytest.raises(Conflict) as excinfo:
        services.decide(actor=org["finance1"], record=subject, step_id=second.pk, decision="approve")
    assert excinfo.value.code == "already_decided"
    services.decide(actor=org["legal1"], record=subject, step_id=second.pk, decision="approve", comment="同意")
    assert ended == [("approved", subject.pk)] and selectors.current_step(subject) is None
    assert Review.objects.get(pk=review.pk).status == "approved"
    rows = [e.action for e in timeline.entries_for(subject)]
    assert rows == ["department.step_approved"] * 2  # the last approval's row is the kind's to write


def test_nobody_decides_on_what_he_owns_or_proposed(org, engine):
    route(org, "点名", steps=[{"kind": "business", **users(org, "rep1", "head1", "finance1")}])
    subject = engine(owner="rep1", proposer="head1")
    services.start_round(actor=org["head1"], kind="test_request", subject=subject)
    step = selectors.current_step(subject)
    assert deciders(step) == ["finance1"]  # fixed at the start, without the owner and the proposer
    with pytest.raises(PermissionDenied) as excinfo:
        services.decide(actor=org["rep1"], record=subject, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "own_record"
    with pytest.raises(PermissionDenied) as excinfo:
        services.decide(actor=org["head1"], record=subject, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "own_proposal"
    with pytest.raises(PermissionDenied) as excinfo:
        services.decide(actor=org["legal1"], record=subject, step_id=step.pk, decision="approve")
    assert excinfo.value.code == "not_decider"
    with pytest.raises(NotFound):
        services.decide(actor=org["finance1"], record=engine(), step_id=step.pk, decision="approve")
    # even a decider row that names the owner (ownership changed after the round started) is refused
    SPECS[subject.pk].owner = org["finance1"].pk
    assert rules.can_decide(org["finance1"], step).code == "own_record"


def test_owner_head_skips_the_owner_and_the_proposer_and_refuses_when_nobody_is_left(org, engine):
    route(org, "负责人", steps=[{"kind": "management", "decider_kind": "owner_head"}])
    subject = engine(owner="rep1")
    services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    assert deciders(selectors.current_step(subject)) == ["head1"]
    for owner, proposer in (("head1", None), ("rep1", "head1")):  # 销售一部's head has no head above him
        blocked = engine(owner=owner, proposer=proposer)
        with pytest.raises(Invalid) as excinfo:
            services.start_round(actor=org[owner], kind="test_request", subject=blocked)
        assert excinfo.value.code == "no_decider"
        assert not Review.objects.filter(kind="test_request", subject_id=blocked.pk).exists()


def test_no_route_or_no_decider_refuses_to_start(org, engine):
    with pytest.raises(Invalid) as excinfo:
        services.start_round(actor=org["rep1"], kind="test_request", subject=engine())
    assert excinfo.value.code == "no_route"
    route(org, "只有自己", steps=[{"kind": "finance", **users(org, "rep1")}])
    with pytest.raises(Invalid) as excinfo:
        services.start_round(actor=org["rep1"], kind="test_request", subject=engine(owner="rep1"))
    assert excinfo.value.code == "no_decider"


def test_rejection_ends_the_round_and_a_resubmission_starts_the_next(org, engine):
    route(org, "三步", steps=[{"kind": "finance", **users(org, "finance1")},
                            {"kind": "legal", **users(org, "legal1")},
                            {"kind": "management", "decider_kind": "owner_head"}])
    subject = engine()
    services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    step = selectors.current_step(subject)
    with pytest.raises(Invalid) as excinfo:  # a rejection needs a comment
        services.decide(actor=org["finance1"], record=subject, step_id=step.pk, decision="reject")
    assert "comment" in excinfo.value.fields
    services.decide(actor=org["finance1"], record=subject, step_id=step.pk, decision="reject", comment="不合理")
    assert ended == [("rejected", subject.pk)] and selectors.current_step(subject) is None
    services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    rounds = list(selectors.rounds_of(subject))
    assert [(r.round, r.status) for r in rounds] == [(1, "rejected"), (2, "in_review")]
    assert [s.status for s in rounds[0].steps.all()] == ["rejected", "skipped", "skipped"]
    assert rounds[0].steps.all()[0].deciders.all()[0].comment == "不合理"  # the old round stays readable
    assert selectors.current_step(subject).review.round == 2


def test_a_change_is_filed_under_its_record_and_numbered_with_its_rounds(org, engine):
    route(org, "一步", steps=[{"kind": "finance", **users(org, "finance1")}])
    parent = engine()
    change = engine()
    kinds.register(_kind("test_change", routes="test_request", record=lambda s: parent))
    services.start_round(actor=org["rep1"], kind="test_request", subject=parent)
    services.start_round(actor=org["rep1"], kind="test_change", subject=change)
    assert [(r.kind, r.subject_id, r.round) for r in selectors.rounds_of(parent)] == [
        ("test_request", parent.pk, 1), ("test_change", change.pk, 2)]
    assert list(selectors.rounds_of(change)) == []


def test_the_inbox_lists_steps_waiting_for_the_user(org, engine):
    route(org, "一步", steps=[{"kind": "finance", **users(org, "finance1", "legal1")}])
    subject = engine()
    services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    mine = [i for i in items_for(org["finance1"]) if i.kind == "department.decide_step"]
    assert [(i.record_id, i.url, i.title) for i in mine] == [(subject.pk, f"/test/{subject.pk}/", subject.name)]
    services.decide(actor=org["legal1"], record=subject, step_id=selectors.current_step(subject).pk,
                    decision="approve")
    assert not [i for i in items_for(org["finance1"]) if i.kind == "department.decide_step"]
