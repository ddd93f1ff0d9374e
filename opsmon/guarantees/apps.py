from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuaranteesConfig(AppConfig):
    name = "opsmon.guarantees"
    label = "guarantees"
    verbose_name = _("Guarantee letters")

    def ready(self):
        from . import deadlines, events, inbox, receivers, reminders  # noqa: F401 - they register themselves
