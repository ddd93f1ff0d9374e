from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivablesConfig(AppConfig):
    name = "opsmon.receivables"
    label = "receivables"
    verbose_name = _("Receivables")

    def ready(self):
        from . import events, inbox, receivers, reminders  # noqa: F401 - they register themselves
