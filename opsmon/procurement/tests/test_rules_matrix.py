"""procurement.rules is the one answer to "may this user do X on this purchase request now?": for every action ×
every request state × every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input,
rolled back) ⇔ the request's page shows its `data-action` button; a refusal is the rule's own."""

from django.urls import reverse

from opsmon.approvals import selectors as approval_selectors
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.procurement import rules, services
from opsmon.procurement.models import PurchaseRequest

from . import factories as f

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "market1", "finance1", "ceo1", "buyer1",
         "phead1", "keeper1")


def _step(r):
    step = approval_selectors.current_step(r)
    return step.pk if step else None


CALLS = {
    "edit": lambda u, r: services.request_update(actor=u, request=r, version=r.version, title="改"),
    "submit": lambda u, r: services.request_submit(actor=u, request=r),
    "approve": lambda u, r: services.request_decide(actor=u, request=r, step_id=_step(r), decision="approve"),
    "return": lambda u, r: services.request_decide(actor=u, request=r, step_id=_step(r), decision="return",
                                                   comment="改"),
    "reject": lambda u, r: services.request_decide(actor=u, request=r, step_id=_step(r), decision="reject",
                                                   comment="否"),
    "cancel": lambda u, r: services.request_cancel(actor=u, request=r, reason="不要了"),
    "close": lambda u, r: services.request_close(actor=u, request=r, reason="结束"),
}


def _decide(org, r, who, decision, comment=""):
    return services.request_decide(actor=org[who], request=r, step_id=_step(r), decision=decision, comment=comment)


def _states(org) -> dict[str, PurchaseRequest]:
    large = [f.line(qty="4")]  # two steps: head1, then phead1
    states = {
        "draft": f.draft(org),
        "submitted": f.submitted(org),
        "submitted_step2": _decide(org, f.submitted(org, lines=large), "head1", "approve"),
        "returned": _decide(org, f.submitted(org), "head1", "return", "改"),
        "approved": _decide(org, f.submitted(org), "head1", "approve"),
        "rejected": _decide(org, f.submitted(org), "head1", "reject", "否"),
    }
    states["cancelled"] = services.request_cancel(actor=org["rep1"], request=f.draft(org), reason="x")
    return {name: PurchaseRequest.objects.get(pk=r.pk) for name, r in states.items()}


def test_every_request_action_in_every_state_for_every_user(org, browser):
    states = _states(org)
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, request in states.items():
        for username in USERS:
            user = org[username]
            response = browser(username).get(reverse("procurement:request_detail", args=[request.pk]))
            if response.status_code == 404:
                assert username not in ("rep1", "head1", "phead1", "admin", "ceo1"), (state, username)
                continue
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            record = PurchaseRequest.objects.get(pk=request.pk)
            allowed = rules.allowed_actions(user, record)
            for action, call in CALLS.items():
                record = PurchaseRequest.objects.get(pk=request.pk)
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, PurchaseRequest.objects.get(pk=request.pk))
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if rule is None:
                    seen_allowed.add((action, state, username))
    assert ("edit", "draft", "rep1") in seen_allowed and ("edit", "returned", "rep1") in seen_allowed
    assert {("approve", "submitted", "head1"), ("return", "submitted", "head1"), ("reject", "submitted", "head1"),
            ("approve", "submitted_step2", "phead1"), ("return", "submitted_step2", "phead1")} <= seen_allowed
    assert ("cancel", "approved", "phead1") in seen_allowed and ("cancel", "approved", "rep1") in seen_allowed
    assert not {a for a in seen_allowed if a[2] in ("ceo1", "market1", "rep2", "buyer1")}
    assert not {a for a in seen_allowed if a[0] == "close"}  # nothing is ordered yet
