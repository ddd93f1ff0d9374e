from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "opsmon.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        from . import deadlines, events, inbox, receivers  # noqa: F401 - they register themselves
