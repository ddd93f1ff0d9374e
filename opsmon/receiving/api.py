"""/purchase-orders/{id}/receipts and /receipts: deliveries and their inspection."""

from ninja import Router

router = Router(tags=["receiving"])
