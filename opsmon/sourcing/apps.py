from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcingConfig(AppConfig):
    name = "opsmon.sourcing"
    label = "sourcing"
    verbose_name = _("Sourcing (询价/比价)")

    def ready(self):
        from opsmon.core import links

        from . import events, receivers  # noqa: F401 - they register themselves
        from .models import Sourcing
        from .selectors import visible_sourcings

        links.register(Sourcing, visible=visible_sourcings, url_name="sourcing:detail")
