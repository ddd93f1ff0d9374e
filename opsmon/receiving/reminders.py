"""Inbox (core.inbox): deliveries waiting for the inspector. (The late-line reminder is the order's:
purchasing/reminders.py, counting what receiving accepted through purchasing.hooks.accepted.)"""

from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem
from opsmon.core.inbox import provider as inbox_provider

from . import selectors, services


@inbox_provider
def inspections(actor):
    for receipt in selectors.waiting_for(actor):
        yield InboxItem("receipt.inspect", _("Inspect the delivery"),
                        f"{receipt.number} {receipt.order.number} {receipt.order.supplier.name}",
                        services.receipt_url(receipt), "receipt", receipt.pk, receipt.updated_at)
