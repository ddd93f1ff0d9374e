"""Reactions to lower modules' hooks (connected in apps.py): receipts accepted re-match invoices; receipts and
orders with invoices are not cancelled; the order's figures, completion and page section."""

from opsmon.purchasing import hooks as purchasing_hooks
from opsmon.receiving import hooks as receiving_hooks

from . import services, views

receiving_hooks.accepted.connect(services.on_receipt_accepted)
receiving_hooks.cancel_refusal.connect(services.receipt_cancel_refusal)
purchasing_hooks.figures.connect(services.order_figures)
purchasing_hooks.cancel_refusal.connect(services.order_cancel_refusal)
purchasing_hooks.incomplete.connect(services.order_incomplete)
purchasing_hooks.page_sections.connect(views.order_section)
