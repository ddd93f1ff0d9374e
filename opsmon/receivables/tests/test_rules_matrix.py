"""receivables.rules is the one answer to "may this user record money on this contract now?": for every action ×
every contract state × every demo user, the action is in `allowed_actions` ⇔ the service accepts it (valid input,
rolled back) ⇔ the contract's page shows its `data-action` button; a refusal is the rule's own."""

from django.urls import reverse
from django.utils import timezone

from opsmon.contracts import services as contracts
from opsmon.contracts.models import Contract
from opsmon.contracts.tests.factories import decide_all, draft, routes, signed, submitted
from opsmon.core.tests.rules_matrix import assert_agrees, attempt, buttons
from opsmon.receivables import rules, services

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")


def _first(contract):
    return contract.milestones.get(position=1)


CALLS = {
    "record_invoice": lambda u, c: services.invoice_record(
        actor=u, milestone=_first(c), number="MX-1", invoice_type="vat_special", tax_rate="13", amount="1000.00",
        issued_on=timezone.localdate()),
    "record_collection": lambda u, c: services.collection_record(
        actor=u, milestone=_first(c), amount="1000.00", received_on=timezone.localdate(), method="bank_transfer",
        prepayment=True),
}


def _states(org) -> dict[str, Contract]:
    routes(org)
    rep = org["rep1"]
    states = {"drafting": draft(org), "in_review": submitted(org), "approved": decide_all(submitted(org)),
              "signed": signed(org),
              "archived": contracts.contract_archive(actor=rep, contract=signed(org)),
              "terminated": contracts.contract_terminate(actor=rep, contract=signed(org), reason="解除")}
    for contract in states.values():
        contract.opportunity.members.add(org["rep1b"])
    return {name: Contract.objects.get(pk=c.pk) for name, c in states.items()}


def test_every_receivables_action_in_every_state_for_every_user(org, browser):
    states = _states(org)
    assert set(CALLS) == set(rules.RULES)
    seen_allowed = set()
    for state, contract in states.items():
        for username in USERS:
            user = org[username]
            allowed = rules.allowed_actions(user, contract)
            response = browser(username).get(reverse("contracts:detail", args=[contract.pk]))
            if response.status_code == 404:
                assert username not in ("finance1",), (state, username)  # finance sees every contract
                continue  # outside his scope: the API and the pages answer 404 before any rule
            shown = buttons(response.content.decode())
            for action, call in CALLS.items():
                record = Contract.objects.get(pk=contract.pk)
                rule = rules.RULES[action](user, record)
                error = attempt(call, user, record)
                assert_agrees((action, state, username), allowed=allowed, rule=rule, error=error, shown=shown)
                if action in allowed:
                    seen_allowed.add(action)
                    assert username == "finance1" and state in ("signed", "archived"), (action, state, username)
    assert seen_allowed == set(rules.RULES)
