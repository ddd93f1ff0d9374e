from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuppliersConfig(AppConfig):
    name = "opsmon.suppliers"
    label = "suppliers"
    verbose_name = _("Suppliers")

    def ready(self):
        from opsmon.core import links, ui

        from . import events, reminders  # noqa: F401 - they register themselves
        from .models import Supplier
        from .selectors import visible_suppliers
        from .ui import SUPPLIERS

        # Other pages link to suppliers only where the viewer may open them (core.links).
        links.register(Supplier, visible=visible_suppliers, url_name="suppliers:detail")
        ui.register(SUPPLIERS)  # the desktop client's description (core.ui)
