"""Purchase orders / contracts (采购合同/订单, CGHT-): awarded lines at the award's prices, payment milestones
(advance/delivery/acceptance/retention = 100 %), retention, warranty, payment days; reviewed on the approvals
engine (kind "purchase_order"), signed with the signed copy, amended in versions (kind "order_amendment").
Amounts: incl = round-half-up(qty × price, 2), excl = round(incl ÷ (1 + rate/100), 2), tax = incl − excl."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import AmendmentStatus, MilestoneKind, OrderStatus

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
PCT = {"max_digits": 5, "decimal_places": 2}


class PurchaseOrder(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    sourcing = models.ForeignKey("sourcing.Sourcing", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="orders", verbose_name=_("sourcing"))
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="orders",
                                 verbose_name=_("supplier"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchase_orders",
                              verbose_name=_("purchaser"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="purchase_orders", verbose_name=_("project"))
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="purchase_orders", verbose_name=_("sales contract"))
    status = models.CharField(_("status"), max_length=16, choices=OrderStatus.choices, default=OrderStatus.DRAFT,
                              editable=False)
    total = MoneyField(_("total (tax incl.)"), default=Decimal("0.00"), editable=False)
    total_excl = MoneyField(_("total (tax excl.)"), default=Decimal("0.00"), editable=False)
    award_total = MoneyField(_("awarded total"), default=Decimal("0.00"), editable=False)
    original_total = MoneyField(_("total as first signed"), null=True, blank=True, editable=False)
    retention_pct = models.DecimalField(_("retention (%)"), default=Decimal("5.00"), **PCT)
    warranty_months = models.PositiveSmallIntegerField(_("warranty (months)"), default=12)
    payment_days = models.PositiveSmallIntegerField(_("payment days"), default=30)
    invoice_type = models.CharField(_("invoice type"), max_length=32, blank=True)  # code table invoice_type
    pay_after_customer = models.BooleanField(_("pay after the customer pays (背靠背)"), default=False)
    delivery_address = models.CharField(_("delivery address"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True, editable=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    signed_file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("signed copy"), editable=False)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    revision = models.PositiveIntegerField(_("revision"), default=1, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="order_status_idx"),
                   models.Index(fields=["project", "status"], name="order_project_idx"),
                   models.Index(fields=["supplier", "status"], name="order_supplier_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"


class OrderLine(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    sourcing_line = models.ForeignKey("sourcing.SourcingLine", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="order_lines")
    request_line = models.ForeignKey("procurement.RequestLine", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="order_lines")
    item = models.CharField(_("item"), max_length=200)
    spec = models.CharField(_("specification"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=32)
    category = models.CharField(_("category"), max_length=32)
    qty = models.DecimalField(_("quantity"), **QTY)
    unit_price = models.DecimalField(_("unit price (tax incl.)"), **PRICE)
    tax_rate = models.DecimalField(_("tax rate (%)"), **PCT)
    amount = MoneyField(_("amount (tax incl.)"))
    amount_excl = MoneyField(_("amount (tax excl.)"))
    promised_on = models.DateField(_("promised delivery"), null=True, blank=True)
    dropped_qty = models.DecimalField(_("dropped quantity"), default=Decimal("0"), editable=False, **QTY)

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ["order", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="order_line_qty_positive"),
                       models.CheckConstraint(condition=Q(unit_price__gte=0), name="order_line_price")]

    def __str__(self):
        return f"{self.item} × {self.qty}"


class OrderMilestone(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    kind = models.CharField(_("kind"), max_length=16, choices=MilestoneKind.choices)
    name = models.CharField(_("name"), max_length=100)
    percent = models.DecimalField(_("percent"), **PCT)

    class Meta:
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        ordering = ["order", "position", "id"]

    def __str__(self):
        return f"{self.name} {self.percent}%"


class OrderAmendment(models.Model):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="amendments")
    changes = models.JSONField(_("changes"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=16, choices=AmendmentStatus.choices,
                              default=AmendmentStatus.IN_REVIEW, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("proposed by"))
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("order amendment")
        verbose_name_plural = _("order amendments")
        ordering = ["order", "-created_at", "-id"]

    def __str__(self):
        return f"{self.order.number} {self.created_at:%Y-%m-%d}"


class OrderVersion(models.Model):
    """The order's terms as signed (revision 1) and after each approved amendment."""

    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="versions")
    revision = models.PositiveIntegerField(_("revision"))
    terms = models.JSONField(_("terms"))
    amendment = models.ForeignKey(OrderAmendment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("order version")
        verbose_name_plural = _("order versions")
        ordering = ["order", "revision"]
        constraints = [models.UniqueConstraint(fields=["order", "revision"], name="uniq_order_revision")]

    def __str__(self):
        return f"{self.order.number} V{self.revision}"
