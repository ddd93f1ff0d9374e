"""Daily reminder (core.reminders): an order line past its promised date and not fully accepted, to the order's
purchaser (PROCUREMENT.md "Reminders"). Inbox (core.inbox): deliveries waiting for the inspector."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.inbox import InboxItem
from opsmon.core.inbox import provider as inbox_provider
from opsmon.core.reminders import Due, provider

from . import selectors, services


@provider
def late_lines(now: datetime):
    today = timezone.localdate(now)
    for line, accepted in selectors.late_lines(today):
        order = line.order
        if not order.owner.is_active:
            continue
        text = _("Order %(o)s line %(p)s “%(item)s” was promised for %(d)s: %(a)s of %(q)s accepted.") % {
            "o": order.number, "p": line.position, "item": line.item, "d": line.promised_on.isoformat(),
            "a": selectors.plain(accepted), "q": selectors.plain(selectors.ordered(line))}
        yield Due(recipient=order.owner, text=text, url=services.order_url(order))


@inbox_provider
def inspections(actor):
    for receipt in selectors.waiting_for(actor):
        yield InboxItem("receipt.inspect", _("Inspect the delivery"),
                        f"{receipt.number} {receipt.order.number} {receipt.order.supplier.name}",
                        services.receipt_url(receipt), "receipt", receipt.pk, receipt.updated_at)
