"""Opportunity actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register_event

CONVERTED = register_event("opportunity.converted", _("Opportunity converted"))
