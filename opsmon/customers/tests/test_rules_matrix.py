"""The customers' rules matrix: for every demo user, "edit" is in `allowed_actions` ⇔ the service accepts an edit ⇔
the detail page shows its `data-action` button ⇔ the API detail lists it; a refusal is the rule's own."""

from django.db import transaction
from django.urls import reverse

from opsmon.core.errors import ApplicationError
from opsmon.customers import rules, services
from opsmon.customers.models import Customer
from opsmon.opportunities.tests import factories

USERS = ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1", "market1", "finance1", "legal1")
CALLS = {"edit": lambda actor, c: services.customer_update(actor=actor, customer=c, version=c.version,
                                                           address="北京市海淀区")}


class Rollback(Exception):
    pass


def service_answer(actor, pk: int, action: str) -> ApplicationError | None:
    customer = Customer.objects.select_related("owner", "department").get(pk=pk)
    try:
        with transaction.atomic():
            CALLS[action](actor, customer)
            raise Rollback
    except Rollback:
        return None
    except ApplicationError as error:
        return error


def test_every_action_has_a_service_call():
    assert set(CALLS) == set(rules.RULES)


def test_allowed_actions_match_the_service_the_page_and_the_api(client, org):
    customer = factories.customer(org["rep1"])
    expected_editors = {"admin", "head1", "rep1", "market1"}
    for username in USERS:
        user = org[username]
        allowed = rules.allowed_actions(user, customer)
        assert ("edit" in allowed) == (username in expected_editors), username
        client.force_login(user)
        page = client.get(reverse("customers:detail", args=[customer.pk])).content.decode()
        api = client.get(f"/api/v1/customers/{customer.pk}").json()
        assert api["allowed_actions"] == allowed, username
        for action, rule in rules.RULES.items():
            refusal, error = rule(user, customer), service_answer(user, customer.pk, action)
            assert (error is None) == (action in allowed), (username, action, error)
            if error is not None:
                assert (type(error), error.status, str(error.message)) == (
                    type(refusal), refusal.status, str(refusal.message))
            assert (f'data-action="{action}"' in page) == (action in allowed), (username, action)
    assert Customer.objects.get(pk=customer.pk).address == ""
