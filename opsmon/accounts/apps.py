from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "opsmon.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from . import events, signals  # noqa: F401 - register the actions and the login signals
