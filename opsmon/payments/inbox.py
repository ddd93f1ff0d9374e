"""Inbox items of payments (我的待办): approved requests for finance to pay, returned ones for their requester to
change, due retentions for an inspector to sign off and signed-off ones for the procurement head to release. Each
through the visibility selector and the rules, so an item is exactly a button the user would see."""

from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.core.inbox import InboxItem, provider

from . import rules, selectors, services
from .choices import PaymentStatus, RetentionStatus


@provider
def payment_items(actor):
    if not getattr(actor, "is_authenticated", False):
        return
    if actor.has_role(Role.FINANCE):
        for record in (selectors.visible_payment_requests(actor).filter(status=PaymentStatus.APPROVED)
                       .select_related("order").order_by("due_on", "id")[:100]):
            if rules.can_pay(actor, record) is None:
                yield InboxItem("paymentrequest.pay", _("Pay %(n)s") % {"n": record.number},
                                f"{record.number} {record.order.number}", services.payment_url(record),
                                "paymentrequest", record.pk, record.updated_at)
    for record in (selectors.visible_payment_requests(actor).filter(status=PaymentStatus.RETURNED, owner=actor.pk)
                   .select_related("order")[:100]):
        yield InboxItem("paymentrequest.returned", _("Change and resubmit %(n)s") % {"n": record.number},
                        f"{record.number} {record.order.number}", services.payment_url(record), "paymentrequest",
                        record.pk, record.updated_at)
    if actor.has_role(Role.INSPECTOR, Role.PROCUREMENT_HEAD):
        for retention in (selectors.visible_retentions(actor).filter(status=RetentionStatus.DUE)
                          .select_related("order")[:100]):
            if rules.can_sign_off(actor, retention) is None:
                label = _("Sign off the retention of %(n)s") % {"n": retention.order.number}
            elif rules.can_release(actor, retention) is None:
                label = _("Release the retention of %(n)s") % {"n": retention.order.number}
            else:
                continue
            yield InboxItem("retention.due", label, retention.order.number, services.retention_url(retention),
                            "retention", retention.pk, retention.updated_at)
