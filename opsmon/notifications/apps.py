from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "opsmon.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from opsmon.core.events import subscribe

        from . import events, inbox  # noqa: F401 - register the actions and the inbox provider
        from .services import tell_recipients
        subscribe(tell_recipients)
