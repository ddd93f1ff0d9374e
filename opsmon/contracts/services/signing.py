"""After approval: signing (with the signed copy), archiving, terminating."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core.errors import Conflict, Invalid, PermissionDenied
from opsmon.core.events import publish
from opsmon.core.files import store_upload
from opsmon.core.workflow import clean_comment, clean_date, require_status, transition

from .. import permissions, terms
from ..choices import AmendmentStatus, AttachmentKind, ContractStatus
from ..models import Attachment, Contract, ContractVersion

TRANSITIONS = {
    "signed": ([ContractStatus.APPROVED], ContractStatus.SIGNED),
    "archived": ([ContractStatus.SIGNED], ContractStatus.ARCHIVED),
    "terminated": ([ContractStatus.SIGNED], ContractStatus.TERMINATED),
}


def _require_manager(actor, contract):
    if not permissions.can_manage(actor, contract):
        raise PermissionDenied()


def _require_no_open_amendment(contract):
    if contract.amendments.filter(status=AmendmentStatus.IN_REVIEW).exists():
        raise Conflict(_("An amendment of this contract is in review."), code="amendment_open")


@transaction.atomic
def contract_sign(*, actor, contract: Contract, signed_on, signed_copy) -> Contract:
    """approved → signed: the signed date (not in the future) and the signed copy; version 1 of the terms is kept.
    Signing starts the bid bond refund clock of the contract's bid."""
    _require_manager(actor, contract)
    errors: dict = {}
    day = clean_date(signed_on, "signed_on", errors)
    if day is None and "signed_on" not in errors:
        errors["signed_on"] = _("This field is required.")
    elif day is not None and day > timezone.localdate():
        errors["signed_on"] = _("The signed date is in the future.")
    if signed_copy is None:
        errors["signed_copy"] = _("Upload the signed copy.")
    if errors:
        raise Invalid(fields=errors)
    require_status(contract, TRANSITIONS["signed"][0])  # before keeping a file for nothing
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
        from opsmon.bids.services.signing import contract_signed
        contract_signed(actor=actor, bid=contract.bid, signed_on=day)
    publish("contract.signed", subject=contract, data={
        "contract": {"id": contract.pk, "number": contract.number, "title": contract.title,
                     "amount": f"{contract.amount:.2f}", "currency": contract.currency,
                     "signed_on": day.isoformat(), "customer": contract.customer.name,
                     "bid": contract.bid.number if contract.bid_id else None,
                     "project": contract.project.number if contract.project_id else None}})
    return contract


@transaction.atomic
def contract_archive(*, actor, contract: Contract) -> Contract:
    _require_manager(actor, contract)
    _require_no_open_amendment(contract)
    return transition(contract, actor=actor, action="archived", transitions=TRANSITIONS,
                      extra={"archived_at": timezone.now()})


@transaction.atomic
def contract_terminate(*, actor, contract: Contract, reason: str) -> Contract:
    _require_manager(actor, contract)
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    _require_no_open_amendment(contract)
    return transition(contract, actor=actor, action="terminated", transitions=TRANSITIONS, comment=reason,
                      extra={"terminate_reason": reason, "terminated_at": timezone.now()})
