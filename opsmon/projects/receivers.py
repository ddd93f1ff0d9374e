"""What projects do when lower modules call (core.hooks): a converted opportunity starts a project."""

from opsmon.opportunities import hooks as opportunity_hooks

from .services import project_create_from_opportunity

opportunity_hooks.create_project.connect(project_create_from_opportunity)
