"""What contracts do when lower modules call (core.hooks): a project routed to contract review, or a won bid, gets
its contract draft."""

from opsmon.bids import hooks as bid_hooks
from opsmon.projects import hooks as project_hooks

from .services import contract_create_for_bid, contract_create_for_project

project_hooks.create_contract.connect(contract_create_for_project)
bid_hooks.create_contract.connect(contract_create_for_bid)
