"""payments.rules is the one answer to "may this user do X on this payment request / retention now?": for every
action × every state × every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input,
rolled back) ⇔ the page shows its `data-action` button; a refusal is the rule's own."""

from datetime import timedelta

from django.urls import reverse

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.payments import rules, selectors, services
from opsmon.payments.models import PaymentRequest, Retention

from . import factories as f

USERS = ("admin", "head1", "rep1", "lead1", "market1", "finance1", "ceo1", "buyer1", "phead1", "keeper1")
SEE = ("admin", "finance1", "ceo1", "buyer1", "phead1")


def _step(r):
    step = approval_selectors.current_step(r)
    return step.pk if step else None


CALLS = {
    "submit": lambda u, r: services.payment_submit(actor=u, record=r),
    "approve": lambda u, r: services.payment_decide(actor=u, record=r, step_id=_step(r), decision="approve"),
    "return": lambda u, r: services.payment_decide(actor=u, record=r, step_id=_step(r), decision="return",
                                                   comment="改"),
    "reject": lambda u, r: services.payment_decide(actor=u, record=r, step_id=_step(r), decision="reject",
                                                   comment="否"),
    "pay": lambda u, r: services.payment_pay(actor=u, record=r, paid_on=f.today(), amount=r.amount,
                                             method="bank_transfer", reference="HX"),
    "cancel": lambda u, r: services.payment_cancel(actor=u, record=r, reason="不要了"),
}


def _states(org) -> dict[str, PaymentRequest]:
    po = f.delivered(org)
    large = f.order(org, price="100000.0000")
    states = {
        "draft": f.draft(org, po, amount="1000"),
        "in_review": f.submitted(org, po, amount="1000"),
        "in_review_step2": services.payment_decide(
            actor=org["phead1"], record=f.submitted(org, large, kind="advance", amount="150000"), decision="approve"),
        "returned": f.decide_all(org, f.submitted(org, po, amount="1000"), "return", "改"),
        "approved": f.approved(org, po, amount="1000"),
        "paid": f.paid(org, po, amount="1000"),
        "rejected": f.decide_all(org, f.submitted(org, po, amount="1000"), "reject", "否"),
    }
    states["cancelled"] = services.payment_cancel(actor=org["buyer1"], record=f.draft(org, po, amount="5"),
                                                  reason="x")
    return {name: PaymentRequest.objects.get(pk=r.pk) for name, r in states.items()}


def test_every_payment_action_in_every_state_for_every_user(org, browser):
    states = _states(org)
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, record in states.items():
        for username in USERS:
            user = org[username]
            response = browser(username).get(reverse("payments:detail", args=[record.pk]))
            if response.status_code == 404:
                assert username not in SEE, (state, username)
                continue
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            allowed = rules.allowed_actions(user, PaymentRequest.objects.get(pk=record.pk))
            for action, call in CALLS.items():
                current = PaymentRequest.objects.get(pk=record.pk)
                rule = rules.RULES[action](user, current)
                error = attempt(call, user, PaymentRequest.objects.get(pk=record.pk))
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if rule is None:
                    seen_allowed.add((action, state, username))
    assert {("submit", "draft", "buyer1"), ("submit", "returned", "buyer1"), ("approve", "in_review", "phead1"),
            ("return", "in_review", "phead1"), ("reject", "in_review", "phead1"),
            ("approve", "in_review_step2", "finance1"), ("pay", "approved", "finance1"),
            ("cancel", "approved", "buyer1"), ("cancel", "approved", "phead1"), ("cancel", "draft", "buyer1")} \
        <= seen_allowed
    assert not {a for a in seen_allowed if a[2] in ("ceo1", "admin", "rep1", "market1", "keeper1")}
    assert not {a for a in seen_allowed if a[0] == "pay" and a[2] != "finance1"}


RETENTION_CALLS = {
    "sign_off": lambda u, r: services.retention_sign_off(actor=u, retention=r),
    "release": lambda u, r: services.retention_release(actor=u, retention=r, deduction="0"),
}


def _retentions(org) -> dict[str, Retention]:
    held = f.order(org)
    f.accept(org, held, "4")

    def due():
        po = f.order(org)
        f.accept(org, po, "10", accepted_on=f.today() - timedelta(days=400))
        return services.refresh_due(po)

    states = {"held": selectors.retention_of(held), "due": due(),
              "due_signed": services.retention_sign_off(actor=org["keeper1"], retention=due())}
    states["released"] = services.retention_release(actor=org["phead1"], retention=services.retention_sign_off(
        actor=org["keeper1"], retention=due()), deduction="100", reason="维修")
    states["settled"] = services.retention_release(actor=org["phead1"], retention=services.retention_sign_off(
        actor=org["keeper1"], retention=due()), deduction="5000", reason="全扣")
    return {name: Retention.objects.get(pk=r.pk) for name, r in states.items()}


def test_every_retention_action_in_every_state_for_every_user(org, browser):
    states = _retentions(org)
    assert set(RETENTION_CALLS) == set(rules.RETENTION_RULES)
    seen_allowed = set()
    for state, retention in states.items():
        for username in USERS:
            user = org[username]
            response = browser(username).get(reverse("payments:retention_detail", args=[retention.pk]))
            if response.status_code == 404:
                assert username not in (*SEE, "keeper1"), (state, username)
                continue
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            current = Retention.objects.select_related("order").get(pk=retention.pk)
            allowed = rules.retention_actions(user, current)
            for action, call in RETENTION_CALLS.items():
                current = Retention.objects.select_related("order").get(pk=retention.pk)
                rule = rules.RETENTION_RULES[action](user, current)
                error = attempt(call, user, current)
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if rule is None:
                    seen_allowed.add((action, state, username))
    assert seen_allowed == {("sign_off", "due", "keeper1"), ("release", "due_signed", "phead1")}
