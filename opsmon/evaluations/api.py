"""/purchase-orders/{id}/evaluation: supplier evaluations."""

from ninja import Router

router = Router(tags=["evaluations"])
