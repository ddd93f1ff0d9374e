"""evaluations' answers to purchasing's hooks: an order closes only once evaluated; the Evaluation section of the
order's page."""

from opsmon.purchasing import hooks as order_hooks

from . import services, views

order_hooks.close_refusal.connect(services.close_refusal)
order_hooks.page_sections.connect(views.order_section)
