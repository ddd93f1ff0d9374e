"""Inbox items of the contract module: contracts to revise or sign, and contracts ending within 30 days. (Review
steps waiting for a decider come from the approvals engine.)"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem, provider

from .choices import ContractStatus
from .models import Contract

ENDING_WINDOW = timedelta(days=30)


def _item(kind, label, c, since):
    return InboxItem(kind, label, f"{c.number} {c.title}", f"/contracts/{c.pk}/", "contract", c.pk, since)


@provider
def contract_items(actor):
    mine = Contract.objects.filter(owner=actor.pk)
    for c in mine.filter(status=ContractStatus.APPROVED):
        yield _item("contract.sign", _("Sign the approved contract"), c, c.updated_at)
    for c in mine.filter(status=ContractStatus.DRAFTING, reviews__status="rejected").distinct():
        yield _item("contract.revise", _("Revise the contract the review rejected"), c, c.updated_at)
    today = timezone.localdate()
    for c in mine.filter(status=ContractStatus.SIGNED, end_on__gte=today, end_on__lte=today + ENDING_WINDOW):
        yield _item("contract.ending", _("Contract ends on %(date)s") % {"date": c.end_on.isoformat()}, c,
                    c.updated_at)
