"""The review engine (评审): submitting a subject picks a route and starts a round; steps are decided in order.

- A route is chosen by the subject's kind, type, department and amount (`select_route`).
- Each step's deciders are fixed when the round starts: everyone with a role, the heads over the owner's
  department, or named users; never the subject's owner or proposer (`deciders_for`).
- A step decided by "any one" (或签) completes with its first approval, "all" (会签) with the last. A rejection
  ends the round and hands the subject back to its owner (the kind's `on_rejected`); so does a *return* (kinds with
  `allows_return` only: `on_returned`, the owner changes the subject and resubmits); the last approval calls
  `on_approved`. A resubmission starts the next round; finished rounds stay as they were.
- Each decision writes exactly one timeline row on the record. Concurrent clicks on one step are serialised by
  locking the step row (PostgreSQL) or by SQLite's single writer; a second decision is refused with 409.
"""

from django.db import transaction
from django.db.models import Max, Model, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import Department, User
from opsmon.accounts.roles import Role
from opsmon.codes.models import CodeItem
from opsmon.codes.selectors import label_of
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.events import notify
from opsmon.core.money import parse_amount
from opsmon.core.phrases import lazy_phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment

from . import kinds, rules, selectors
from .choices import DeciderKind, Decision, ReviewStatus, StepMode, StepStatus
from .models import Review, ReviewStep, Route, RouteStep, StepDecider

MAX_STEPS = 12


# --- choosing a route and its deciders ------------------------------------------------------------------------

def _ancestors(department: Department | None) -> list[int]:
    """The department and those above it, nearest first."""
    out = []
    while department is not None:
        out.append(department.pk)
        department = department.parent
    return out


def select_route(kind: str, *, type_code: str = "", amount, department: Department | None = None,
                 category: str = "") -> Route:
    """The active route of `kind` (or of the kind whose routes it uses) covering the amount. A route naming the
    type beats one for any type; then one naming the category beats one for any category; then one naming the
    department (or the nearest above it) beats one for any department; then the higher lower bound."""
    kind_ = kinds.get(kind)
    up = _ancestors(department)
    candidates = (Route.objects.filter(kind=kind_.route_kind, active=True, min_amount__lte=amount)
                  .exclude(max_amount__lte=amount).filter(Q(department__isnull=True) | Q(department__in=up)))

    def rank(route):
        return (route.type_code != type_code, route.category != category,
                up.index(route.department_id) if route.department_id else len(up), -route.min_amount, route.pk)

    found = sorted((r for r in candidates if r.type_code in (type_code, "") and r.category in (category, "")),
                   key=rank)
    if not found:
        raise Invalid(str(kinds.text(kind_, "no_route")), code="no_route",
                      fields={kinds.type_field(kind_): _("no review route for this type and amount")})
    return found[0]


def heads_over(department, *, excluded: set = frozenset()) -> list[User]:
    """The department heads of `department`, or of the nearest department above that has one besides `excluded`."""
    return _heads_over(department, excluded=set(excluded))


def _heads_over(department, *, excluded: set) -> list[User]:
    """The department heads of `department`, or of the nearest department above that has one besides `excluded`."""
    while department is not None:
        heads = list(User.objects.filter(is_active=True, department=department, groups__name=Role.DEPT_HEAD)
                     .exclude(pk__in=excluded).order_by("id"))
        if heads:
            return heads
        department = department.parent
    return []


def deciders_for(step: RouteStep, *, department, excluded: set) -> list[User]:
    """Who decides `step`, fixed when the round starts; never anyone in `excluded` (the owner, the proposer)."""
    if step.decider_kind == DeciderKind.ROLE:
        users = list(User.objects.filter(is_active=True, groups__name=step.role).order_by("id"))
    elif step.decider_kind == DeciderKind.OWNER_HEAD:
        users = _heads_over(department, excluded=excluded)
    else:
        users = list(step.users.filter(is_active=True).order_by("id"))
    return [u for u in dict.fromkeys(users) if u.pk not in excluded]


# --- rounds -----------------------------------------------------------------------------------------------------

