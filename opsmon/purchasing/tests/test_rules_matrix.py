"""purchasing.rules is the one answer to "may this user do X on this purchase order now?": for every action × order
state × demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔ the
order's page shows its `data-action` button; a refusal is the rule's own."""

from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.purchasing import rules, services
from opsmon.purchasing.models import PurchaseOrder

from . import factories as f

USERS = ("admin", "head1", "rep1", "rep2", "lead1", "market1", "finance1", "ceo1", "buyer1", "phead1", "keeper1")


def _step(o):
    step = approval_selectors.current_step(o)
    return step.pk if step else None


CALLS = {
    "edit": lambda u, o: services.order_update(actor=u, order=o, version=o.version, title="改"),
    "submit": lambda u, o: services.order_submit(actor=u, order=o),
    "approve": lambda u, o: services.order_decide(actor=u, order=o, step_id=_step(o), decision="approve"),
    "return": lambda u, o: services.order_decide(actor=u, order=o, step_id=_step(o), decision="return",
                                                 comment="改"),
    "reject": lambda u, o: services.order_decide(actor=u, order=o, step_id=_step(o), decision="reject",
                                                 comment="否"),
    "sign": lambda u, o: services.order_sign(actor=u, order=o, signed_on=timezone.localdate(), signed_copy=f.pdf()),
    "cancel": lambda u, o: services.order_cancel(actor=u, order=o, reason="不要了"),
    "terminate": lambda u, o: services.order_terminate(actor=u, order=o, reason="违约"),
    "close": lambda u, o: services.order_close(actor=u, order=o),
    "amend": lambda u, o: services.amendment_propose(actor=u, order=o, changes={"payment_days": 45}),
}


def test_every_order_action_in_every_state_for_every_user(org, browser):
    states = {"draft": f.draft(org), "in_review": f.submitted(org), "approved": f.approved(org),
              "signed": f.signed(org)}
    states["cancelled"] = services.order_cancel(actor=org["buyer1"], order=f.draft(org), reason="x")
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, order in states.items():
        for username in USERS:
            user = org[username]
            response = browser(username).get(f"/procurement/orders/{order.pk}/")
            if response.status_code == 404:
                assert username not in ("buyer1", "phead1", "admin", "ceo1", "finance1"), (state, username)
                continue
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            record = PurchaseOrder.objects.get(pk=order.pk)
            allowed = rules.allowed_actions(user, record)
            for action, call in CALLS.items():
                record = PurchaseOrder.objects.get(pk=order.pk)
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, PurchaseOrder.objects.get(pk=order.pk))
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if rule is None:
                    seen_allowed.add((action, state, username))
    assert {("edit", "draft", "buyer1"), ("submit", "draft", "buyer1"), ("approve", "in_review", "phead1"),
            ("return", "in_review", "phead1"), ("reject", "in_review", "phead1"), ("sign", "approved", "buyer1"),
            ("cancel", "approved", "phead1"), ("terminate", "signed", "buyer1"), ("amend", "signed", "buyer1")} \
        <= seen_allowed
    assert not {a for a in seen_allowed if a[2] in ("ceo1", "admin", "finance1", "rep2", "keeper1")}
