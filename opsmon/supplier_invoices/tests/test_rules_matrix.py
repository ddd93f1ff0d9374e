"""Every action × state × role: the rules allow it ⇔ the service accepts it (each attempt rolled back) ⇔ the
invoice's page shows its button."""

import pytest
from django.db import transaction
from django.urls import reverse

from opsmon.core.errors import ApplicationError
from opsmon.supplier_invoices import rules, selectors, services
from opsmon.supplier_invoices.choices import InvoiceStatus as S

from . import factories as f

pytestmark = pytest.mark.django_db
USERS = ("buyer1", "phead1", "finance1", "admin", "ceo1")
RUN = {
    "accept_variance": lambda actor, inv: services.invoice_accept_variance(actor=actor, invoice=inv, reason="差异"),
    "verify": lambda actor, inv: services.invoice_verify(actor=actor, invoice=inv),
    "cancel": lambda actor, inv: services.invoice_cancel(actor=actor, invoice=inv, reason="红冲"),
}
EXPECTED = {
    S.MISMATCH: {"buyer1": ["cancel"], "phead1": ["accept_variance", "cancel"], "finance1": ["cancel"]},
    S.MATCHED: {"buyer1": ["cancel"], "phead1": ["cancel"], "finance1": ["verify", "cancel"]},
    S.VERIFIED: {"buyer1": ["cancel"], "phead1": ["cancel"], "finance1": ["cancel"]},
    S.CANCELLED: {},
}


class Rollback(Exception):
    pass


def _invoice_in(org, status):
    po = f.order(org)
    if status != S.MISMATCH:
        f.accept(org, po)
    inv = f.invoice(org, po)
    if status == S.VERIFIED:
        inv = services.invoice_verify(actor=org["finance1"], invoice=inv)
    if status == S.CANCELLED:
        inv = services.invoice_cancel(actor=org["buyer1"], invoice=inv, reason="红冲")
    assert inv.status == status
    return inv


def _accepts(actor, inv, action) -> bool:
    try:
        with transaction.atomic():
            RUN[action](actor, selectors.invoice_get(actor=actor, pk=inv.pk))
            raise Rollback
    except Rollback:
        return True
    except ApplicationError:
        return False


@pytest.mark.parametrize("status", [S.MISMATCH, S.MATCHED, S.VERIFIED, S.CANCELLED])
def test_rules_service_and_buttons_agree(org, browser, status):
    inv = _invoice_in(org, status)
    for username in USERS:
        actor = org[username]
        allowed = rules.allowed_actions(actor, inv)
        assert allowed == EXPECTED[status].get(username, []), (status, username, allowed)
        for action in RUN:
            assert _accepts(actor, inv, action) == (action in allowed), (status, username, action)
        page = browser(username).get(reverse("supplier_invoices:detail", args=[inv.pk])).content.decode()
        for action in RUN:
            assert (f'data-action="{action}"' in page) == (action in allowed), (status, username, action)
