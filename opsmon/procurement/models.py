"""Procurement (采购管理, PROCUREMENT.md): its settings, project purchase budgets (versioned, reviewed on the
approvals engine, kind "budget") and purchase requests (CG-, kind "purchase_request"). Quantities carry 3
decimals, estimated unit prices (tax included) 4, amounts 2: incl = round-half-up(qty × price, 2)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import BudgetStatus, RequestStatus

QTY = {"max_digits": 14, "decimal_places": 3}
PRICE = {"max_digits": 18, "decimal_places": 4}
PCT = {"max_digits": 5, "decimal_places": 2}


class ProcurementSettings(models.Model):
    """The one row of procurement settings (pk 1; `load()` creates it with the defaults)."""

    direct_purchase_limit = MoneyField(_("direct purchase limit"), default=Decimal("50000.00"))
    public_tender_threshold = MoneyField(_("public tender threshold"), default=Decimal("2000000.00"))
    retention_pct = models.DecimalField(_("retention (%)"), default=Decimal("5.00"), **PCT)
    retention_warn_pct = models.DecimalField(_("retention warning above (%)"), default=Decimal("10.00"), **PCT)
    budget_warn_pct = models.DecimalField(_("budget warning at (%)"), default=Decimal("90.00"), **PCT)
    match_qty_pct = models.DecimalField(_("invoice quantity tolerance (%)"), default=Decimal("0.00"), **PCT)
    match_amount_pct = models.DecimalField(_("invoice amount tolerance (%)"), default=Decimal("0.50"), **PCT)
    match_amount_abs = MoneyField(_("invoice amount tolerance (absolute)"), default=Decimal("0.00"))
    over_receipt_pct = models.DecimalField(_("over-receipt allowed (%)"), default=Decimal("0.00"), **PCT)
    weight_quality = models.PositiveSmallIntegerField(_("evaluation weight: quality"), default=40)
    weight_on_time = models.PositiveSmallIntegerField(_("evaluation weight: on time"), default=30)
    weight_price = models.PositiveSmallIntegerField(_("evaluation weight: price"), default=20)
    weight_service = models.PositiveSmallIntegerField(_("evaluation weight: service"), default=10)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("procurement settings")
        verbose_name_plural = _("procurement settings")

    def __str__(self):
        return str(_("procurement settings"))

    @classmethod
    def load(cls) -> "ProcurementSettings":
        # Unsaved defaults until the admin first saves them: reading the settings never writes a row.
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ProjectBudget(models.Model):
    """One version (`revision`) of a project's purchase budget (项目采购预算): amounts per supplier_category. The
    approved version stays in force until a later one is approved (then it is `superseded`)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="purchase_budgets",
                                verbose_name=_("project"))
    revision = models.PositiveIntegerField(_("budget version"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=BudgetStatus.choices, default=BudgetStatus.DRAFT,
                              editable=False)
    total = MoneyField(_("total"), default=Decimal("0.00"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True, verbose_name=_("submitted by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("project purchase budget")
        verbose_name_plural = _("project purchase budgets")
        ordering = ["project", "-revision"]
        constraints = [models.UniqueConstraint(fields=["project", "revision"], name="procurement_budget_revision")]

    def __str__(self):
        return f"{self.project.number} V{self.revision}"


class BudgetLine(models.Model):
    budget = models.ForeignKey(ProjectBudget, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=32)  # code table supplier_category
    amount = MoneyField(_("amount"))

    class Meta:
        verbose_name = _("budget line")
        ordering = ["budget", "id"]
        constraints = [models.UniqueConstraint(fields=["budget", "category"], name="procurement_budget_category"),
                       models.CheckConstraint(condition=Q(amount__gte=0), name="procurement_budget_amount")]

    def __str__(self):
        return f"{self.category} {self.amount}"


class PurchaseRequest(models.Model):
    """采购申请 (CG-): lines to buy, optionally for a sales project and/or contract; reviewed on the approvals engine
    (kind "purchase_request": routes by amount band and category; steps approve, return or reject)."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="purchase_requests", verbose_name=_("project"))
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="purchase_requests", verbose_name=_("contract"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="purchase_requests",
                              verbose_name=_("requester"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices,
                              default=RequestStatus.DRAFT, editable=False)
    total = MoneyField(_("estimated total"), default=Decimal("0.00"), editable=False)
    note = models.TextField(_("note"), blank=True)
    budget_warning = models.CharField(_("budget warning"), max_length=300, blank=True, editable=False)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True, editable=False)
    close_reason = models.CharField(_("close reason"), max_length=500, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("purchase request")
        verbose_name_plural = _("purchase requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="proc_request_status_idx"),
                   models.Index(fields=["project", "status"], name="proc_request_project_idx")]

    def __str__(self):
        return f"{self.number} {self.title}"


class RequestLine(models.Model):
    request = models.ForeignKey(PurchaseRequest, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    item = models.CharField(_("item"), max_length=200)
    spec = models.CharField(_("specification"), max_length=500, blank=True)
    unit = models.CharField(_("unit"), max_length=32)              # code table unit
    qty = models.DecimalField(_("quantity"), **QTY)
    est_unit_price = models.DecimalField(_("estimated unit price (tax incl.)"), **PRICE)
    amount = MoneyField(_("estimated amount"))                     # round-half-up(qty × price, 2)
    category = models.CharField(_("category"), max_length=32)      # code table supplier_category
    need_by = models.DateField(_("needed by"), null=True, blank=True)

    class Meta:
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")
        ordering = ["request", "position", "id"]
        constraints = [models.CheckConstraint(condition=Q(qty__gt=0), name="procurement_line_qty_positive"),
                       models.CheckConstraint(condition=Q(est_unit_price__gte=0), name="procurement_line_price")]

    def __str__(self):
        return f"{self.item} × {self.qty}"