def start_round(*, actor, kind: str, subject: Model, amount=None, extra_steps=()) -> Review:
    """Create the subject's next round with its steps and deciders; the first step becomes current. 422
    `no_route` / `no_decider` when no route covers it or a step would have nobody to decide it. `extra_steps`
    ([(step kind code, [users])]) are added after the route's steps, decided by any one of the users (never the
    owner or proposer): procurement's budget step."""
    kind_ = kinds.get(kind)
    department = kind_.department(subject)
    route = select_route(kind, type_code=kind_.type_code(subject) or "", department=department,
                         amount=kind_.amount(subject) if amount is None else amount,
                         category=kind_.category(subject) or "")
    excluded = rules.excluded(kind_, subject)
    plan = [(s, deciders_for(s, department=department, excluded=excluded))
            for s in route.steps.prefetch_related("users").order_by("position")]
    after = plan[-1][0].position if plan else 0
    plan += [(RouteStep(position=after + i, kind=step_kind, mode=StepMode.ANY),
              [u for u in dict.fromkeys(users) if u.pk not in excluded])
             for i, (step_kind, users) in enumerate(extra_steps, start=1)]
    if not plan:
        raise Invalid(_("The review route has no steps; ask an administrator."), code="no_route")
    for step, users in plan:
        if not users:
            raise Invalid(_("Nobody may decide step %(n)s of route “%(route)s”; ask an administrator.")
                          % {"n": step.position, "route": route.name}, code="no_decider",
                          fields={kinds.type_field(kind_): _("a review step has no decider")})
    record = kind_.record(subject)
    filed = selectors.of_record(record)
    last = Review.objects.filter(**filed).aggregate(r=Max("round"))["r"] or 0
    review = Review.objects.create(kind=kind, subject_id=subject.pk, **filed, round=last + 1, route=route,
                                   route_name=route.name, started_by=actor)
    for i, (step, users) in enumerate(plan):
        rs = ReviewStep.objects.create(review=review, position=step.position, kind=step.kind, mode=step.mode,
                                       status=StepStatus.CURRENT if i == 0 else StepStatus.WAITING)
        StepDecider.objects.bulk_create(StepDecider(step=rs, user=u) for u in users)
    review._subject = subject
    _notify_current(review)
    return review


def _notify_current(review: Review) -> None:
    step = review.steps.filter(status=StepStatus.CURRENT).first()
    if step is None:
        return
    kind = kinds.get(review.kind)
    subject = rules.subject_of(review)
    users = [d.user for d in step.deciders.select_related("user").filter(decision="")]
    notify(users, text=lazy_phrase(kinds.text(kind, "waiting"), title=kind.title(subject)), url=kind.url(subject),
           kind="review.waiting")


def step_label(step: ReviewStep) -> str:
    return f"{step.position} {label_of(table='review_step_kind', code=step.kind)}"


@transaction.atomic
def decide(*, actor, record: Model, step_id, decision: str, comment: str = ""):
    """Approve, reject or return a step of one of the record's rounds (the current one; its deciders, once each;
    never the subject's owner or proposer; "return" only on kinds with `allows_return`). Answers the record as the
    kind's callbacks leave it."""
    if decision not in Decision.values:
        raise Invalid(fields={"decision": _("Choose approve, return or reject.")})
    comment = clean_comment(comment, required=decision in (Decision.REJECT, Decision.RETURN))
    lookups = {f"review__{k}": v for k, v in selectors.of_record(record).items()}
    step = (ReviewStep.objects.select_for_update().select_related("review")
            .filter(pk=step_id, **lookups).first()) if str(step_id).isdigit() else None
    refuse(rules.can_decide(actor, step, decision=decision))
    now = timezone.now()
    if not StepDecider.objects.filter(step=step, user=actor.pk, decision="").update(
            decision=decision, comment=comment, decided_at=now):
        raise Conflict(_("You have already decided this step."), code="already_decided")
    review = step.review
    kind = kinds.get(review.kind)
    subject = rules.subject_of(review)
    changes = {"step": [None, step_label(step)], "decision": [None, decision]}
    if decision == Decision.REJECT:
        _finish_step(step, StepStatus.REJECTED, now)
        _close_round(review, ReviewStatus.REJECTED)
        return kind.on_rejected(actor=actor, subject=subject, review=review, comment=comment, changes=changes)
    if decision == Decision.RETURN:
        _finish_step(step, StepStatus.RETURNED, now)
        _close_round(review, ReviewStatus.RETURNED)
        return kind.on_returned(actor=actor, subject=subject, review=review, comment=comment, changes=changes)
    if step.mode == StepMode.ALL and step.deciders.filter(decision="").exists():
        _step_approved(actor, record, comment, changes)
        return record  # 会签: wait for the others
    _finish_step(step, StepStatus.APPROVED, now)
    following = review.steps.filter(status=StepStatus.WAITING).order_by("position").first()
    if following is not None:
        ReviewStep.objects.filter(pk=following.pk).update(status=StepStatus.CURRENT)
        _step_approved(actor, record, comment, changes)
        _notify_current(review)
        return record
    _close_round(review, ReviewStatus.APPROVED)
    return kind.on_approved(actor=actor, subject=subject, review=review, comment=comment, changes=changes)


def _step_approved(actor, record, comment, changes) -> None:
    """The timeline row of a step approved while the round goes on ("<record model>.step_approved")."""
    timeline.record(record, actor=actor, action=f"{record._meta.model_name}.step_approved", comment=comment,
                    changes=changes)


def _finish_step(step: ReviewStep, status: str, now) -> None:
    if not ReviewStep.objects.filter(pk=step.pk, status=StepStatus.CURRENT).update(status=status, decided_at=now):
        raise Conflict(_("This step is not waiting for a decision."), code="not_current")


def _close_round(review: Review, status: str) -> None:
    Review.objects.filter(pk=review.pk).update(status=status, finished_at=timezone.now())
    review.status = status
    review.steps.filter(status=StepStatus.WAITING).update(status=StepStatus.SKIPPED)


