from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "opsmon.directory"
    label = "directory"
    verbose_name = _("Directory sign-in")

    def ready(self):
        from . import events, inbox, signals  # noqa: F401 - register the actions, the inbox provider, the error receiver
