"""Every receipt action × state × procurement actor: the action is in `allowed_actions` exactly when the service
accepts it (each try rolled back), and the receipt's page shows its button exactly then."""

import pytest
from django.db import transaction

from opsmon.core.errors import ApplicationError
from opsmon.receiving import rules, services
from opsmon.receiving.choices import ReceiptStatus
from opsmon.receiving.models import Receipt

from . import factories as f

pytestmark = pytest.mark.django_db

ACTORS = ("buyer1", "phead1", "keeper1", "lead1", "finance1", "ceo1", "rep1", "admin")


class Rollback(Exception):
    pass


def _receipt(org, status):
    po = f.order(org)
    if status == ReceiptStatus.DRAFT:
        return f.receipt(org, po, ["1"])
    if status == ReceiptStatus.INSPECTING:
        return f.receipt(org, po, ["1"], submit=True)
    if status == ReceiptStatus.ACCEPTED:
        return f.accepted(org, po, ["1"])
    if status == ReceiptStatus.REJECTED:
        return f.accepted(org, po, ["1"], rejected=["1"])
    r = f.receipt(org, po, ["1"])
    return services.receipt_cancel(actor=org["buyer1"], receipt=r, reason="作废")


def _run(org, action, who, receipt):
    actor = org[who]
    if action == "submit":
        services.receipt_submit(actor=actor, receipt=receipt)
    elif action == "accept":
        line = receipt.lines.get()
        services.receipt_accept(actor=actor, receipt=receipt, lines=[
            {"order_line_id": line.order_line_id, "accepted": str(line.qty), "rejected": "0"}])
    else:
        services.receipt_cancel(actor=actor, receipt=receipt, reason="矩阵")


def _accepts(org, action, who, receipt) -> bool:
    try:
        with transaction.atomic():
            _run(org, action, who, receipt)
            raise Rollback
    except Rollback:
        return True
    except ApplicationError:
        return False


@pytest.mark.parametrize("status", list(ReceiptStatus.values))
def test_allowed_actions_match_the_services_and_the_buttons(org, browser, status):
    receipt = _receipt(org, status)
    seen = []
    for who in ACTORS:
        allowed = rules.allowed_actions(org[who], Receipt.objects.get(pk=receipt.pk))
        for action in rules.RULES:
            fresh = Receipt.objects.get(pk=receipt.pk)  # a rolled-back try leaves its object changed
            assert (action in allowed) == _accepts(org, action, who, fresh), (status, who, action)
        page = browser(who).get(f"/procurement/receipts/{receipt.pk}/")
        if page.status_code == 200:
            html = page.content.decode()
            for action in rules.RULES:
                assert (f'data-action="{action}"' in html) == (action in allowed), (status, who, action)
            seen.append(who)
        else:
            assert page.status_code == 404 and not allowed
    assert {"buyer1", "phead1", "keeper1", "finance1", "ceo1", "admin"} <= set(seen)