# --- routes (the admin) -----------------------------------------------------------------------------------------

def _amount(value, field, errors):
    if value in (None, ""):
        return None
    try:
        return parse_amount(value)
    except ValueError as exc:
        errors[field] = str(exc)
        return None


def _clean_steps(steps, errors) -> list[dict]:
    if not isinstance(steps, list | tuple) or not steps:
        errors["steps"] = _("Add at least one step.")
        return []
    if len(steps) > MAX_STEPS:
        errors["steps"] = _("At most %(n)s steps.") % {"n": MAX_STEPS}
        return []
    codes = set(CodeItem.objects.filter(table__name="review_step_kind", active=True).values_list("code", flat=True))
    out = []
    for i, raw in enumerate(steps, start=1):
        key, raw = f"steps.{i}", raw if isinstance(raw, dict) else {}
        kind, decider_kind = str(raw.get("kind") or ""), str(raw.get("decider_kind") or "")
        role, mode = str(raw.get("role") or ""), str(raw.get("mode") or StepMode.ANY)
        if kind not in codes:
            errors[f"{key}.kind"] = _("unknown or inactive code “%(code)s”") % {"code": kind}
        if decider_kind not in DeciderKind.values:
            errors[f"{key}.decider_kind"] = _("Choose role, owner_head or users.")
        if mode not in StepMode.values:
            errors[f"{key}.mode"] = _("Choose any or all.")
        users = []
        if decider_kind == DeciderKind.ROLE and role not in Role.values:
            errors[f"{key}.role"] = _("Choose a role.")
        if decider_kind == DeciderKind.USERS:
            ids = raw.get("users") or []
            users = list(User.objects.filter(pk__in=[i for i in ids if isinstance(i, int)], is_active=True))
            if not ids or len(users) != len(set(ids)):
                errors[f"{key}.users"] = _("Name one or more active users.")
        out.append({"kind": kind, "decider_kind": decider_kind, "mode": mode,
                    "role": role if decider_kind == DeciderKind.ROLE else "", "users": users})
    return out


@transaction.atomic
def route_save(*, actor, kind: str, route: Route | None = None, name: str, type_code: str = "",
               department_id: int | None = None, min_amount=0, max_amount=None, active: bool = True,
               steps, category: str = "") -> Route:
    """Create or replace a route of a kind. Active routes of one kind, type, category and department must not
    overlap in amount, so the choice is never ambiguous. Rounds already started keep their own copy of the steps."""
    refuse(rules.can_configure_routes(actor))
    errors: dict = {}
    kind_ = kinds.get(kind) if kind in {k.name for k in kinds.routed_kinds()} else None
    if kind_ is None:
        errors["kind"] = _("Choose a subject kind.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        errors["name"] = _("This field is required.") if not name else _("At most %(n)s characters.") % {"n": 100}
    type_code = (type_code or "").strip()
    if type_code and (kind_ is None or not kind_.type_table or not CodeItem.objects.filter(
            table__name=kind_.type_table, code=type_code).exists()):
        errors["type_code"] = _("unknown or inactive code “%(code)s”") % {"code": type_code}
    category = (category or "").strip()
    if category and (kind_ is None or not kind_.category_table or not CodeItem.objects.filter(
            table__name=kind_.category_table, code=category).exists()):
        errors["category"] = _("unknown or inactive code “%(code)s”") % {"code": category}
    department = None
    if department_id not in (None, ""):
        department = Department.objects.filter(pk=department_id).first() if str(department_id).isdigit() else None
        if department is None:
            errors["department"] = _("Choose a department.")
    low = _amount(min_amount, "min_amount", errors) or 0
    high = _amount(max_amount, "max_amount", errors)
    if high is not None and "min_amount" not in errors and high <= low:
        errors["max_amount"] = _("Must be more than the from amount.")
    clean_steps = _clean_steps(steps, errors)
    if not errors and active:
        overlap = (Route.objects.filter(kind=kind, active=True, type_code=type_code, category=category,
                                        department=department)
                   .exclude(pk=route.pk if route else None).exclude(max_amount__lte=low))
        if high is not None:
            overlap = overlap.filter(min_amount__lt=high)
        clash = overlap.first()
        if clash is not None:
            errors["min_amount"] = _("Overlaps the amounts of route “%(name)s”.") % {"name": clash.name}
    if errors:
        raise Invalid(fields=errors)
    route = route or Route(kind=kind)
    route.kind, route.name, route.type_code, route.department = kind, name, type_code, department
    route.category = category
    route.min_amount, route.max_amount, route.active = low, high, bool(active)
    route.save()
    route.steps.all().delete()
    for position, step in enumerate(clean_steps, start=1):
        rs = RouteStep.objects.create(route=route, position=position, kind=step["kind"],
                                      decider_kind=step["decider_kind"], role=step["role"], mode=step["mode"])
        rs.users.set(step["users"])
    return route
