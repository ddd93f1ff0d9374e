"""What bids do when lower modules call (core.hooks): a project routed to bidding gets its bid."""

from opsmon.projects import hooks as project_hooks

from .services import bid_create_for_project

project_hooks.create_bid.connect(bid_create_for_project)
