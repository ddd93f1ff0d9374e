"""Bids (投标任务) with their tender analysis, documents, bonds, opening record and summary report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from .choices import VOIDED, BidStatus, BondKind, BondStatus, Decision, DocumentKind


class Bid(models.Model):
    """Registered (备案) before work starts; every bid traces back to an opportunity."""

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.PROTECT, related_name="bids",
                                    verbose_name=_("opportunity"))
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="bids", verbose_name=_("project"))
    status = models.CharField(_("status"), max_length=16, choices=BidStatus.choices, default=BidStatus.REGISTERED,
                              editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bids",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    # Tender analysis (招标文件分析)
    tenderer = models.CharField(_("tenderer"), max_length=200, blank=True)
    agency = models.CharField(_("tender agency"), max_length=200, blank=True)
    tender_no = models.CharField(_("tender number"), max_length=100, blank=True)
    tender_method = models.CharField(_("tender method"), max_length=32, blank=True)
    estimated_price = MoneyField(_("estimated price"), null=True, blank=True)
    ceiling_price = MoneyField(_("ceiling price"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    opening_at = models.DateTimeField(_("opening time"), null=True, blank=True)
    qualification_requirements = models.TextField(_("qualification requirements"), blank=True)
    scoring_method = models.CharField(_("scoring method"), max_length=32, blank=True)
    risks = models.TextField(_("risks"), blank=True)
    decision = models.CharField(_("bid / no-bid"), max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    # Outcome
    abandon_reason = models.CharField(_("abandon reason"), max_length=500, blank=True, editable=False)
    result_known_on = models.DateField(_("result known on"), null=True, blank=True, editable=False)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="bid_status_created_idx"),
            models.Index(fields=["submission_deadline"], name="bid_deadline_idx"),
            # the bond dashboard finds the oldest overdue refunds by the signing day (issue 18)
            models.Index(fields=["contract_signed_on"], name="bid_signed_on_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(estimated_price__gte=0) | models.Q(estimated_price__isnull=True),
                                   name="bid_estimated_price_not_negative"),
            models.CheckConstraint(condition=models.Q(ceiling_price__gte=0) | models.Q(ceiling_price__isnull=True),
                                   name="bid_ceiling_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    @property
    def voided(self) -> bool:
        """Lost or abandoned: read-only from then on, never deleted, still counted."""
        return self.status in VOIDED

    @property
    def closed(self) -> bool:
        return self.closed_at is not None


class BidDocument(models.Model):
    """One version of a tender, bid, clarification or result file; a re-upload of the same name adds a version."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    name = models.CharField(_("file name"), max_length=255)
    version = models.PositiveIntegerField(_("version"), default=1)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("bid document")
        verbose_name_plural = _("bid documents")
        ordering = ["kind", "name", "-version"]
        constraints = [models.UniqueConstraint(fields=["bid", "kind", "name", "version"], name="uniq_document_version")]

    def __str__(self):
        return f"{self.name} v{self.version}"


class Bond(models.Model):
    """A bid bond (投标保证金) or performance bond (履约保证金) and its money trail."""

    bid = models.ForeignKey(Bid, on_delete=models.PROTECT, related_name="bonds")
    kind = models.CharField(_("kind"), max_length=16, choices=BondKind.choices)
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    method = models.CharField(_("method"), max_length=32)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=32, choices=BondStatus.choices, default=BondStatus.PLANNED,
                              editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, editable=False)
    reference = models.CharField(_("reference"), max_length=100, blank=True, editable=False)
    refunded_on = models.DateField(_("refunded on"), null=True, blank=True, editable=False)
    refunded_principal = MoneyField(_("refunded principal"), null=True, blank=True, editable=False)
    refund_interest = MoneyField(_("bank interest"), null=True, blank=True, editable=False)
    forfeit_reason = models.CharField(_("forfeit reason"), max_length=500, blank=True, editable=False)
    converted_to = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="converted_from", editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("bond")
        verbose_name_plural = _("bonds")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "kind"], name="bond_status_kind_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="bond_amount_positive")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class BidOpening(models.Model):
    """The opening record (开标记录): who bid what, the ranking and the winner."""

    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="opening")
    opened_at = models.DateTimeField(_("opened at"))
    winner = models.CharField(_("winner"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opening record")

    def __str__(self):
        return f"{self.bid} {self.winner}"


class OpeningEntry(models.Model):
    opening = models.ForeignKey(BidOpening, on_delete=models.CASCADE, related_name="entries")
    bidder = models.CharField(_("bidder"), max_length=200)
    price = MoneyField(_("price"))
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"))
    is_us = models.BooleanField(_("us"), default=False)

    class Meta:
        verbose_name = _("opening entry")
        ordering = ["rank"]
        constraints = [models.UniqueConstraint(fields=["opening", "rank"], name="uniq_opening_rank")]

    def __str__(self):
        return f"{self.rank}. {self.bidder}"


class BidSummary(models.Model):
    """The mandatory post-bid report (投标总结报告)."""

    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="summary")
    person_days = models.DecimalField(_("person-days invested"), max_digits=8, decimal_places=1)
    cost = MoneyField(_("cost invested"))
    bond_note = models.TextField(_("bond status"), blank=True)
    outcome_reason = models.TextField(_("why we won or lost"))
    lessons = models.TextField(_("lessons"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("bid summary")

    def __str__(self):
        return str(self.bid)
