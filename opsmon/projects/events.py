"""Project actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register_event

APPROVED = register_event("project.approved", _("Project approved"))
ROUTED = register_event("project.routed", _("Project routed"))
