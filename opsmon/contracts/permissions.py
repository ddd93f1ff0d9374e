"""Who may do what to a contract: the team drafts, owner or head submit and sign, step deciders review."""

from opsmon.accounts.visibility import is_head_of

from .models import Contract


def is_head(actor, contract: Contract) -> bool:
    return is_head_of(actor, contract.department)


def is_team(actor, contract: Contract) -> bool:
    opportunity = contract.opportunity
    return actor.pk in (contract.owner_id, opportunity.owner_id) or opportunity.members.filter(pk=actor.pk).exists()


def can_edit(actor, contract: Contract) -> bool:
    """Draft fields, milestones and attachments."""
    return is_team(actor, contract) or is_head(actor, contract)


def can_manage(actor, contract: Contract) -> bool:
    """Submit for review, sign, archive, terminate, propose amendments: the owner or his department head."""
    return actor.pk == contract.owner_id or is_head(actor, contract)


def can_draft(actor) -> bool:
    return actor.has_role("sales_rep", "dept_head")


def can_configure_routes(actor) -> bool:
    return actor.has_role("admin")
