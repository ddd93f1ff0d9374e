"""What purchasing does for lower modules: the review kinds "purchase_order" (steps approve, return to draft or
reject) and "order_amendment" (on the order routes, filed under the order, never decided by the order's purchaser
nor by whoever proposed it) handed to the approvals engine, and the orders' commitment of a project's purchase
budget (procurement.hooks.order_commitment)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.approvals import kinds
from opsmon.procurement import hooks as procurement_hooks

from . import services
from .models import OrderAmendment, PurchaseOrder


def _title(order: PurchaseOrder) -> str:
    return f"{order.number} {order.title}"


TEXTS = {"waiting": gettext_lazy("A purchase order waits for your decision: %(title)s"),
         "no_route": gettext_lazy("No review route covers this purchase order; ask an administrator."),
         "type_field": "lines"}

kinds.register(kinds.Kind(
    name=services.ORDER_KIND, label=gettext_lazy("Purchase orders"), model=PurchaseOrder,
    owner=lambda o: o.owner_id, department=lambda o: o.department, amount=lambda o: o.total,
    category=services.category_of, category_table="supplier_category",
    url=services.order_url, title=_title,
    on_approved=services.order_approved, on_rejected=services.order_rejected,
    allows_return=True, on_returned=services.order_returned, texts=TEXTS,
    inbox_label=lambda o, step: _("Decide purchase order %(n)s (%(step)s)") % {"n": o.number, "step": step}))

kinds.register(kinds.Kind(
    name=services.AMENDMENT_KIND, label=gettext_lazy("Purchase order amendments"), model=OrderAmendment,
    routes=services.ORDER_KIND, owner=lambda a: a.order.owner_id, proposer=lambda a: a.created_by_id,
    department=lambda a: a.order.department, amount=services.amended_total,
    category=lambda a: services.category_of(a.order), record=lambda a: a.order,
    url=lambda a: services.order_url(a.order), title=lambda a: _title(a.order),
    on_approved=services.amendment_approved, on_rejected=services.amendment_rejected,
    allows_return=True, on_returned=services.amendment_rejected,
    texts={**TEXTS, "waiting": gettext_lazy("An amendment of a purchase order waits for your decision: %(title)s")},
    inbox_label=lambda a, step: _("Decide the amendment of %(n)s (%(step)s)") % {"n": a.order.number,
                                                                                  "step": step}))

procurement_hooks.order_commitment.connect(services.commitment)
