"""Daily reminders (PROCUREMENT.md "Reminders"): a payment due within 7 days or overdue (flagged when the supplier
is an SME: 保障中小企业款项支付条例) to finance and the order's purchaser; a retention due within 30 days to the
order's purchaser. The retentions are brought up to date first (held → due, services.refresh_due)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.core.reminders import Due, provider

from . import services
from .choices import PaymentStatus, RetentionStatus
from .models import PaymentRequest, Retention

PAYMENT_DAYS = 7
RETENTION_DAYS = 30


def payments_due(today):
    return (PaymentRequest.objects.filter(status__in=(PaymentStatus.IN_REVIEW, PaymentStatus.APPROVED),
                                          due_on__isnull=False, due_on__lte=today + timedelta(days=PAYMENT_DAYS))
            .select_related("order__supplier", "order__owner").order_by("due_on", "id"))


def retentions_due(today):
    return (Retention.objects.filter(status__in=(RetentionStatus.HELD, RetentionStatus.DUE), due_on__isnull=False,
                                     due_on__lte=today + timedelta(days=RETENTION_DAYS))
            .select_related("order__owner").order_by("due_on", "id"))


def payment_text(record, today) -> str:
    values = {"n": record.number, "o": record.order.number, "s": record.order.supplier.name,
              "a": f"{record.amount:,.2f}", "d": record.due_on.isoformat()}
    if record.due_on < today:
        text = _("Payment %(n)s of %(a)s to %(s)s (order %(o)s) is overdue since %(d)s.") % values
    else:
        text = _("Payment %(n)s of %(a)s to %(s)s (order %(o)s) is due on %(d)s.") % values
    if record.order.supplier.is_sme:
        text = _("[SME supplier] %(text)s") % {"text": text}
    return text


@provider
def due_payments(now):
    today = timezone.localdate(now)
    records = list(payments_due(today))
    if not records:
        return
    finance = list(User.objects.filter(is_active=True, groups__name=Role.FINANCE).order_by("id"))
    for record in records:
        text = payment_text(record, today)
        for user in dict.fromkeys([*finance, record.order.owner]):
            if user.is_active:
                yield Due(recipient=user, text=text, url=services.payment_url(record))


@provider
def due_retentions(now):
    today = timezone.localdate(now)
    services.refresh_all(today=today)
    for retention in retentions_due(today):
        owner = retention.order.owner
        if owner.is_active:
            yield Due(recipient=owner, text=_("The retention %(a)s of order %(o)s is due on %(d)s.") % {
                "a": f"{retention.amount:,.2f}", "o": retention.order.number, "d": retention.due_on.isoformat()},
                url=services.retention_url(retention))
