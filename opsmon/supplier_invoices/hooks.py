"""Where higher modules act on supplier invoices without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# Why an invoice may not be cancelled (红冲 only while unpaid): payments connects `cancel_refusal(invoice)` → text or
# None when a live payment request (in review, approved or paid) carries it.
cancel_refusal = Hook("supplier_invoices.cancel_refusal")
