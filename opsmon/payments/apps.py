from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "opsmon.payments"
    label = "payments"
    verbose_name = _("Supplier payments")

    def ready(self):
        from opsmon.core import links

        from . import events, inbox, receivers, reminders  # noqa: F401 - they register themselves
        from .models import PaymentRequest, Retention
        from .selectors import visible_payment_requests, visible_retentions

        links.register(PaymentRequest, visible=visible_payment_requests, url_name="payments:detail")
        links.register(Retention, visible=visible_retentions, url_name="payments:retention_detail")
