"""Drafting a contract: created from a project, a won bid or an opportunity; edited only while drafting."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, PermissionDenied, StaleVersion
from opsmon.core.files import store_upload
from opsmon.core.numbering import next_number

from .. import permissions, terms
from ..choices import AttachmentKind, ContractStatus
from ..models import Attachment, Contract, Milestone

OPEN = (ContractStatus.DRAFTING, ContractStatus.IN_REVIEW, ContractStatus.APPROVED, ContractStatus.SIGNED)


def contract_create_for_project(*, actor, project) -> Contract:
    """A contract draft for a project routed straight to contract review, pre-filled from it."""
    contract = Contract.objects.create(
        number=next_number("HT"), title=project.title, customer=project.customer, opportunity=project.opportunity,
        project=project, amount=project.estimated_amount, currency=project.currency, owner=project.owner,
        department=project.department,
    )
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status,
                    comment=project.number)
    return contract


def contract_create_for_bid(*, actor, bid, amount=None) -> Contract:
    """A contract draft from a won bid, linked to the bid, its project and opportunity; amount = our bid price."""
    base = bid.project or bid.opportunity
    contract = Contract.objects.create(
        number=next_number("HT"), title=bid.title, customer=bid.opportunity.customer, opportunity=bid.opportunity,
        project=bid.project, bid=bid, amount=amount if amount is not None else base.estimated_amount,
        currency=bid.currency, owner=bid.owner, department=bid.department,
    )
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status, comment=bid.number)
    return contract


def save_milestones(contract: Contract, milestones: list[dict]) -> None:
    """Replace the milestone list (cleaned dicts, or an amendment's JSON snapshot of them)."""
    contract.milestones.all().delete()
    Milestone.objects.bulk_create(Milestone(contract=contract, position=i, **m) for i, m in enumerate(milestones, 1))


@transaction.atomic
def contract_create(*, actor, opportunity, **data) -> Contract:
    """A contract drafted directly against an opportunity the actor sees (from `opportunity_get`)."""
    if not permissions.can_draft(actor):
        raise PermissionDenied()
    if not actor.department_id:
        raise Invalid(_("You belong to no department; ask an administrator."), code="no_department")
    if opportunity.status == "closed":
        raise Conflict(_("The opportunity is closed."), code="wrong_state")
    data = {k: v for k, v in data.items() if k in terms.TEXT_LIMITS or k in terms.TERMS or k == "contract_type"}
    data.setdefault("title", opportunity.title)
    data.setdefault("amount", opportunity.estimated_amount)
    data.setdefault("currency", opportunity.currency)
    clean = terms.clean(data, current={})
    milestones = clean.pop("milestones", [])
    contract = Contract.objects.create(number=next_number("HT"), customer=opportunity.customer,
                                       opportunity=opportunity, owner=actor, department=actor.department, **clean)
    save_milestones(contract, milestones)
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status,
                    comment=opportunity.number)
    return contract


def require_drafting(contract: Contract) -> None:
    if contract.status != ContractStatus.DRAFTING:
        if contract.status in (ContractStatus.SIGNED, ContractStatus.ARCHIVED):
            raise Conflict(_("A signed contract changes only through an amendment."), code="not_editable")
        raise Conflict(_("Only a contract being drafted can be edited."), code="not_editable")


@transaction.atomic
def contract_update(*, actor, contract: Contract, version: int, **data) -> Contract:
    """Change draft fields; `version` must be current. Milestones, when given, replace the list."""
    if not permissions.can_edit(actor, contract):
        raise PermissionDenied()
    require_drafting(contract)
    current = terms.current_terms(contract)
    clean = terms.clean(data, current=current)
    milestones = clean.pop("milestones", None)
    updated = Contract.objects.filter(pk=contract.pk, version=version, status=ContractStatus.DRAFTING).update(
        version=F("version") + 1, updated_at=timezone.now(), **clean)
    if not updated:
        raise StaleVersion()
    if milestones is not None:
        save_milestones(contract, milestones)
        clean["milestones"] = milestones
    contract.refresh_from_db()
    changes = terms.changed(terms.snapshot(current), terms.snapshot({**current, **clean}))
    for field in ("title", "contract_type"):
        if field in clean and clean[field] != current[field]:
            changes[field] = [current[field], clean[field]]
    if changes:
        timeline.record(contract, actor=actor, action="contract.updated", changes=changes)
    return contract


@transaction.atomic
def attachment_add(*, actor, contract: Contract, upload) -> Attachment:
    """Attach a file (checked by content) to an open contract."""
    if not permissions.can_edit(actor, contract):
        raise PermissionDenied()
    if contract.status not in OPEN:
        raise Conflict(_("The contract is closed."), code="wrong_state")
    stored = store_upload(upload, actor=actor)
    attachment = Attachment.objects.create(contract=contract, kind=AttachmentKind.ATTACHMENT, file=stored,
                                           uploaded_by=actor)
    timeline.record(contract, actor=actor, action="contract.file_attached", comment=stored.original_name)
    return attachment
