"""Where higher modules act on receipts without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# A receipt was accepted (or rejected): supplier_invoices connects `accepted(receipt)` to re-match open invoices of
# its order; evaluations may use it too.
accepted = Hook("receiving.accepted")
# Why a receipt may not be cancelled (an invoice matched against it): `cancel_refusal(receipt)` → text or None.
cancel_refusal = Hook("receiving.cancel_refusal")
