"""Contract and amendment actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register_event

SIGNED = register_event("contract.signed", _("Contract signed"))
AMENDED = register_event("contract.amended", _("Contract amended"))
