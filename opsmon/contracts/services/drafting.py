"""Drafting a contract: created from a project, a won bid or an opportunity; edited only while drafting."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.core import timeline
from opsmon.core.changes import changing
from opsmon.core.errors import Conflict, Invalid, StaleVersion
from opsmon.core.files import store_upload
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse

from .. import hooks, rules
from .. import terms as term_rules
from ..choices import AttachmentKind, ContractStatus, MilestoneTrigger
from ..models import Attachment, Contract, Milestone


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


MILESTONE_TERMS = ("name", "due_on", "condition", "trigger", "amount", "percentage")


def refuse_milestone_changes(contract: Contract, milestones: list[dict], amount) -> None:
    """422 naming `milestones` when a higher module cannot allow the new rows (hooks.check_milestones: receivables
    refuses removing an invoiced milestone or lowering it below what is invoiced); `amount` is the contract amount
    the percentages are of."""
    problems = [text for answer in hooks.check_milestones(contract=contract, milestones=milestones, amount=amount)
                for text in (answer or {}).values()]
    if problems:
        raise Invalid(fields={"milestones": problems})


def save_milestones(contract: Contract, milestones: list[dict]) -> None:
    """Make the milestone list these rows (cleaned dicts, or an amendment's JSON snapshot of them), in place by
    position: row n updates milestone n (its delivery, invoices and collections stay with it), rows past the end
    are added, milestones past the last row are deleted. Refused (422 `milestones`) when a higher module objects
    (refuse_milestone_changes)."""
    amount = Contract.objects.values_list("amount", flat=True).get(pk=contract.pk)
    refuse_milestone_changes(contract, milestones, amount)
    existing = {m.position: m for m in contract.milestones.all()}
    for position, row in enumerate(milestones, 1):
        values = {k: row.get(k) for k in MILESTONE_TERMS if k in row}
        values.setdefault("trigger", MilestoneTrigger.DATE)
        values["condition"] = values.get("condition") or ""
        milestone = existing.pop(position, None)
        if milestone is None:
            Milestone.objects.create(contract=contract, position=position, **values)
        else:
            Milestone.objects.filter(pk=milestone.pk).update(**values)
    if existing:
        Milestone.objects.filter(pk__in=[m.pk for m in existing.values()]).delete()


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()  # a term the caller did not give (None sets it empty)


def _given(**fields) -> dict:
    """The terms a caller gave."""
    return {k: v for k, v in fields.items() if v is not UNSET}


@transaction.atomic
def contract_create(*, actor, opportunity, title=UNSET, contract_type=UNSET, amount=UNSET, currency=UNSET,
                    tax_rate=UNSET, start_on=UNSET, end_on=UNSET, terms=UNSET, milestones=UNSET) -> Contract:
    """A contract drafted directly against an opportunity the actor sees (from `opportunity_get`); title, amount
    and currency not given are the opportunity's."""
    refuse(rules.can_draft(actor))
    if not actor.department_id:
        raise Invalid(_("You belong to no department; ask an administrator."), code="no_department")
    if opportunity.status == "closed":
        raise Conflict(_("The opportunity is closed."), code="wrong_state")
    data = _given(title=title, contract_type=contract_type, amount=amount, currency=currency, tax_rate=tax_rate,
                  start_on=start_on, end_on=end_on, terms=terms, milestones=milestones)
    data.setdefault("title", opportunity.title)
    data.setdefault("amount", opportunity.estimated_amount)
    data.setdefault("currency", opportunity.currency)
    clean = term_rules.clean(data, current={})
    milestone_rows = clean.pop("milestones", [])
    contract = Contract.objects.create(number=next_number("HT"), customer=opportunity.customer,
                                       opportunity=opportunity, owner=actor, department=actor.department, **clean)
    save_milestones(contract, milestone_rows)
    timeline.record(contract, actor=actor, action="contract.drafted", to_status=contract.status,
                    comment=opportunity.number)
    return contract


@transaction.atomic
def contract_update(*, actor, contract: Contract, version: int, title=UNSET, contract_type=UNSET, amount=UNSET,
                    currency=UNSET, tax_rate=UNSET, start_on=UNSET, end_on=UNSET, terms=UNSET,
                    milestones=UNSET) -> Contract:
    """Change the draft's terms given (None empties one); `version` must be current. Milestones, when given,
    replace the list."""
    refuse(rules.can_edit(actor, contract))
    data = _given(title=title, contract_type=contract_type, amount=amount, currency=currency, tax_rate=tax_rate,
                  start_on=start_on, end_on=end_on, terms=terms, milestones=milestones)
    current = term_rules.current_terms(contract)
    clean = term_rules.clean(data, current=current)
    milestone_rows = clean.pop("milestones", None)
    with changing(Contract, [contract.pk]):
        updated = Contract.objects.filter(pk=contract.pk, version=version, status=ContractStatus.DRAFTING).update(
            version=F("version") + 1, updated_at=timezone.now(), **clean)
    if not updated:
        raise StaleVersion()
    if milestone_rows is not None:
        save_milestones(contract, milestone_rows)
        clean["milestones"] = milestone_rows
    contract.refresh_from_db()
    changes = term_rules.changed(term_rules.snapshot(current), term_rules.snapshot({**current, **clean}))
    for field in ("title", "contract_type"):
        if field in clean and clean[field] != current[field]:
            changes[field] = [current[field], clean[field]]
    if changes:
        timeline.record(contract, actor=actor, action="contract.updated", changes=changes)
    return contract


@transaction.atomic
def attachment_add(*, actor, contract: Contract, upload) -> Attachment:
    """Attach a file (checked by content) to an open contract."""
    refuse(rules.can_upload_attachment(actor, contract))
    stored = store_upload(upload, actor=actor)
    attachment = Attachment.objects.create(contract=contract, kind=AttachmentKind.ATTACHMENT, file=stored,
                                           uploaded_by=actor)
    timeline.record(contract, actor=actor, action="contract.file_attached", comment=stored.original_name)
    return attachment
