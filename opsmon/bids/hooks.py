"""Where higher modules act on bids without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# A won bid offers "create contract": contracts connects `create(actor, bid, amount)` → the Contract.
create_contract = Hook("bids.create_contract", single=True)
# Who sees a bid besides its own visibility rule: contracts connects `extra_visible(actor)` → a queryset of bid ids
# (the bids behind the contracts whose review steps he decides: a reviewer reads what he decides on), or None.
extra_visible = Hook("bids.extra_visible")
# More sections of the bid page: each receiver `section(request, bid)` answers a dict
# {"template": "<app>/<partial>.html", ...context} or None; the page includes each template with its dict as `section`
# (guarantees: the letters of the bid's bonds).
detail_sections = Hook("bids.detail_sections")
