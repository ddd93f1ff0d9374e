"""After approval: signing (with the signed copy), archiving, terminating."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.bids.services import signing as bid_signing
from opsmon.core.errors import Invalid
from opsmon.core.events import publish
from opsmon.core.files import store_upload
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_past_date, transition
from opsmon.opportunities import services as opportunity_services
from opsmon.opportunities.rules import can_win as opportunity_can_win
from opsmon.projects import services as project_services

from .. import rules, terms
from ..choices import AttachmentKind
from ..models import Attachment, Contract, ContractVersion

TRANSITIONS = rules.TRANSITIONS


@transaction.atomic
def contract_sign(*, actor, contract: Contract, signed_on, signed_copy) -> Contract:
    """approved → signed: the signed date (not in the future) and the signed copy; version 1 of the terms is kept.
    Signing starts the bid bond refund clock of the contract's bid; the sale is won (DOMAIN.md "Lifecycle"): the
    project is won and handed to implementation, the opportunity's outcome is won."""
    refuse(rules.can_sign(actor, contract))
    errors: dict = {}
    day = clean_past_date(signed_on, "signed_on", errors)
    if signed_copy is None:
        errors["signed_copy"] = _("Upload the signed copy.")
    if errors:
        raise Invalid(fields=errors)
    try:
        stored = store_upload(signed_copy, actor=actor)
    except Invalid as exc:
        raise Invalid(exc.message, code=exc.code, fields={"signed_copy": list(exc.fields.get("file", []))}) from None
    contract = transition(contract, actor=actor, action="signed", transitions=TRANSITIONS,
                          extra={"signed_on": day}, comment=stored.original_name)
    Attachment.objects.create(contract=contract, kind=AttachmentKind.SIGNED_COPY, file=stored, uploaded_by=actor)
    ContractVersion.objects.create(contract=contract, number=contract.terms_version,
                                   terms=terms.snapshot(terms.current_terms(contract)))
    if contract.bid_id:
        bid_signing.contract_signed(actor=actor, bid=contract.bid, signed_on=day)
    publish("contract.signed", subject=contract, data={
        "contract": {"id": contract.pk, "number": contract.number, "title": contract.title,
                     "amount": f"{contract.amount:.2f}", "currency": contract.currency,
                     "signed_on": day.isoformat(), "customer": contract.customer.name,
                     "bid": contract.bid.number if contract.bid_id else None,
                     "project": contract.project.number if contract.project_id else None}})
    _sale_won(actor=actor, contract=contract)
    return contract


def _project_of(contract: Contract):
    """The contract's project: its own, or its bid's."""
    if contract.project_id:
        return contract.project
    return contract.bid.project if contract.bid_id and contract.bid.project_id else None


def _sale_won(*, actor, contract: Contract) -> None:
    """The project won and handed off (projects.hooks.hand_off), the opportunity's outcome won; a contract drafted
    straight on an opportunity marks that opportunity won."""
    project = _project_of(contract)
    if project is not None:
        project_services.project_on_contract_signed(actor=actor, project=project, contract=contract)
    elif opportunity_can_win(actor, contract.opportunity) is None:
        opportunity_services.opportunity_win(actor=actor, opportunity=contract.opportunity, cause=contract.number)


@transaction.atomic
def contract_archive(*, actor, contract: Contract) -> Contract:
    refuse(rules.can_archive(actor, contract))
    return transition(contract, actor=actor, action="archived", transitions=TRANSITIONS,
                      extra={"archived_at": timezone.now()})


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, reason: str) -> Contract:
    refuse(rules.can_terminate(actor, contract))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    contract = transition(contract, actor=actor, action="terminated", transitions=TRANSITIONS, comment=reason,
                          extra={"terminate_reason": reason, "terminated_at": timezone.now()})
    project = _project_of(contract)
    if project is not None:  # the project ends with its contract (DOMAIN.md "Lifecycle")
        project_services.project_on_contract_terminated(actor=actor, project=project, contract=contract,
                                                        reason=reason)
    return contract
