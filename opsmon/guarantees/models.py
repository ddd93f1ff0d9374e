"""Guarantee letters (保函): a bond or a contract obligation paid by a bank's or insurer's letter, with the history of
its validity periods (the first one and each extension)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import LetterStatus


class GuaranteeLetter(models.Model):
    """Exactly one of `bond` (a bid or performance bond paid by letter) or `contract` (e.g. a performance or
    advance-payment guarantee of a contract). `valid_to` is the end of the current (latest) period."""

    bond = models.ForeignKey("bids.Bond", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="guarantee_letters", verbose_name=_("bond"))
    contract = models.ForeignKey("contracts.Contract", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="guarantee_letters", verbose_name=_("contract"))
    bank = models.CharField(_("issuing bank"), max_length=200)
    number = models.CharField(_("letter number"), max_length=100)
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    beneficiary = models.CharField(_("beneficiary"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(_("status"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.ACTIVE,
                              editable=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"), editable=False)
    released_on = models.DateField(_("released on"), null=True, blank=True, editable=False)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("released by"), editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("guarantee letter")
        verbose_name_plural = _("guarantee letters")
        ordering = ["valid_to", "-id"]
        indexes = [models.Index(fields=["status", "valid_to"], name="letter_status_valid_to_idx")]
        constraints = [
            models.CheckConstraint(condition=(models.Q(bond__isnull=False) & models.Q(contract__isnull=True))
                                   | (models.Q(bond__isnull=True) & models.Q(contract__isnull=False)),
                                   name="letter_bond_xor_contract"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="letter_amount_positive"),
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   name="letter_valid_to_after_from"),
            models.UniqueConstraint(fields=["bank", "number"], name="uniq_letter_bank_number"),
        ]

    def __str__(self):
        return f"{self.bank} {self.number}"


class LetterPeriod(models.Model):
    """One validity period: position 1 is the letter as issued, each extension adds the next one."""

    letter = models.ForeignKey(GuaranteeLetter, on_delete=models.PROTECT, related_name="periods")
    position = models.PositiveIntegerField(_("period"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("validity period")
        verbose_name_plural = _("validity periods")
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "position"], name="uniq_letter_period"),
            models.CheckConstraint(condition=models.Q(valid_to__gte=models.F("valid_from")),
                                   name="period_valid_to_after_from"),
        ]

    def __str__(self):
        return f"{self.valid_from} – {self.valid_to}"
