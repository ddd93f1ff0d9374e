"""Contract review (合同评审): submitting picks a route and starts a round; steps are decided in order.

A step decided by "any one" (或签) completes with its first approval; "all" (会签) with the last. Each
decision writes exactly one timeline entry on the contract. Concurrent clicks on one step are serialised by
locking the step row (PostgreSQL) or by SQLite's single writer, and a second decision is refused with 409.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.events import notify
from opsmon.core.workflow import clean_comment, require_status, transition

from .. import permissions, terms
from ..choices import (
    AmendmentStatus,
    ContractStatus,
    DeciderKind,
    Decision,
    ReviewStatus,
    StepMode,
    StepStatus,
)
from ..models import Amendment, Contract, Review, ReviewRoute, ReviewStep, RouteStep, StepDecider

TRANSITIONS = {
    "submitted": ([ContractStatus.DRAFTING], ContractStatus.IN_REVIEW),
    "review_approved": ([ContractStatus.IN_REVIEW], ContractStatus.APPROVED),
    "review_rejected": ([ContractStatus.IN_REVIEW], ContractStatus.DRAFTING),
}


def contract_url(contract: Contract) -> str:
    return f"/contracts/{contract.pk}/"


def select_route(*, contract_type: str, amount) -> ReviewRoute:
    """The active route for this type and amount: one naming the type beats one for any type."""
    candidates = ReviewRoute.objects.filter(active=True, min_amount__lte=amount).exclude(max_amount__lte=amount)
    route = (candidates.filter(contract_type=contract_type).order_by("-min_amount", "id").first()
             or candidates.filter(contract_type="").order_by("-min_amount", "id").first())
    if route is None:
        raise Invalid(_("No review route covers this contract type and amount; ask an administrator."),
                      code="no_route", fields={"contract_type": _("no review route for this type and amount")})
    return route


def _heads_over(department, *, owner_id) -> list[User]:
    """The department heads of `department`, or of the nearest department above that has one besides the owner."""
    while department is not None:
        heads = list(User.objects.filter(is_active=True, department=department, groups__name="dept_head")
                     .exclude(pk=owner_id))
        if heads:
            return heads
        department = department.parent
    return []


def deciders_for(step: RouteStep, contract: Contract) -> list[User]:
    """Who decides `step` for `contract`, fixed when the round starts; never the contract's owner."""
    if step.decider_kind == DeciderKind.ROLE:
        users = list(User.objects.filter(is_active=True, groups__name=step.role).order_by("id"))
    elif step.decider_kind == DeciderKind.OWNER_HEAD:
        users = _heads_over(contract.department, owner_id=contract.owner_id)
    else:
        users = list(step.users.filter(is_active=True).order_by("id"))
    return [u for u in dict.fromkeys(users) if u.pk != contract.owner_id]


def start_round(*, actor, contract: Contract, amendment: Amendment | None = None, amount=None) -> Review:
    """Create the next review round with its steps and deciders; the first step becomes current."""
    route = select_route(contract_type=contract.contract_type, amount=contract.amount if amount is None else amount)
    plan = [(s, deciders_for(s, contract)) for s in route.steps.prefetch_related("users").order_by("position")]
    if not plan:
        raise Invalid(_("The review route has no steps; ask an administrator."), code="no_route")
    for step, users in plan:
        if not users:
            raise Invalid(_("Nobody may decide step %(n)s of route “%(route)s”; ask an administrator.")
                          % {"n": step.position, "route": route.name}, code="no_decider",
                          fields={"contract_type": _("a review step has no decider")})
    last = Review.objects.filter(contract=contract).aggregate(r=Max("round"))["r"] or 0
    review = Review.objects.create(contract=contract, amendment=amendment, round=last + 1, route=route,
                                   route_name=route.name, started_by=actor)
    for i, (step, users) in enumerate(plan):
        rs = ReviewStep.objects.create(review=review, position=step.position, kind=step.kind, mode=step.mode,
                                       status=StepStatus.CURRENT if i == 0 else StepStatus.WAITING)
        StepDecider.objects.bulk_create(StepDecider(step=rs, user=u) for u in users)
    _notify_current(review)
    return review


def _notify_current(review: Review) -> None:
    step = review.steps.filter(status=StepStatus.CURRENT).first()
    if step is not None:
        users = [d.user for d in step.deciders.select_related("user").filter(decision="")]
        notify(users, text=_("Contract review waiting for you: %(n)s %(t)s")
               % {"n": review.contract.number, "t": review.contract.title}, url=contract_url(review.contract))


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
    if not permissions.can_manage(actor, contract):
        raise PermissionDenied()
    require_status(contract, TRANSITIONS["submitted"][0])
    require_complete(contract)
    contract = transition(contract, actor=actor, action="submitted", transitions=TRANSITIONS)
    start_round(actor=actor, contract=contract)
    return contract


