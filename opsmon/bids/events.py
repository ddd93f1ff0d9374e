"""Bid and bond actions and events, declared once with their labels (core.events)."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register_event

WON = register_event("bid.won", _("Bid won"))
LOST = register_event("bid.lost", _("Bid lost"))
