from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "opsmon.calendars"
    label = "calendars"
    verbose_name = _("Calendar feeds")

    def ready(self):
        from . import events, providers  # noqa: F401 - register the actions and the deadline providers
