"""Access-matrix rows of receipts (到货验收) and supplier evaluations (issue 16).

Who: a receipt is read by its inspector and by whoever sees its order (purchasing.selectors.visible_orders: the
order's purchaser, finance, the procurement head, the executive, the admin; purchasers, the procurement head and
the warehouse inspector keeper1 are not among the matrix's actors): finance1, ceo1 and admin read every chain's
receipt, everyone else gets 404. Deliveries are recorded, submitted and cancelled by the order's purchaser or the
procurement head and accepted by the receipt's inspector (keeper1): 403 for every actor who sees them. The
evaluation is read with the order and written by its purchaser or the procurement head: 403 likewise.

world.py has no purchase order, so `build` is wrapped here to add, per chain, a signed order of buyer1 for a new
supplier (receiving.tests.factories, written row by row) with one delivery accepted by keeper1 (`receipt_id`) and
the order's evaluation (`order_id`: purchasing's order of the chain when matrix_purchasing.py set one, else this
one; an evaluation row is written for it when it has none, so GET answers 200 to its readers). Every body is
refused once authorised, so no row changes what the next one sees."""

from decimal import Decimal

from opsmon.evaluations.models import SupplierEvaluation
from opsmon.purchasing.models import PurchaseOrder
from opsmon.receiving.tests import factories

from . import matrix_feed, world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, chain, nothing, post


def _with_receipts(build):
    def wrapped(org):
        built = build(org)
        for _chain, ids in sorted(built.ids.items()):
            order = factories.order(org)
            receipt = factories.accepted(org, order, ["1"])
            ids["receipt_id"] = receipt.pk
            ids.setdefault("order_id", order.pk)
            evaluated = PurchaseOrder.objects.select_related("supplier").get(pk=ids["order_id"])
            if not SupplierEvaluation.objects.filter(order=evaluated).exists():
                mark = Decimal("80.00")
                SupplierEvaluation.objects.create(order=evaluated, supplier=evaluated.supplier, on_time=mark,
                                                  quality=mark, price=mark, service=mark, score=mark, grade="B",
                                                  created_by=org["buyer1"])
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_receipts = True
    return wrapped


if not getattr(world.build, "with_receipts", False):
    world.build = _with_receipts(world.build)

SEE_ALL = ("finance1", "ceo1", "admin")
# the change feed answers their changes to these only (the evaluations are seen with their orders)
matrix_feed.BY_ROLE["receipt"] = set(SEE_ALL)
matrix_feed.BY_ROLE["supplier_evaluation"] = set(SEE_ALL)


def _by_actor(allowed: tuple, *, seen: tuple = SEE_ALL) -> dict:
    """A chain column that depends on the actor's roles only (orders are not on the sales chains)."""
    return {(actor, relation): OK if actor in allowed else DENIED if actor in seen else HIDDEN
            for (actor, relation) in COLUMNS["cust"]}


READ = _by_actor(SEE_ALL)
NOBODY = _by_actor(())  # purchaser, procurement head, inspector: not actors here
RECEIPT = {"pk": "receipt_id"}
ORDER = {"order_pk": "order_id"}
NO_REASON = {"reason": ""}

API = {
    "GET /api/v1/receipts": nothing("signed_in"),
    "GET /api/v1/purchase-orders/{order_id}/receipts": chain(READ),
    "POST /api/v1/purchase-orders/{order_id}/receipts": chain(NOBODY, body=lambda i: {
        "delivered_on": "2026-01-01", "inspector_id": 0, "lines": []}),
    "GET /api/v1/receipts/{receipt_id}": chain(READ),
    "GET /api/v1/receipts/{receipt_id}/timeline": chain(READ),
    "POST /api/v1/receipts/{receipt_id}/submit": chain(NOBODY, body=lambda i: {}),
    "POST /api/v1/receipts/{receipt_id}/accept": chain(NOBODY, body=lambda i: {"lines": []}),
    "POST /api/v1/receipts/{receipt_id}/cancel": chain(NOBODY, body=lambda i: NO_REASON),
    "GET /api/v1/purchase-orders/{order_id}/evaluation": chain(READ),
    "PUT /api/v1/purchase-orders/{order_id}/evaluation": chain(NOBODY, body=lambda i: {"price": "101",
                                                                                       "service": "0"}),
}

WEB = {
    "receiving:list": nothing("signed_in"),
    "receiving:new": chain(NOBODY, args=ORDER, note="the form; recording is its POST (the API's rows)"),
    "receiving:detail": chain(READ, args=RECEIPT),
    "receiving:submit": post(chain(NOBODY, args=RECEIPT)),
    "receiving:accept": post(chain(NOBODY, args=RECEIPT)),
    "receiving:cancel": post(chain(NOBODY, args=RECEIPT), body=lambda i: NO_REASON),
    "evaluations:evaluate": chain(NOBODY, args=ORDER, note="the form; its POST saves"),
}
