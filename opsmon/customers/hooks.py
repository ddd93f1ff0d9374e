"""Where higher modules add to a customer's page without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# "What links here": each receiver `related(viewer, customer)` answers a dict for the customer page's context
# (the opportunities module adds the viewer's opportunities of this customer).
related = Hook("customers.related")
