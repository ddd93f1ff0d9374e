"""Where higher modules act on contracts without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# Milestones about to change (a draft edit, an approved amendment): each receiver
# `check(contract, milestones)` answers {field: message} for what it cannot allow (receivables: a milestone with
# invoices removed, or lowered below what is invoiced); save_milestones refuses with a 422 naming them.
# `milestones` are the new rows by position (1-based), each a dict with `amount` and `percentage`.
check_milestones = Hook("contracts.check_milestones")
# More sections of the contract page: each receiver `section(*, request, contract, forms)` answers a dict
# {"template": "<app>/<partial>.html", ...context} or None; the page includes each template with its dict as
# `section`. `forms` are the page's bound forms after a refused POST ({form name: form}), so a module's own
# form keeps what the user typed (receivables: "invoice", "collection"); receivers take `**_context` for more.
detail_sections = Hook("contracts.detail_sections")
