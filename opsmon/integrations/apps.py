from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "opsmon.integrations"
    label = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from opsmon.core.events import subscribe

        from . import receivers  # noqa: F401 - connects the hooks it answers
        from .events import queue_webhooks
        subscribe(queue_webhooks)
