"""Supplier evaluation (供应商评价): one per purchase order before it closes. on_time and quality are computed
from the receipts; price and service are the purchaser's 0–100; score = weighted sum (settings); grade A–D."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

SCORE = {"max_digits": 5, "decimal_places": 2}


class SupplierEvaluation(models.Model):
    order = models.OneToOneField("purchasing.PurchaseOrder", on_delete=models.PROTECT, related_name="evaluation",
                                 verbose_name=_("purchase order"))
    supplier = models.ForeignKey("suppliers.Supplier", on_delete=models.PROTECT, related_name="evaluations",
                                 verbose_name=_("supplier"))
    on_time = models.DecimalField(_("on time"), **SCORE)
    quality = models.DecimalField(_("quality"), **SCORE)
    price = models.DecimalField(_("price"), **SCORE)
    service = models.DecimalField(_("service"), **SCORE)
    score = models.DecimalField(_("score"), **SCORE)
    grade = models.CharField(_("grade"), max_length=1)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("evaluated by"))
    created_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("supplier evaluation")
        verbose_name_plural = _("supplier evaluations")
        ordering = ["supplier", "-created_at", "-id"]

    def __str__(self):
        return f"{self.order.number} {self.grade}"
