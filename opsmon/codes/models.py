"""Admin-kept dictionaries (代码表) that feed every form."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def pick_label(zh: str, en: str) -> str:
    """The English label when the request is in English and there is one, else the Chinese."""
    return en if (get_language() or "zh-hans").startswith("en") and en else zh


# Tables whose items carry a `value` (PROCUREMENT.md), and the name the API answers it under: its meaning.
#   min_quotations: a whole number ≥ 1; deductible: "1" or "0"; rate: a percentage (0–100, at most 2 decimals);
#   mandatory_for: comma-separated supplier_category codes for which the qualification is mandatory ("*": all).
VALUE_NAMES = {
    "purchase_method": "min_quotations",
    "invoice_type": "deductible",
    "tax_rate": "rate",
    "qualification_kind": "mandatory_for",
}


class CodeTable(models.Model):
    """One dictionary; its `name` is fixed by API.md (industry, region, ...)."""

    name = models.SlugField(_("name"), max_length=32, unique=True)
    label_zh = models.CharField(_("Chinese label"), max_length=64)
    label_en = models.CharField(_("English label"), max_length=64)
    has_probability = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("code table")
        verbose_name_plural = _("code tables")
        ordering = ["name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return pick_label(self.label_zh, self.label_en)


class CodeItem(models.Model):
    """One entry of a code table; deactivated, never deleted, so old records keep their labels."""

    table = models.ForeignKey(CodeTable, on_delete=models.PROTECT, related_name="items", verbose_name=_("code table"))
    code = models.CharField(_("code"), max_length=32)
    label_zh = models.CharField(_("Chinese label"), max_length=64)
    label_en = models.CharField(_("English label"), max_length=64)
    order = models.PositiveIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)
    probability = models.PositiveSmallIntegerField(_("default win probability (%)"), null=True, blank=True)
    # Optional data of the item, read per table as VALUE_NAMES says (e.g. a purchase method's minimum quotations).
    value = models.CharField(_("value"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("code item")
        verbose_name_plural = _("code items")
        ordering = ["table", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["table", "code"], name="uniq_code_in_table"),
            models.CheckConstraint(
                condition=models.Q(probability__isnull=True) | models.Q(probability__lte=100),
                name="code_probability_percent",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return pick_label(self.label_zh, self.label_en)

    def delete(self, *args, **kwargs):
        raise TypeError("code items are deactivated, never deleted")
