"""Guarantee letter actions and events, declared once with their labels (core.events). The same keys label the
rows written on the letter's bond or contract."""

from django.utils.translation import gettext_lazy as _

from opsmon.core.events import register, register_event

REGISTERED = register_event("guarantee.registered", _("Guarantee letter registered"))
EXTENDED = register_event("guarantee.extended", _("Guarantee letter extended"))
RELEASED = register_event("guarantee.released", _("Guarantee letter released"))

# Every timeline action the module writes (services and core.workflow.transition's "guaranteeletter.<action>").
register("guarantee.registered", _("Guarantee letter registered"), webhook=REGISTERED)
register("guaranteeletter.extend", _("Guarantee letter extended"), webhook=EXTENDED)
register("guaranteeletter.release", _("Guarantee letter released (returned to the bank)"), webhook=RELEASED)
