"""Where higher modules act on bids without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# A won bid offers "create contract": contracts connects `create(actor, bid, amount)` → the Contract.
create_contract = Hook("bids.create_contract", single=True)
