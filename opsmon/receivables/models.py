"""Receivables (回款): invoices (开票) and collections (回款) recorded by finance against a sales contract's payment
milestones. The milestone is the billing point (contracts.Milestone: amount or percentage, due date, billing
condition); these rows are the money trail against it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import CollectionMethod, InvoiceType


class Invoice(models.Model):
    """An invoice issued to the customer for (part of) a milestone."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="invoices",
                                 verbose_name=_("contract"))
    milestone = models.ForeignKey("contracts.Milestone", on_delete=models.PROTECT, related_name="invoices",
                                  verbose_name=_("payment milestone"))
    number = models.CharField(_("invoice number"), max_length=40)
    invoice_type = models.CharField(_("invoice type"), max_length=16, choices=InvoiceType.choices)
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2)
    amount = MoneyField(_("amount incl. tax"))
    issued_on = models.DateField(_("issued on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="invoice_amount_positive"),
            models.CheckConstraint(condition=models.Q(tax_rate__gte=0) & models.Q(tax_rate__lte=100),
                                   name="invoice_tax_rate_range"),
            models.UniqueConstraint(fields=["invoice_type", "number"], name="uniq_invoice_number"),
        ]

    def __str__(self):
        return self.number


class Collection(models.Model):
    """Money received from the customer against a milestone; a prepayment may come before its invoice."""

    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, related_name="collections",
                                 verbose_name=_("contract"))
    milestone = models.ForeignKey("contracts.Milestone", on_delete=models.PROTECT, related_name="collections",
                                  verbose_name=_("payment milestone"))
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("received on"))
    method = models.CharField(_("method"), max_length=24, choices=CollectionMethod.choices)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    prepayment = models.BooleanField(_("prepayment"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("collection")
        verbose_name_plural = _("collections")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="collection_amount_positive")]

    def __str__(self):
        return f"{self.amount}"
