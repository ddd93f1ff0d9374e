from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "opsmon.resources"
    label = "resources"
    verbose_name = _("Project resources")

    def ready(self):
        from . import events, receivers  # noqa: F401 - they register themselves
