from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReceivingConfig(AppConfig):
    name = "opsmon.receiving"
    label = "receiving"
    verbose_name = _("Receipts")

    def ready(self):
        from opsmon.core import links, ui

        from . import events, receivers, reminders  # noqa: F401 - they register themselves
        from .models import Receipt
        from .selectors import visible_receipts
        from .ui import RECEIPTS

        links.register(Receipt, visible=visible_receipts, url_name="receiving:detail")
        ui.register(RECEIPTS)
