"""Where higher procurement modules act on purchase orders without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# An order was signed: payments connects `signed(order)` to hold its retention (O × r).
signed = Hook("purchasing.signed")
# An order was terminated or cancelled: `ended(order)`.
ended = Hook("purchasing.ended")
# The order's received / invoiced / paid figures (tax incl.): receiving answers {"received": Decimal},
# supplier_invoices {"invoiced": Decimal}, payments {"paid": Decimal, "paid_excl_retention": Decimal}; callers merge
# the dicts. `figures(order)`.
figures = Hook("purchasing.figures")
# Why an order may not be cancelled (anything received, invoiced or paid): `cancel_refusal(order)` → text or None.
cancel_refusal = Hook("purchasing.cancel_refusal")
# Why an order is not completed yet (all accepted, invoiced, paid bar retention): `incomplete(order)` → text|None.
incomplete = Hook("purchasing.incomplete")
# Why a completed order may not close (retention settled, evaluated): `close_refusal(order)` → text or None.
close_refusal = Hook("purchasing.close_refusal")
# Sections higher modules add to the order's page (receipts, invoices, payments, retention, evaluation):
# `section(request, order)` → HTML or "".
page_sections = Hook("purchasing.page_sections")
# The accepted quantity of each order line: receiving connects `accepted(order)` → {order_line_id: Decimal} (sums of
# accepted receipt lines); callers add the answers up, a line nobody names has 0 accepted. Termination drops the
# rest (dropped_qty = qty − accepted); amendments keep qty ≥ accepted.
accepted = Hook("purchasing.accepted")
