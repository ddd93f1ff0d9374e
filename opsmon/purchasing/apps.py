from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "opsmon.purchasing"
    label = "purchasing"
    verbose_name = _("Purchase orders")

    def ready(self):
        from opsmon.core import links

        from . import events, receivers, reminders  # noqa: F401 - they register themselves
        from .models import PurchaseOrder
        from .selectors import visible_orders

        links.register(PurchaseOrder, visible=visible_orders, url_name="purchasing:order_detail")
