"""Receipts (到货验收, DH-): one (partial) delivery against a purchase order, inspected by someone other than the
order's purchaser. Delivered ≤ ordered − accepted − pending (+ over_receipt_pct); accepted + rejected = delivered.
The acceptance date starts the payment clock and the warranty."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import ReceiptStatus

QTY = {"max_digits": 14, "decimal_places": 3}


class Receipt(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    order = models.ForeignKey("purchasing.PurchaseOrder", on_delete=models.PROTECT, related_name="receipts",
                              verbose_name=_("purchase order"))
    status = models.CharField(_("status"), max_length=16, choices=ReceiptStatus.choices,
                              default=ReceiptStatus.DRAFT, editable=False)
    delivered_on = models.DateField(_("delivered on"))
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="receipts",
                                  verbose_name=_("inspector"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order", "status"], name="receipt_order_idx"),
                   models.Index(fields=["inspector", "status"], name="receipt_inspector_idx")]

    def __str__(self):
        return self.number


class ReceiptLine(models.Model):
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("purchasing.OrderLine", on_delete=models.PROTECT, related_name="receipt_lines")
    qty = models.DecimalField(_("delivered quantity"), **QTY)
    accepted = models.DecimalField(_("accepted quantity"), default=Decimal("0"), **QTY)
    rejected = models.DecimalField(_("rejected quantity"), default=Decimal("0"), **QTY)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("receipt line")
        verbose_name_plural = _("receipt lines")
        ordering = ["receipt", "id"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="receipt_line_qty_positive"),
                       models.CheckConstraint(condition=Q(accepted__gte=0) & Q(rejected__gte=0),
                                              name="receipt_line_split")]

    def __str__(self):
        return f"{self.receipt.number} {self.order_line}"
