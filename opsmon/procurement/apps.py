from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "opsmon.procurement"
    label = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from opsmon.core import links

        from . import events, receivers, reminders  # noqa: F401 - they register themselves
        from .models import PurchaseRequest
        from .selectors import visible_requests

        links.register(PurchaseRequest, visible=visible_requests, url_name="procurement:request_detail")
