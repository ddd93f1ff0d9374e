from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "opsmon.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self):
        from opsmon.core import links

        from . import deadlines, events, inbox, receivers  # noqa: F401 - they register themselves
        from .models import Contract
        from .selectors import visible_contracts

        # Other pages link to these records only where the viewer may open them (core.links).
        links.register(Contract, visible=visible_contracts, url_name="contracts:detail")
