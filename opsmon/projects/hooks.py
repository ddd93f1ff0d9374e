"""Where higher modules act on projects without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# project_route to bidding needs a bid: bids connects `create(actor, project)` → the Bid.
create_bid = Hook("projects.create_bid", single=True)
# project_route to contract review needs a contract draft: contracts connects `create(actor, project)`.
create_contract = Hook("projects.create_contract", single=True)
# The delivery state of the hand-off to implementation: integrations connects `state(project)` →
# "delivered" | "pending" | "failed" | None.
handoff_state = Hook("projects.handoff_state", single=True)
