"""Customers (客户), the buying organisations, and their contacts."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Customer(models.Model):
    """A buying organisation; company-wide master data that every opportunity points at."""

    name = models.CharField(_("name"), max_length=200)
    name_key = models.CharField(max_length=200, db_index=True, editable=False)  # for duplicate detection
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    customer_type = models.CharField(_("customer type"), max_length=32)
    industry = models.CharField(_("industry"), max_length=32, blank=True)
    region = models.CharField(_("region"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("department"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~models.Q(credit_code=""),
                                    name="uniq_customer_credit_code"),
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person at a customer."""

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["id"]

    def __str__(self):
        return self.name
