from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplierInvoicesConfig(AppConfig):
    name = "opsmon.supplier_invoices"
    label = "supplier_invoices"
    verbose_name = _("Supplier invoices")

    def ready(self):
        from opsmon.core import links

        from . import events, receivers, reminders  # noqa: F401 - they register themselves
        from .models import SupplierInvoice
        from .selectors import visible_invoices

        links.register(SupplierInvoice, visible=visible_invoices, url_name="supplier_invoices:detail")
