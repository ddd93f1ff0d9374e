"""suppliers.rules is the one answer to "may this user do this to this supplier now?": for every action × every
state × every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input, rolled back) ⇔
the supplier's page shows its `data-action` button; a refused action raises the rule's refusal, with its status."""

from datetime import timedelta

import pytest
from django.urls import reverse

from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.suppliers import rules, services
from opsmon.suppliers.models import Supplier

from .factories import pdf, qualification, qualified, supplier, today

pytestmark = pytest.mark.django_db
USERS = ("admin", "buyer1", "phead1", "keeper1", "finance1", "rep1", "head1", "market1", "ceo1")
CALLS = {
    "edit": lambda u, s: services.supplier_update(actor=u, supplier=s, version=s.version, contact="矩阵"),
    "add_qualification": lambda u, s: services.qualification_add(
        actor=u, supplier=s, kind="iso9001", number="M-1", valid_from=today(),
        valid_to=today() + timedelta(days=10), upload=pdf()),
    "add_bank_account": lambda u, s: services.bank_account_add(actor=u, supplier=s, bank="建设银行",
                                                               account_name=s.name, account_no="6217000011112222"),
    "qualify": lambda u, s: services.supplier_qualify(actor=u, supplier=s),
    "suspend": lambda u, s: services.supplier_suspend(actor=u, supplier=s, reason="矩阵"),
    "blacklist": lambda u, s: services.supplier_blacklist(actor=u, supplier=s, reason="矩阵"),
    "restore": lambda u, s: services.supplier_restore(actor=u, supplier=s, reason="矩阵"),
}


def _states(org) -> dict[str, Supplier]:
    head = org["phead1"]
    with_licence = supplier(org)
    qualification(org, with_licence)
    own = supplier(org, by="phead1")
    qualification(org, own)
    return {
        "pending_no_licence": supplier(org),
        "pending_with_licence": with_licence,
        "pending_own": own,
        "qualified": qualified(org),
        "suspended": services.supplier_suspend(actor=head, supplier=qualified(org), reason="延误"),
        "blacklisted": services.supplier_blacklist(actor=head, supplier=qualified(org), reason="违约"),
    }


def test_every_supplier_action_in_every_state_for_every_user(org, browser):
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, s in _states(org).items():
        for username in USERS:
            user = org[username]
            record = Supplier.objects.get(pk=s.pk)
            allowed = rules.allowed_actions(user, record)
            response = browser(username).get(reverse("suppliers:detail", args=[s.pk]))
            assert response.status_code == 200, (state, username)
            shown = buttons(response.content.decode())
            for action, call in CALLS.items():
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, record)
                record = Supplier.objects.get(pk=s.pk)
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if action in allowed:
                    seen_allowed.add(action)
    assert seen_allowed == set(rules.RULES)


def test_status_changes_are_the_procurement_heads_alone(org):
    s = qualified(org)
    for username in ("admin", "buyer1", "finance1", "ceo1"):
        assert rules.can_suspend(org[username], s).status == 403
    assert rules.can_suspend(org["phead1"], s) is None
    assert rules.can_qualify(org["phead1"], s).status == 409  # already qualified
    assert rules.can_create(org["rep1"]).status == 403 and rules.can_create(org["buyer1"]) is None
