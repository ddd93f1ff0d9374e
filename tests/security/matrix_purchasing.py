"""Access-matrix rows of purchase orders (采购合同/订单, issue 16).

Who: an order is read by its purchaser, finance, the procurement head, the executive and the admin, by whoever
sees its project, by its inspectors and its deciders (purchasing.selectors.visible_orders). The orders here are on
no project and the purchasers, the procurement head and the inspectors are not among the matrix's actors, so
finance1, ceo1 and admin read every chain's order and everyone else gets 404. Every action (edit, submit, sign,
amend: the purchaser; cancel, terminate, close: the purchaser or the procurement head; the steps: their deciders)
answers 403 to those who see the order. "Create orders" acts on a sourcing, seen by its purchaser, the procurement
head, the executive and the admin (sourcing.selectors): 403 for ceo1 and admin, 404 for everyone else.

world.py has no purchase order, so `build` is wrapped here to add, per chain, a draft order of buyer1 written row by
row for a new supplier (`purchase_order_id`, also the API's `order_id`) and an empty draft sourcing of buyer1
(`sourcing_id`, unless the sourcing matrix set one). Every body is refused once authorised, so no row changes what
the next one sees."""

from decimal import Decimal

from opsmon.core.numbering import next_number
from opsmon.purchasing.models import OrderLine, PurchaseOrder
from opsmon.sourcing.models import Sourcing
from opsmon.suppliers.tests import factories as supplier_factories

from . import matrix_feed, world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, chain, nothing, post


def _with_orders(build):
    def wrapped(org):
        built = build(org)
        buyer = org["buyer1"]
        for _chain, ids in sorted(built.ids.items()):
            order = PurchaseOrder.objects.create(
                number=next_number("CGHT"), title="矩阵采购合同", supplier=supplier_factories.qualified(org),
                owner=buyer, department=buyer.department, total=Decimal("100.00"), award_total=Decimal("100.00"))
            OrderLine.objects.create(order=order, position=1, item="服务器", unit="set", category="hardware",
                                     qty=Decimal("1"), unit_price=Decimal("100"), tax_rate=Decimal("13"),
                                     amount=Decimal("100.00"), amount_excl=Decimal("88.50"))
            ids["purchase_order_id"] = order.pk
            ids["order_id"] = order.pk  # the API's {order_id}: receiving's rows read the same order
            if "sourcing_id" not in ids:
                ids["sourcing_id"] = Sourcing.objects.create(number=next_number("XJ"), title="矩阵询价",
                                                             method="inquiry", owner=buyer,
                                                             department=buyer.department).pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_purchase_orders = True
    return wrapped


if not getattr(world.build, "with_purchase_orders", False):
    world.build = _with_orders(world.build)

SEE_ALL = ("finance1", "ceo1", "admin")
matrix_feed.BY_ROLE["purchase_order"] = set(SEE_ALL)  # the change feed answers their changes to these only


def _by_actor(allowed: tuple, *, seen: tuple = SEE_ALL) -> dict:
    """A chain column that depends on the actor's roles only (these orders are not on the sales chains)."""
    return {(actor, relation): OK if actor in allowed else DENIED if actor in seen else HIDDEN
            for (actor, relation) in COLUMNS["cust"]}


READ = _by_actor(SEE_ALL)
NOWHERE = {key: HIDDEN for key in READ}  # a draft has no signed copy: 404 for everyone
NOBODY = _by_actor(())
SOURCING = _by_actor((), seen=("ceo1", "admin"))
ORDER = {"pk": "purchase_order_id"}
NO_REASON = {"reason": ""}
COMMENT = {"comment": "矩阵"}

API = {
    "POST /api/v1/sourcings/{sourcing_id}/create-orders": chain(SOURCING, body=lambda i: {}),
    "GET /api/v1/purchase-orders": nothing("signed_in"),
    "GET /api/v1/purchase-orders/{order_id}": chain(READ),
    "PATCH /api/v1/purchase-orders/{order_id}": chain(NOBODY,
                                                      body=lambda i: {"version": 1, "payment_days": 30}),
    "GET /api/v1/purchase-orders/{order_id}/timeline": chain(READ),
    "POST /api/v1/purchase-orders/{order_id}/submit-review": chain(NOBODY,
                                                                   body=lambda i: {}),
    "GET /api/v1/purchase-orders/{order_id}/reviews": chain(READ),
    "POST /api/v1/purchase-orders/{order_id}/reviews/{step_id}/approve": chain(NOBODY, body=lambda i: {}),
    "POST /api/v1/purchase-orders/{order_id}/reviews/{step_id}/return": chain(NOBODY, body=lambda i: COMMENT),
    "POST /api/v1/purchase-orders/{order_id}/reviews/{step_id}/reject": chain(NOBODY, body=lambda i: COMMENT),
    "POST /api/v1/purchase-orders/{order_id}/sign": chain(NOBODY,
                                                          body=lambda i: {"signed_on": ""}),
    "POST /api/v1/purchase-orders/{order_id}/cancel": chain(NOBODY,
                                                            body=lambda i: NO_REASON),
    "POST /api/v1/purchase-orders/{order_id}/terminate": chain(NOBODY,
                                                               body=lambda i: NO_REASON),
    "POST /api/v1/purchase-orders/{order_id}/close": chain(NOBODY,
                                                           body=lambda i: {}),
    "GET /api/v1/purchase-orders/{order_id}/amendments": chain(READ),
    "POST /api/v1/purchase-orders/{order_id}/amendments": chain(NOBODY,
                                                                body=lambda i: {"changes": {}}),
    "GET /api/v1/purchase-orders/{order_id}/versions": chain(READ),
    "GET /api/v1/purchase-orders/{order_id}/document": chain(READ),
}

WEB = {
    "purchasing:order_list": nothing("signed_in"),
    "purchasing:create_orders": post(chain(SOURCING, args={"sourcing_pk": "sourcing_id"})),
    "purchasing:order_detail": chain(READ, args=ORDER),
    "purchasing:order_edit": chain(NOBODY, args=ORDER),
    "purchasing:order_submit": post(chain(NOBODY, args=ORDER)),
    "purchasing:order_decide": post(chain(NOBODY, args=ORDER), body=lambda i: {"decision": "approve"}),
    "purchasing:order_sign": post(chain(NOBODY, args=ORDER), body=lambda i: {"signed_on": ""}),
    "purchasing:order_cancel": post(chain(NOBODY, args=ORDER), body=lambda i: NO_REASON),
    "purchasing:order_terminate": post(chain(NOBODY, args=ORDER), body=lambda i: NO_REASON),
    "purchasing:order_close": post(chain(NOBODY, args=ORDER)),
    "purchasing:order_amend": post(chain(NOBODY, args=ORDER), body=lambda i: {"reason": ""}),
    "purchasing:order_document": chain(READ, args=ORDER),
    "purchasing:signed_copy": chain(NOWHERE, args=ORDER, note="the orders here are drafts: no signed copy yet"),
}
