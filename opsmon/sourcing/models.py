"""Sourcing (询价/比价单, XJ-): approved purchase-request lines put to invited suppliers, their quotations, and the
award (定标) per line, reviewed on the approvals engine (kind "award"). Quotation prices stay hidden from everyone
but the sourcing's purchaser until it is `evaluating` (比价保密)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import SourcingStatus

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
RATE = {"max_digits": 5, "decimal_places": 2}


class Sourcing(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200, blank=True)
    method = models.CharField(_("purchase method"), max_length=32)       # code table purchase_method
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="sourcings",
                              verbose_name=_("purchaser"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=SourcingStatus.choices,
                              default=SourcingStatus.DRAFT, editable=False)
    deadline = models.DateTimeField(_("quotation deadline"), null=True, blank=True)
    estimate = MoneyField(_("estimated total"), default=Decimal("0.00"), editable=False)
    category = models.CharField(_("category"), max_length=32, blank=True, editable=False)  # largest line category
    single_source_reason = models.CharField(_("single-source reason"), max_length=32, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    original_order = models.ForeignKey("purchasing.PurchaseOrder", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="add_on_sourcings", verbose_name=_("original order (添购)"))
    notice_on = models.DateField(_("single-source notice published on (公示)"), null=True, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    award_warnings = models.JSONField(_("award overrides"), default=list, blank=True, editable=False)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    evaluated_at = models.DateTimeField(_("evaluation started at"), null=True, blank=True, editable=False)
    awarded_at = models.DateTimeField(_("awarded at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("sourcing")
        verbose_name_plural = _("sourcings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="sourcing_status_idx")]

    def __str__(self):
        return f"{self.number} {self.title}".strip()


class SourcingLine(models.Model):
    """One approved request line put to the suppliers, and its award: the chosen quotation line, or dropped with a
    reason; `reason_not_lowest` when the chosen price is not the lowest valid tax-inclusive one."""

    sourcing = models.ForeignKey(Sourcing, on_delete=models.CASCADE, related_name="lines")
    request_line = models.ForeignKey("procurement.RequestLine", on_delete=models.PROTECT,
                                     related_name="sourcing_lines", verbose_name=_("request line"))
    qty = models.DecimalField(_("quantity"), **QTY)
    awarded = models.ForeignKey("QuotationLine", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("awarded quotation line"))
    drop_reason = models.CharField(_("reason for dropping"), max_length=500, blank=True)
    reason_not_lowest = models.CharField(_("reason for not the lowest price"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sourcing line")
        verbose_name_plural = _("sourcing lines")
        ordering = ["sourcing", "id"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="sourcing_line_qty_positive")]

    def __str__(self):
        return f"{self.sourcing.number} #{self.pk}"


class Invitation(models.Model):
    sourcing = models.ForeignKey(Sourcing, on_delete=models.CASCADE, related_name="invitations")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="invitations",
                                 verbose_name=_("supplier"))
    grade_warning = models.CharField(_("warning"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["sourcing", "id"]
        constraints = [models.UniqueConstraint(fields=["sourcing", "supplier"], name="uniq_sourcing_supplier")]

    def __str__(self):
        return f"{self.sourcing.number} {self.supplier}"


class Quotation(models.Model):
    """One invited supplier's quotation (报价); recorded again it replaces the earlier one while `open`."""

    sourcing = models.ForeignKey(Sourcing, on_delete=models.CASCADE, related_name="quotations")
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="quotations",
                                 verbose_name=_("supplier"))
    valid_until = models.DateField(_("valid until"))
    delivery_days = models.PositiveIntegerField(_("delivery days"))
    total = MoneyField(_("total (tax incl.)"), default=Decimal("0.00"))
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("file"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")
        ordering = ["sourcing", "id"]
        constraints = [models.UniqueConstraint(fields=["sourcing", "supplier"], name="uniq_quotation_supplier")]

    def __str__(self):
        return f"{self.sourcing.number} {self.supplier}"


class QuotationLine(models.Model):
    quotation = models.ForeignKey(Quotation, on_delete=models.CASCADE, related_name="lines")
    sourcing_line = models.ForeignKey(SourcingLine, on_delete=models.CASCADE, related_name="quotation_lines")
    unit_price = models.DecimalField(_("unit price (tax incl.)"), **PRICE)
    tax_rate = models.DecimalField(_("tax rate (%)"), **RATE)
    amount = MoneyField(_("amount (tax incl.)"))                     # round-half-up(qty × price, 2)

    class Meta:
        verbose_name = _("quotation line")
        verbose_name_plural = _("quotation lines")
        ordering = ["quotation", "sourcing_line", "id"]
        constraints = [models.UniqueConstraint(fields=["quotation", "sourcing_line"], name="uniq_quotation_line"),
                       models.CheckConstraint(condition=Q(unit_price__gte=0), name="quotation_price_positive")]

    def __str__(self):
        return f"{self.quotation} {self.unit_price}"
