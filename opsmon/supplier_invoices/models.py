"""Supplier invoices (发票, FP-) and the three-way match (三单匹配) of each line against the purchase order's price
and the accepted quantity: matched or mismatch; the procurement head may accept a variance with a reason; finance
verifies; cancelled (红冲) while unpaid."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import InvoiceStatus

QTY = {"max_digits": 14, "decimal_places": 3}
RATE = {"max_digits": 5, "decimal_places": 2}


class SupplierInvoice(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="invoices",
                                 verbose_name=_("supplier"))
    invoice_type = models.CharField(_("invoice type"), max_length=32)  # code table invoice_type
    code = models.CharField(_("invoice code"), max_length=20, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=30)
    issued_on = models.DateField(_("issued on"))
    seller_tax_id = models.CharField(_("seller tax id"), max_length=20)
    total = MoneyField(_("total (tax incl.)"), default=Decimal("0.00"))
    status = models.CharField(_("status"), max_length=16, choices=InvoiceStatus.choices,
                              default=InvoiceStatus.SUBMITTED, editable=False)
    variance_reason = models.CharField(_("variance accepted because"), max_length=500, blank=True, editable=False)
    variance_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("variance accepted by"), editable=False)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("verified by"), editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("file"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["invoice_type", "code", "invoice_number"],
                                               condition=~Q(status="cancelled"),
                                               name="uniq_supplier_invoice_live")]
        indexes = [models.Index(fields=["supplier", "status"], name="supplier_invoice_idx")]

    def __str__(self):
        return f"{self.number} {self.invoice_number}"


class SupplierInvoiceLine(models.Model):
    invoice = models.ForeignKey(SupplierInvoice, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("purchasing.OrderLine", on_delete=models.PROTECT, related_name="invoice_lines")
    qty = models.DecimalField(_("quantity"), **QTY)
    amount = MoneyField(_("amount (tax incl.)"))
    tax_rate = models.DecimalField(_("tax rate (%)"), **RATE)
    expected = MoneyField(_("expected amount"), default=Decimal("0.00"), editable=False)
    matched = models.BooleanField(_("matched"), default=False, editable=False)
    mismatch = models.CharField(_("mismatch"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "id"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="supplier_invoice_line_qty")]

    def __str__(self):
        return f"{self.invoice.number} {self.order_line}"