def current_review(contract: Contract) -> Review | None:
    return contract.reviews.filter(status=ReviewStatus.IN_REVIEW).order_by("-round").first()


def _close_round(review: Review, status: str) -> None:
    now = timezone.now()
    Review.objects.filter(pk=review.pk).update(status=status, finished_at=now)
    review.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.SKIPPED)


def _step_label(step: ReviewStep) -> str:
    from opsmon.codes.selectors import label_of
    return f"{step.position} {label_of(table='review_step_kind', code=step.kind)}"


@transaction.atomic
def step_decide(*, actor, contract: Contract, step_id: int, decision: str, comment: str = "") -> Contract:
    """Approve or reject the current step; only its deciders, once each, never the contract's owner."""
    if decision not in Decision.values:
        raise Invalid(fields={"decision": _("Choose approve or reject.")})
    comment = clean_comment(comment, required=decision == Decision.REJECT)
    step = (ReviewStep.objects.select_for_update().select_related("review")
            .filter(pk=step_id, review__contract=contract).first())
    if step is None:
        raise NotFound()
    if actor.pk == contract.owner_id:
        raise PermissionDenied(_("Nobody decides a review step of his own contract."), code="own_contract")
    if not step.deciders.filter(user=actor.pk).exists():
        raise PermissionDenied(_("You are not a decider of this step."), code="not_decider")
    if step.status != StepStatus.CURRENT or step.review.status != ReviewStatus.IN_REVIEW:
        raise Conflict(_("This step is not waiting for a decision."), code="not_current")
    now = timezone.now()
    if not StepDecider.objects.filter(step=step, user=actor.pk, decision="").update(
            decision=decision, comment=comment, decided_at=now):
        raise Conflict(_("You have already decided this step."), code="already_decided")
    review = step.review
    changes = {"step": [None, _step_label(step)], "decision": [None, decision]}
    if decision == Decision.REJECT:
        _finish_step(step, StepStatus.REJECTED, now)
        _close_round(review, ReviewStatus.REJECTED)
        return _rejected(actor, contract, review, comment, changes)
    if step.mode == StepMode.ALL and step.deciders.filter(decision="").exists():
        timeline.record(contract, actor=actor, action="contract.step_approved", comment=comment, changes=changes)
        return contract  # 会签: wait for the others
    _finish_step(step, StepStatus.APPROVED, now)
    following = review.steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if following is not None:
        ReviewStep.objects.filter(pk=following.pk).update(status=StepStatus.CURRENT)
        timeline.record(contract, actor=actor, action="contract.step_approved", comment=comment, changes=changes)
        _notify_current(review)
        return contract
    _close_round(review, ReviewStatus.APPROVED)
    return _approved(actor, contract, review, comment, changes)


def _finish_step(step: ReviewStep, status: str, now) -> None:
    if not ReviewStep.objects.filter(pk=step.pk, status=StepStatus.CURRENT).update(status=status, decided_at=now):
        raise Conflict(_("This step is not waiting for a decision."), code="not_current")


def _rejected(actor, contract, review, comment, changes) -> Contract:
    if review.amendment_id:
        from .amendments import amendment_rejected
        return amendment_rejected(actor=actor, contract=contract, amendment=review.amendment, comment=comment,
                                  changes=changes)
    contract = transition(contract, actor=actor, action="review_rejected", transitions=TRANSITIONS, comment=comment,
                          changes=changes)
    notify([contract.owner], text=_("Contract review rejected: %(n)s — %(c)s") % {"n": contract.number, "c": comment},
           url=contract_url(contract))
    return contract


def _approved(actor, contract, review, comment, changes) -> Contract:
    if review.amendment_id:
        from .amendments import amendment_approved
        return amendment_approved(actor=actor, contract=contract, amendment=review.amendment, comment=comment,
                                  changes=changes)
    contract = transition(contract, actor=actor, action="review_approved", transitions=TRANSITIONS, comment=comment,
                          changes=changes)
    notify([contract.owner], text=_("Contract approved, ready to sign: %(n)s") % {"n": contract.number},
           url=contract_url(contract))
    return contract


def amendment_open(contract: Contract) -> Amendment | None:
    return contract.amendments.filter(status=AmendmentStatus.IN_REVIEW).first()
