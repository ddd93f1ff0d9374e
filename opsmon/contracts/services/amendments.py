"""Amendments (合同变更): a signed contract changes only through a reviewed amendment, which adds a version."""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.approvals import services as approvals
from opsmon.core import timeline
from opsmon.core.changes import changing
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.events import notify, publish
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment

from .. import rules, terms
from ..choices import TERMS, AmendmentStatus, ContractStatus
from ..models import Amendment, Contract, ContractVersion
from .drafting import refuse_milestone_changes, save_milestones
from .review import contract_url

KIND = "amendment"


@transaction.atomic
def amendment_propose(*, actor, contract: Contract, changes: dict, reason: str) -> Amendment:
    """Propose new terms for a signed contract with a reason; its review starts at once (on the contract routes,
    for the amended amount; neither the owner nor the proposer decides it)."""
    refuse(rules.can_propose_amendment(actor, contract))
    reason = clean_comment(reason, required=True, field="reason")
    if not isinstance(changes, dict):
        raise Invalid(fields={"changes": _("An object of changed terms is expected.")})
    unknown = sorted(set(changes) - set(TERMS))
    if unknown:
        raise Invalid(fields={"changes": _("These cannot be amended: %(f)s") % {"f": ", ".join(unknown)}})
    current = terms.current_terms(contract)
    clean = terms.clean(changes, current=current)
    if "milestones" in clean:  # not below what is invoiced (receivables), refused now rather than when approved
        refuse_milestone_changes(contract, clean["milestones"], clean.get("amount", contract.amount))
    before, after = terms.snapshot(current), terms.snapshot({**current, **clean})
    diff = terms.changed(before, after)
    if not diff:
        raise Invalid(_("The amendment changes nothing."), code="no_change",
                      fields={"changes": _("The amendment changes nothing.")})
    Contract.objects.select_for_update().filter(pk=contract.pk).first()  # one number at a time per contract
    number = (contract.amendments.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            amendment = Amendment.objects.create(
                contract=contract, number=number, reason=reason, changes={k: after[k] for k in diff},
                from_version=contract.terms_version, proposed_by=actor)
    except IntegrityError:
        raise Conflict(_("Another amendment of this contract is in review."), code="amendment_open") from None
    amendment.contract = contract
    approvals.start_round(actor=actor, kind=KIND, subject=amendment)
    timeline.record(contract, actor=actor, action="contract.amendment_proposed", comment=reason, changes=diff)
    return amendment


def _decided(amendment: Amendment, status: str) -> None:
    if not Amendment.objects.filter(pk=amendment.pk, status=AmendmentStatus.IN_REVIEW).update(
            status=status, decided_at=timezone.now()):
        raise Conflict(_("The amendment has already been decided."), code="already_decided")


def amended_amount(amendment: Amendment):
    """The amount an amendment's review is routed by: the new amount, or the contract's when unchanged."""
    return Decimal(amendment.changes["amount"]) if "amount" in amendment.changes else amendment.contract.amount


# --- what the engine calls when an amendment's round ends (registered in receivers.py) -------------------------

def amendment_rejected(*, actor, subject: Amendment, review, comment, changes) -> Contract:
    amendment, contract = subject, subject.contract
    _decided(amendment, AmendmentStatus.REJECTED)
    timeline.record(contract, actor=actor, action="contract.amendment_rejected", comment=comment, changes=changes)
    text = phrase(gettext_noop("Amendment %(a)s of %(n)s rejected: %(c)s"),
                  a=amendment.number, n=contract.number, c=comment)
    notify([contract.owner, amendment.proposed_by], text=text, url=contract_url(contract),
           kind="contract.amendment_rejected")
    return contract


def amendment_approved(*, actor, subject: Amendment, review, comment, changes) -> Contract:
    """Apply the amendment: new terms, the next version kept beside the earlier ones."""
    amendment, contract = subject, subject.contract
    _decided(amendment, AmendmentStatus.APPROVED)
    new = amendment.changes
    fields = {k: new[k] for k in ("amount", "currency", "tax_rate", "start_on", "end_on", "terms") if k in new}
    with changing(Contract, [contract.pk]):
        updated = Contract.objects.filter(pk=contract.pk, status=ContractStatus.SIGNED,
                                          terms_version=amendment.from_version).update(
            terms_version=F("terms_version") + 1, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not updated:
        raise Conflict(_("The contract changed since the amendment was proposed."), code="stale")
    if "milestones" in new:
        save_milestones(contract, new["milestones"])
    contract.refresh_from_db()
    ContractVersion.objects.create(contract=contract, number=contract.terms_version, amendment=amendment,
                                   terms=terms.snapshot(terms.current_terms(contract)))
    previous = ContractVersion.objects.get(contract=contract, number=amendment.from_version)
    timeline.record(contract, actor=actor, action="contract.amended", comment=comment, changes={
        **changes, **terms.changed(previous.terms, terms.snapshot(terms.current_terms(contract))),
        "terms_version": [amendment.from_version, contract.terms_version]})
    text = phrase(gettext_noop("Amendment %(a)s of %(n)s approved: version %(v)s"),
                  a=amendment.number, n=contract.number, v=contract.terms_version)
    notify([contract.owner, amendment.proposed_by], text=text, url=contract_url(contract), kind="contract.amended")
    publish("contract.amended", subject=contract, data={"contract": {
        "id": contract.pk, "number": contract.number, "version": contract.terms_version,
        "amount": f"{contract.amount:.2f}", "currency": contract.currency}})
    return contract
