"""sourcing.rules is the one answer to "may this user do X on this sourcing now?": for every action × every state ×
every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔ the
sourcing's page shows its `data-action` button; a refusal is the rule's own."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.sourcing import rules, services
from opsmon.sourcing.models import Sourcing

from . import factories as f

USERS = ("admin", "head1", "rep1", "finance1", "ceo1", "buyer1", "phead1", "keeper1", "market1")


def _step(s):
    step = approval_selectors.current_step(s)
    return step.pk if step else None


def _quote(u, s):
    x = s.lines.order_by("id").first()
    return services.quotation_record(actor=u, sourcing=s, supplier_id=s.invitations.order_by("id").first().supplier_id,
                                     valid_until=timezone.localdate() + timedelta(days=5), delivery_days=3,
                                     lines=[{"request_line_id": x.request_line_id, "unit_price": "1",
                                             "tax_rate": "13"}])


CALLS = {
    "open": lambda u, s: services.sourcing_open(actor=u, sourcing=s),
    "quote": _quote,
    "evaluate": lambda u, s: services.sourcing_evaluate(actor=u, sourcing=s,
                                                         now=timezone.now() + timedelta(days=30)),
    "award": lambda u, s: services.award_save(actor=u, sourcing=s, lines=f.lowest_award(s)),
    "submit_award": lambda u, s: services.award_submit(actor=u, sourcing=s),
    "approve": lambda u, s: services.award_decide(actor=u, sourcing=s, step_id=_step(s), decision="approve"),
    "return": lambda u, s: services.award_decide(actor=u, sourcing=s, step_id=_step(s), decision="return",
                                                 comment="改"),
    "reject": lambda u, s: services.award_decide(actor=u, sourcing=s, step_id=_step(s), decision="reject",
                                                 comment="否"),
    "fail": lambda u, s: services.sourcing_fail(actor=u, sourcing=s, reason="流标"),
    "cancel": lambda u, s: services.sourcing_cancel(actor=u, sourcing=s, reason="取消"),
}


def _states(org) -> dict[str, Sourcing]:
    evaluating = f.evaluating(org)
    services.award_save(actor=evaluating.owner, sourcing=evaluating, lines=f.lowest_award(evaluating))
    states = {
        "draft": f.draft(org),
        "open": f.opened(org),
        "evaluating": evaluating,
        "award_review": f.awarded_for_review(org),
        "awarded": f.awarded(org),
    }
    states["failed"] = services.sourcing_fail(actor=org["buyer1"], sourcing=f.opened(org), reason="x")
    states["cancelled"] = services.sourcing_cancel(actor=org["buyer1"], sourcing=f.draft(org), reason="x")
    return {name: Sourcing.objects.get(pk=s.pk) for name, s in states.items()}


def test_every_sourcing_action_in_every_state_for_every_user(org, browser):
    f.routes()
    states = _states(org)
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, sourcing in states.items():
        for username in USERS:
            user = org[username]
            response = browser(username).get(reverse("sourcing:detail", args=[sourcing.pk]))
            if response.status_code == 404:
                assert username not in ("buyer1", "phead1", "admin", "ceo1"), (state, username)
                continue
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            record = Sourcing.objects.get(pk=sourcing.pk)
            allowed = rules.allowed_actions(user, record)
            for action, call in CALLS.items():
                record = Sourcing.objects.get(pk=sourcing.pk)
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, Sourcing.objects.get(pk=sourcing.pk))
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if rule is None:
                    seen_allowed.add((action, state, username))
    assert {("open", "draft", "buyer1"), ("quote", "open", "buyer1"), ("evaluate", "open", "buyer1"),
            ("award", "evaluating", "buyer1"), ("submit_award", "evaluating", "buyer1"),
            ("approve", "award_review", "phead1"), ("return", "award_review", "phead1"),
            ("reject", "award_review", "phead1"), ("fail", "open", "phead1"), ("cancel", "draft", "buyer1"),
            ("fail", "evaluating", "buyer1")} <= seen_allowed
    assert not {a for a in seen_allowed if a[2] in ("ceo1", "admin", "rep1", "head1", "finance1", "keeper1")}
    assert not {a for a in seen_allowed if a[1] in ("awarded", "failed", "cancelled")}
