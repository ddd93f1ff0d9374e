"""Contract review (合同评审) on the approvals engine: submitting checks the draft is complete and starts a round;
steps are decided through approvals.services.decide; the engine calls back here when the round ends."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.approvals import services as approvals
from opsmon.core.errors import Invalid
from opsmon.core.events import notify
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import transition

from .. import rules, terms
from ..models import Contract

KIND = "contract"


def contract_url(contract: Contract) -> str:
    return f"/contracts/{contract.pk}/"


def select_route(*, contract_type: str, amount, department=None):
    """The active contract route for this type and amount (approvals.services.select_route)."""
    return approvals.select_route(KIND, type_code=contract_type, amount=amount, department=department)


def route_save(*, actor, route=None, name: str, contract_type: str = "", department_id: int | None = None,
               min_amount=0, max_amount=None, active: bool = True, steps):
    """A contract route (approvals.services.route_save for the "contract" kind)."""
    return approvals.route_save(actor=actor, kind=KIND, route=route, name=name, type_code=contract_type,
                                department_id=department_id, min_amount=min_amount, max_amount=max_amount,
                                active=active, steps=steps)


def require_complete(contract: Contract) -> None:
    """What a contract needs before review: a type, dates, milestones that add up (422 naming each)."""
    errors = {}
    if not contract.contract_type:
        errors["contract_type"] = _("This field is required.")
    if not contract.amount:
        errors["amount"] = _("Must be more than zero.")
    for field in ("start_on", "end_on"):
        if getattr(contract, field) is None:
            errors[field] = _("This field is required.")
    if not contract.milestones.exists():
        errors["milestones"] = _("Add the payment milestones.")
    if errors:
        raise Invalid(fields=errors)
    current = terms.current_terms(contract)
    terms.clean({"milestones": current["milestones"]}, current=current)  # re-check the sum against the amount


@transaction.atomic
def contract_submit(*, actor, contract: Contract) -> Contract:
    """drafting → in_review: pick the route for the type and amount, start a fresh round."""
    refuse(rules.can_submit_review(actor, contract))
    require_complete(contract)
    contract = transition(contract, actor=actor, action="submitted", transitions=rules.TRANSITIONS)
    approvals.start_round(actor=actor, kind=KIND, subject=contract)
    return contract


def step_decide(*, actor, contract: Contract, step_id, decision: str, comment: str = "") -> Contract:
    """Approve or reject a step of the contract's or its amendment's review (approvals.services.decide)."""
    return approvals.decide(actor=actor, record=contract, step_id=step_id, decision=decision, comment=comment)


# --- what the engine calls when a contract's round ends (registered in receivers.py) ---------------------------

def contract_rejected(*, actor, subject: Contract, review, comment: str, changes: dict) -> Contract:
    """A step rejected: the contract goes back to drafting, its owner is told why."""
    contract = transition(subject, actor=actor, action="review_rejected", transitions=rules.TRANSITIONS,
                          comment=comment, changes=changes)
    notify([contract.owner], text=phrase(gettext_noop("Contract review rejected: %(n)s — %(c)s"),
                                         n=contract.number, c=comment),
           url=contract_url(contract), kind="contract.review_rejected")
    return contract


def contract_approved(*, actor, subject: Contract, review, comment: str, changes: dict) -> Contract:
    """The last step approved: the contract is ready to sign."""
    contract = transition(subject, actor=actor, action="review_approved", transitions=rules.TRANSITIONS,
                          comment=comment, changes=changes)
    notify([contract.owner], text=phrase(gettext_noop("Contract approved, ready to sign: %(n)s"), n=contract.number),
           url=contract_url(contract), kind="contract.review_approved")
    return contract
