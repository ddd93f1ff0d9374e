"""What payments does for lower modules: the review kind "payment_request" handed to the approvals engine (steps
approve, return or reject), the retention held when an order is signed, the order's paid figures and refusals
(purchasing.hooks), the invoice's cancel refusal (supplier_invoices.hooks) and the Payments section of the order's
page."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.purchasing import hooks as order_hooks
from opsmon.receiving import hooks as receipt_hooks
from opsmon.supplier_invoices import hooks as invoice_hooks

from . import services, views
from .models import PaymentRequest

kinds.register(kinds.Kind(
    name=services.KIND, label=gettext_lazy("Payment requests"), model=PaymentRequest,
    owner=lambda r: r.owner_id, department=lambda r: r.department, amount=lambda r: r.amount,
    url=services.payment_url, title=lambda r: f"{r.number} {r.order.number} {r.get_kind_display()}",
    on_approved=services.payment_approved, on_rejected=services.payment_rejected,
    allows_return=True, on_returned=services.payment_returned,
    texts={"waiting": gettext_lazy("A payment request waits for your decision: %(title)s"),
           "no_route": gettext_lazy("No review route covers this payment request; ask an administrator."),
           "type_field": "amount"},
    inbox_label=lambda r, step: _("Decide payment request %(n)s (%(step)s)") % {"n": r.number, "step": step}))


def _signed(order):
    services.hold(order)


def _ended(order):
    services.order_ended(order)


def _figures(order):
    return services.figures(order)


def _incomplete(order):
    return services.incomplete(order)


def _close_refusal(order):
    return services.close_refusal(order)


def _cancel_refusal(order):
    return services.order_cancel_refusal(order)


def _receipt_accepted(receipt):
    """The order's last receipt may just have been accepted: the retention's due date (warranty end) follows."""
    services.refresh_due(receipt.order)


def _invoice_cancel_refusal(invoice):
    return services.invoice_cancel_refusal(invoice)


order_hooks.signed.connect(_signed)
order_hooks.ended.connect(_ended)
order_hooks.figures.connect(_figures)
order_hooks.incomplete.connect(_incomplete)
order_hooks.close_refusal.connect(_close_refusal)
order_hooks.cancel_refusal.connect(_cancel_refusal)
order_hooks.page_sections.connect(views.order_section)
invoice_hooks.cancel_refusal.connect(_invoice_cancel_refusal)
receipt_hooks.accepted.connect(_receipt_accepted)
