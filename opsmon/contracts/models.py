"""Sales contracts (销售合同)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import ContractStatus


class Contract(models.Model):
    """A sales contract, drafted from a won bid, a project routed to contract review, or an opportunity."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="contracts",
                                 verbose_name=_("customer"))
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.PROTECT, related_name="contracts",
                                    verbose_name=_("opportunity"))
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="contracts", verbose_name=_("project"))
    bid = models.ForeignKey("bids.Bid", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts",
                            verbose_name=_("bid"))
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFTING, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="contract_amount_not_negative")]

    def __str__(self):
        return f"{self.number} {self.title}"
