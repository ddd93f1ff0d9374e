"""The "return" decision (procurement subjects: a step sends the subject back to its owner for changes; resubmitting
starts a new round) and the route's category condition. Kinds that do not opt in keep approve/reject only."""

from decimal import Decimal

import pytest

from opsmon.approvals import kinds, rules, selectors, services
from opsmon.approvals.tests.test_engine import SPECS, _kind, ended, engine, route, users  # noqa: F401 - fixture
from opsmon.core.errors import Conflict, Invalid, PermissionDenied

returned: list[int] = []


def _returned(*, actor, subject, review, comment, changes):
    returned.append(subject.pk)
    return subject


@pytest.fixture
def returnable(engine):  # noqa: F811 - the fixture imported above
    returned.clear()
    kinds.register(_kind("test_returnable", allows_return=True, on_returned=_returned,
                         category=lambda s: getattr(SPECS[s.pk], "category", ""), category_table="contract_type"))
    yield engine
    kinds._kinds.pop("test_returnable", None)


def test_return_ends_the_round_and_resubmission_starts_a_new_one(org, returnable):
    route(org, "两步", kind="test_returnable", steps=[{"kind": "finance", **users(org, "finance1")},
                                                    {"kind": "legal", **users(org, "legal1")}])
    subject = returnable()
    services.start_round(actor=org["rep1"], kind="test_returnable", subject=subject)
    step = selectors.current_step(subject)
    with pytest.raises(Invalid) as excinfo:  # a return needs a comment (what to change)
        services.decide(actor=org["finance1"], record=subject, step_id=step.pk, decision="return")
    assert "comment" in excinfo.value.fields
    services.decide(actor=org["finance1"], record=subject, step_id=step.pk, decision="return", comment="补充规格")
    assert returned == [subject.pk] and ended == []  # neither approved nor rejected
    assert selectors.current_step(subject) is None
    services.start_round(actor=org["rep1"], kind="test_returnable", subject=subject)
    rounds = list(selectors.rounds_of(subject))
    assert [(r.round, r.status) for r in rounds] == [(1, "returned"), (2, "in_review")]
    assert [s.status for s in rounds[0].steps.all()] == ["returned", "skipped"]
    first = rounds[0].steps.all()[0].deciders.all()[0]
    assert (first.decision, first.comment) == ("return", "补充规格")
    # the new round starts from its first step, with fresh deciders
    assert selectors.current_step(subject).position == 1


def test_kinds_without_return_refuse_it_and_keep_their_round(org, returnable):
    route(org, "一步", steps=[{"kind": "finance", **users(org, "finance1")}])
    subject = returnable()
    services.start_round(actor=org["rep1"], kind="test_request", subject=subject)
    step = selectors.current_step(subject)
    assert rules.can_decide(org["finance1"], step) is None
    assert isinstance(rules.can_return(org["finance1"], step), Conflict)
    with pytest.raises(Conflict) as excinfo:
        services.decide(actor=org["finance1"], record=subject, step_id=step.pk, decision="return", comment="改")
    assert excinfo.value.code == "no_return"
    assert selectors.current_step(subject).pk == step.pk  # nothing changed
    assert step.deciders.get().decision == ""


def test_the_owner_and_outsiders_cannot_return(org, returnable):
    route(org, "一步", kind="test_returnable", steps=[{"kind": "finance", **users(org, "finance1", "rep1")}])
    subject = returnable()
    services.start_round(actor=org["rep1"], kind="test_returnable", subject=subject)
    step = selectors.current_step(subject)
    assert [d.user.username for d in step.deciders.all()] == ["finance1"]  # never the owner
    for who in ("rep1", "legal1"):
        with pytest.raises(PermissionDenied):
            services.decide(actor=org[who], record=subject, step_id=step.pk, decision="return", comment="改")
    assert returned == []


def test_a_route_for_the_category_is_chosen_before_one_for_any_category(org, returnable):
    step = [{"kind": "finance", **users(org, "finance1")}]
    route(org, "任何类别", kind="test_returnable", steps=step)
    route(org, "框架类别", kind="test_returnable", category="framework", steps=step)
    select = services.select_route
    assert select("test_returnable", amount=Decimal("1"), category="framework").name == "框架类别"
    assert select("test_returnable", amount=Decimal("1"), category="operations").name == "任何类别"
    assert select("test_returnable", amount=Decimal("1")).name == "任何类别"
    # the same band for the same category twice is ambiguous; an unknown category is named
    with pytest.raises(Invalid) as excinfo:
        route(org, "重复", kind="test_returnable", category="framework", steps=step)
    assert "min_amount" in excinfo.value.fields
    with pytest.raises(Invalid) as excinfo:
        route(org, "未知", kind="test_returnable", category="no-such", steps=step)
    assert "category" in excinfo.value.fields
    # start_round reads the kind's category
    subject = returnable()
    SPECS[subject.pk].category = "framework"
    review = services.start_round(actor=org["rep1"], kind="test_returnable", subject=subject)
    assert review.route_name == "框架类别"
