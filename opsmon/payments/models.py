"""Payment requests (付款申请, FK-) against purchase orders, reviewed on the approvals engine (kind
"payment_request") and paid by finance (not the requester), and retention (质保金) held per order until the
warranty ends, signed off by the inspector and released by the procurement head."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import PaymentKind, PaymentStatus, RetentionStatus


class PaymentRequest(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    order = models.ForeignKey("purchasing.PurchaseOrder", on_delete=models.PROTECT, related_name="payment_requests",
                              verbose_name=_("purchase order"))
    kind = models.CharField(_("kind"), max_length=16, choices=PaymentKind.choices)
    amount = MoneyField(_("amount"))
    payee_account = models.ForeignKey("suppliers.SupplierBankAccount", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("payee account"))
    invoices = models.ManyToManyField("supplier_invoices.SupplierInvoice", blank=True,
                                      related_name="payment_requests", verbose_name=_("invoices"))
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus.choices,
                              default=PaymentStatus.DRAFT, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_requests",
                              verbose_name=_("requested by"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    note = models.TextField(_("note"), blank=True)
    warnings = models.JSONField(_("warnings"), default=list, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    paid_amount = MoneyField(_("paid amount"), null=True, blank=True, editable=False)
    method = models.CharField(_("payment method"), max_length=32, blank=True, editable=False)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True, editable=False)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("paid by"), editable=False)
    status_reason = models.CharField(_("reason"), max_length=500, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("payment request")
        verbose_name_plural = _("payment requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["order", "status"], name="payment_order_idx"),
                   models.Index(fields=["status", "due_on"], name="payment_due_idx")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        return self.number


class Retention(models.Model):
    """The order's retention (质保金): O × r held at signing, due at the warranty's end, released less a deduction,
    settled when its payment is paid."""

    order = models.OneToOneField("purchasing.PurchaseOrder", on_delete=models.PROTECT, related_name="retention",
                                 verbose_name=_("purchase order"))
    amount = MoneyField(_("held amount"))
    status = models.CharField(_("status"), max_length=16, choices=RetentionStatus.choices,
                              default=RetentionStatus.HELD, editable=False)
    due_on = models.DateField(_("due on (warranty end)"), null=True, blank=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"), editable=False)
    signed_off_at = models.DateTimeField(_("signed off at"), null=True, blank=True, editable=False)
    sign_off_comment = models.CharField(_("sign-off comment"), max_length=500, blank=True, editable=False)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("released by"), editable=False)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True, editable=False)
    deduction = MoneyField(_("deduction"), default=Decimal("0.00"), editable=False)
    deduction_reason = models.CharField(_("deduction reason"), max_length=500, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("retention")
        verbose_name_plural = _("retentions")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.order.number} {self.amount}"

    @property
    def releasable(self) -> Decimal:
        return self.amount - self.deduction
