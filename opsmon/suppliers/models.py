"""Suppliers (供应商): company-wide master data of procurement, with their categories (supplier_category codes),
qualifications (资质, each with its file) and bank accounts (the only payees of payment requests)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Grade, SupplierStatus


class Supplier(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    is_sme = models.BooleanField(_("SME (中小企业)"), default=False)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SupplierStatus.choices,
                              default=SupplierStatus.PENDING, editable=False)
    status_reason = models.CharField(_("reason of the status"), max_length=500, blank=True, editable=False)
    blacklisted_until = models.DateField(_("blacklisted until"), null=True, blank=True, editable=False)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("registered by"), editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["status"], name="supplier_status_idx")]

    def __str__(self):
        return self.name

    @property
    def category_codes(self) -> list[str]:
        return [row.code for row in self.categories.all()]


class SupplierCategory(models.Model):
    """One supplier_category code of a supplier (a supplier has one or more)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("category"), max_length=32)

    class Meta:
        verbose_name = _("supplier category")
        verbose_name_plural = _("supplier categories")
        ordering = ["supplier", "id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "code"], name="uniq_supplier_category")]

    def __str__(self):
        return self.code


class SupplierQualification(models.Model):
    """A licence or certificate (qualification_kind code) with its validity and the scanned file."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=32)
    number = models.CharField(_("certificate number"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")
        ordering = ["supplier", "kind", "-valid_to", "id"]
        indexes = [models.Index(fields=["valid_to"], name="qualification_valid_to_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                              name="qualification_valid_to_after_from")]

    def __str__(self):
        return f"{self.kind} {self.number}"


class SupplierBankAccount(models.Model):
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="bank_accounts")
    bank = models.CharField(_("bank"), max_length=200)
    account_name = models.CharField(_("account name"), max_length=200)
    account_no = models.CharField(_("account number"), max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["supplier", "id"]
        constraints = [models.UniqueConstraint(fields=["supplier", "account_no"], name="uniq_supplier_account_no")]

    def __str__(self):
        return f"{self.bank} {self.account_no}"
