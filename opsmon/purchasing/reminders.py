"""Daily reminder (PROCUREMENT.md "Reminders"): a line of a signed order past its promised delivery date and not
accepted in full (the accepted quantities answered by receiving through hooks.accepted), to the order's
purchaser: one reminder per order naming its late lines."""

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.reminders import Due, provider

from . import selectors, services
from .choices import OrderStatus
from .models import PurchaseOrder


def late_lines(order: PurchaseOrder, today) -> list:
    accepted = selectors.accepted_of(order)
    return [line for line in order.lines.all()
            if line.promised_on and line.promised_on < today
            and accepted.get(line.pk, 0) < line.qty - line.dropped_qty]


def late_orders(today):
    orders = (PurchaseOrder.objects.filter(status=OrderStatus.SIGNED, lines__promised_on__lt=today).distinct()
              .select_related("owner").prefetch_related("lines").order_by("id"))
    for order in orders:
        late = late_lines(order, today)
        if late:
            yield order, late


@provider
def late_deliveries(now):
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    for order, late in late_orders(today):
        if order.owner.is_active:
            text = _("Purchase order %(n)s: %(items)s not delivered and accepted by the promised date.") % {
                "n": order.number, "items": "、".join(line.item for line in late)}
            yield Due(recipient=order.owner, text=text, url=services.order_url(order))
