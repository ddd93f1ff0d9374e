"""Where higher modules act on opportunities without being imported here (core.hooks)."""

from opsmon.core.hooks import Hook

# opportunity_convert needs the project that starts from it: projects connects `create(actor, opportunity)`.
create_project = Hook("opportunities.create_project", single=True)
