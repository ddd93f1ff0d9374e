from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "opsmon.summaries"
    label = "summaries"
    verbose_name = _("Dashboard summaries")

    def ready(self):
        from . import maintain

        maintain.connect()
