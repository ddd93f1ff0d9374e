"""Where higher procurement modules act on requests and budgets without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# Commitment of purchase orders: purchasing connects `committed(project, by_category: bool)` → Decimal (or
# {category: Decimal} when by_category): lines of orders `approved` or later, not cancelled, dropped qty excluded,
# at the line cost (excl. tax when the order's invoice type is deductible, else incl.). Request lines already
# ordered leave C through their request's status / ordered quantity.
order_commitment = Hook("procurement.order_commitment")
# The project's received / invoiced / paid figures for its cost card (/projects/{id}/cost): costs connects
# `figures(project)` → {"received": Decimal, "invoiced": Decimal, "paid": Decimal}; cost_of merges the answers.
project_figures = Hook("procurement.project_figures")
# What a viewer can do next with a request in a higher module (an approved request's "start a sourcing"):
# sourcing connects `next_steps(user, request)` → [{"label", "url", "testid"}], shown among the page's actions.
next_steps = Hook("procurement.next_steps")
