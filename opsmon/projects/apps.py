from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "opsmon.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from . import events, inbox, receivers  # noqa: F401 - register the events and the inbox provider
