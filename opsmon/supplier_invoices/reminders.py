"""Daily reminder (PROCUREMENT.md "Reminders"): an accepted receipt not matched by an invoice 30 days after its
acceptance, to the order's purchaser."""

from django.utils.translation import gettext as _

from opsmon.core.reminders import Due, provider

from . import services

UNMATCHED_DAYS = 30


@provider
def unmatched_receipts(now):
    for receipt in services.unmatched_receipts(now, days=UNMATCHED_DAYS):
        owner = receipt.order.owner
        if owner.is_active:
            yield Due(recipient=owner, url=f"/procurement/orders/{receipt.order_id}/#invoices",
                      text=_("Receipt %(r)s of order %(o)s was accepted on %(d)s and is not matched by a supplier "
                             "invoice yet.") % {"r": receipt.number, "o": receipt.order.number,
                                                "d": receipt.accepted_on.isoformat()})
