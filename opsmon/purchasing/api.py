"""/purchase-orders and /sourcings/{id}/create-orders: purchase orders, reviews, signing, amendments."""

from ninja import Router

router = Router(tags=["purchasing"])
