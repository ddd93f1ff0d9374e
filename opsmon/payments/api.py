"""/payment-requests and /retentions."""

from ninja import Router

router = Router(tags=["payments"])
