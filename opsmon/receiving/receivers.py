"""receiving's answers to purchasing's hooks: the order's received figures and accepted quantities, why it is not
complete yet or may not be cancelled, and the Receipts section of the order's page."""

from opsmon.purchasing import hooks as order_hooks

from . import selectors, services, views

order_hooks.figures.connect(services.figures)
order_hooks.accepted.connect(selectors.order_accepted)
order_hooks.incomplete.connect(services.order_incomplete)
order_hooks.cancel_refusal.connect(services.order_cancel_refusal)
order_hooks.page_sections.connect(views.order_section)
