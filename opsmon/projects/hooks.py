"""Where higher modules act on projects without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# project_route to bidding needs a bid: bids connects `create(actor, project)` → the Bid.
create_bid = Hook("projects.create_bid", single=True)
# project_route to contract review needs a contract draft: contracts connects `create(actor, project)`.
create_contract = Hook("projects.create_contract", single=True)
# The delivery state of the hand-off to implementation: integrations connects `state(project)` →
# "delivered" | "pending" | "failed" | None.
handoff_state = Hook("projects.handoff_state", single=True)
# A project is handed to implementation (routed there, or its contract signed): integrations connects
# `hand_off(actor, project, contract)` → the hand-off's id (str), recorded for the outside systems it goes to and
# sent to them; callers take the first answer, or None when no module listens.
hand_off = Hook("projects.hand_off")
# Sections higher modules add to the project's page (e.g. resources): `section(request, project)` → HTML or "".
page_sections = Hook("projects.page_sections")
