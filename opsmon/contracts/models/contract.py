"""Sales contracts (销售合同): the current terms, payment milestones, files, amendments and kept versions."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _

from opsmon.core.money import MoneyField

from ..choices import AmendmentStatus, AttachmentKind, ContractStatus, MilestoneTrigger


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
    contract_type = models.CharField(_("contract type"), max_length=32, blank=True)
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    tax_rate = models.DecimalField(_("tax rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    start_on = models.DateField(_("start date"), null=True, blank=True)
    end_on = models.DateField(_("end date"), null=True, blank=True)
    terms = models.TextField(_("terms"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFTING, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contracts",
                              verbose_name=_("owner"))
    department = models.ForeignKey("accounts.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True, editable=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True, editable=False)
    terminated_at = models.DateTimeField(_("terminated at"), null=True, blank=True, editable=False)
    terminate_reason = models.CharField(_("termination reason"), max_length=500, blank=True, editable=False)
    # The terms version (1 when signed, +1 per approved amendment); `version` below is the edit counter.
    terms_version = models.PositiveIntegerField(_("terms version"), default=1, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Review rounds of the contract and of its amendments (approvals files them under the contract).
    reviews = GenericRelation("approvals.Review", content_type_field="record_type", object_id_field="record_id",
                              related_query_name="contract")

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="contract_status_created_idx"),
            models.Index(fields=["end_on"], name="contract_end_idx"),
            models.Index(fields=["signed_on"], name="contract_signed_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="contract_amount_not_negative"),
            models.CheckConstraint(
                condition=models.Q(tax_rate__isnull=True) | (models.Q(tax_rate__gte=0) & models.Q(tax_rate__lte=100)),
                name="contract_tax_rate_range"),
            models.CheckConstraint(
                condition=models.Q(start_on__isnull=True) | models.Q(end_on__isnull=True)
                | models.Q(end_on__gte=models.F("start_on")), name="contract_end_after_start"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class Milestone(models.Model):
    """A payment milestone (付款节点): a due date or a condition, and an amount or a share of the contract."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=100)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    condition = models.CharField(_("condition"), max_length=200, blank=True)
    # The billing condition (a choice); `condition` above says it in words.
    trigger = models.CharField(_("billing condition"), max_length=16, choices=MilestoneTrigger.choices,
                               default=MilestoneTrigger.DATE)
    amount = MoneyField(_("amount"), null=True, blank=True)
    percentage = models.DecimalField(_("percentage"), max_digits=5, decimal_places=2, null=True, blank=True)
    # Reported by the project-monitoring system (inbound status API, event milestone_done): it can be invoiced.
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        ordering = ["contract", "position"]
        constraints = [models.UniqueConstraint(fields=["contract", "position"], name="uniq_milestone_position")]

    def __str__(self):
        return self.name


class Attachment(models.Model):
    """A file of a contract: attachments while drafting, the signed copy when signed."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(_("kind"), max_length=16, choices=AttachmentKind.choices)
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract file")
        verbose_name_plural = _("contract files")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.file.original_name


class Amendment(models.Model):
    """A proposed change to a signed contract (合同变更); reviewed like a contract, applied when approved."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveIntegerField(_("number"))
    reason = models.TextField(_("reason"))
    changes = models.JSONField(_("changes"))  # {term: new value}, normalised; see choices.TERMS
    from_version = models.PositiveIntegerField(_("from version"))
    status = models.CharField(_("status"), max_length=16, choices=AmendmentStatus.choices,
                              default=AmendmentStatus.IN_REVIEW, editable=False)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("proposed by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="uniq_amendment_number"),
            # one amendment in review at a time per contract
            models.UniqueConstraint(fields=["contract"], condition=models.Q(status="in_review"),
                                    name="uniq_open_amendment"),
        ]

    def __str__(self):
        return f"{self.contract.number} #{self.number}"


class ContractVersion(models.Model):
    """The terms as they stood at one version: 1 when signed, then one per approved amendment."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    terms = models.JSONField(_("terms"))
    amendment = models.OneToOneField(Amendment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="uniq_contract_version")]

    def __str__(self):
        return f"{self.contract.number} v{self.number}"
