from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "opsmon.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self):
        from . import events, inbox  # noqa: F401 - register the actions and the inbox provider
