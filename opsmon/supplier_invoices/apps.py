from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupplierInvoicesConfig(AppConfig):
    name = "opsmon.supplier_invoices"
    label = "supplier_invoices"
    verbose_name = _("Supplier invoices")
