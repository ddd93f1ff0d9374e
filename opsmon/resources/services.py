"""Resource requests and effort logs (DOMAIN.md "Resources (立项资源)").

A request is filed as a draft, submitted to a review round on the approvals engine (kind "resource_request",
registered in receivers.py), approved step by step (each approving decider may trim or raise the granted figures,
which start equal to what was asked) or rejected back to its owner, who reopens it as a draft and resubmits."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.approvals import services as approvals
from opsmon.core import timeline
from opsmon.core.errors import Invalid, StaleVersion
from opsmon.core.events import publish
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_money, clean_past_date, clean_texts, transition

from . import rules
from .choices import EFFORT_KINDS, BudgetKind, PeopleRole, RequestStatus
from .models import BudgetLine, EffortLog, PeopleLine, ResourceRequest

KIND = "resource_request"
MAX_LINES = 20
MAX_DAYS = Decimal("9999")
NOTE_LIMIT = 2000
LOG_NOTE_LIMIT = 500
HALF = Decimal("0.5")


def request_url(request: ResourceRequest) -> str:
    return f"/resources/requests/{request.pk}/"


def project_url(project) -> str:
    return f"/projects/{project.pk}/#resources"


def asks_engineers(request: ResourceRequest) -> bool:
    return request.people.filter(role=PeopleRole.ENGINEER).exists()


def type_code(request: ResourceRequest) -> str:
    """The route type (code table review_step_kind): "technical" when engineers are asked (the technical
    department's head decides too), else "business"."""
    return "technical" if asks_engineers(request) else "business"


# --- input --------------------------------------------------------------------------------------------------

def parse_days(value, field: str, errors: dict, *, required: bool = True, zero: bool = False) -> Decimal | None:
    """Person-days: more than zero (or zero, when `zero`: a line granted nothing), in steps of 0.5."""
    if value in (None, ""):
        if required:
            errors[field] = _("This field is required.")
        return None
    try:
        days = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors[field] = _("not a number")
        return None
    if not days.is_finite() or days < 0 or (days == 0 and not zero) or days > MAX_DAYS:
        errors[field] = _("Between %(low)s and %(n)s days.") % {"low": 0 if zero else HALF, "n": MAX_DAYS}
        return None
    if days % HALF:
        errors[field] = _("In steps of half a day.")
        return None
    return days.quantize(Decimal("0.1"))


def _active_user(value, field: str, errors: dict) -> User | None:
    if value in (None, ""):
        return None
    user = User.objects.filter(pk=value, is_active=True).first() if str(value).isdigit() else None
    if user is None:
        errors[field] = _("Choose an active user.")
    return user


def _rows(value, field: str, errors: dict) -> list[dict]:
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(r, dict) for r in value):
        errors[field] = _("A list of lines.")
        return []
    if len(value) > MAX_LINES:
        errors[field] = _("At most %(n)s lines.") % {"n": MAX_LINES}
        return []
    return list(value)


def clean_lines(people, budget, errors: dict) -> tuple[list[dict], list[dict]]:
    """The people lines ({role, days, user_id?}) and budget lines ({kind, amount}); at least one line."""
    clean_people, clean_budget = [], []
    for i, row in enumerate(_rows(people, "people", errors), start=1):
        key = f"people.{i}"
        role = str(row.get("role") or "")
        if role not in PeopleRole.values:
            errors[f"{key}.role"] = _("Choose technical lead, engineer or business.")
        days = parse_days(row.get("days"), f"{key}.days", errors)
        user = _active_user(row.get("user_id"), f"{key}.user_id", errors)
        clean_people.append({"role": role, "days": days, "user": user})
    for i, row in enumerate(_rows(budget, "budget", errors), start=1):
        key = f"budget.{i}"
        kind = str(row.get("kind") or "")
        if kind not in BudgetKind.values:
            errors[f"{key}.kind"] = _("Choose travel, tender fees, document production or other.")
        amount = clean_money(row.get("amount"), f"{key}.amount", errors)
        clean_budget.append({"kind": kind, "amount": amount})
    if not clean_people and not clean_budget and "people" not in errors and "budget" not in errors:
        errors["people"] = _("Ask for people or budget: at least one line.")
    return clean_people, clean_budget


def _write_lines(request: ResourceRequest, people: list[dict], budget: list[dict]) -> None:
    request.people.all().delete()
    request.budget.all().delete()
    PeopleLine.objects.bulk_create(PeopleLine(request=request, position=i, role=p["role"], days=p["days"],
                                              user=p["user"]) for i, p in enumerate(people, start=1))
    BudgetLine.objects.bulk_create(BudgetLine(request=request, position=i, kind=b["kind"], amount=b["amount"])
                                   for i, b in enumerate(budget, start=1))


def _summary(people, budget) -> dict:
    return {"people": [f"{p['role']} {p['days']}" + (f" {p['user'].pk}" if p["user"] else "") for p in people],
            "budget": [f"{b['kind']} {b['amount']}" for b in budget]}


# --- requests -----------------------------------------------------------------------------------------------

@transaction.atomic
def request_create(*, actor, project, people=(), budget=(), note: str = "") -> ResourceRequest:
    """A draft request of an approved, open project, by its owner or his head."""
    refuse(rules.can_file_request(actor, project))
    errors: dict = {}
    texts = clean_texts({"note": note}, {"note": NOTE_LIMIT}, errors)
    people, budget = clean_lines(people, budget, errors)
    if errors:
        raise Invalid(fields=errors)
    request = ResourceRequest.objects.create(project=project, note=texts["note"], filed_by=actor)
    _write_lines(request, people, budget)
    timeline.record(request, actor=actor, action="resourcerequest.filed", to_status=request.status,
                    changes={k: [None, v] for k, v in _summary(people, budget).items()})
    return request


@transaction.atomic
def request_update(*, actor, request: ResourceRequest, version: int, people=(), budget=(),
                   note: str = "") -> ResourceRequest:
    """Replace a draft's lines and note (the `version` it read; a stale one is 409)."""
    refuse(rules.can_edit(actor, request))
    errors: dict = {}
    texts = clean_texts({"note": note}, {"note": NOTE_LIMIT}, errors)
    people, budget = clean_lines(people, budget, errors)
    if errors:
        raise Invalid(fields=errors)
    before = {"people": [f"{p.role} {p.days}" + (f" {p.user_id}" if p.user_id else "")
                         for p in request.people.all()],
              "budget": [f"{b.kind} {b.amount}" for b in request.budget.all()], "note": request.note}
    if not ResourceRequest.objects.filter(pk=request.pk, version=version, status=RequestStatus.DRAFT).update(
            note=texts["note"], version=request.version + 1, updated_at=timezone.now()):
        raise StaleVersion()
    _write_lines(request, people, budget)
    after = {**_summary(people, budget), "note": texts["note"]}
    timeline.record(request, actor=actor, action="resourcerequest.updated",
                    changes={k: [before[k], v] for k, v in after.items() if before[k] != v})
    return ResourceRequest.objects.get(pk=request.pk)


@transaction.atomic
def request_submit(*, actor, request: ResourceRequest) -> ResourceRequest:
    """draft → in_review: the granted figures start as asked; a review round starts on the approvals engine."""
    refuse(rules.can_submit(actor, request))
    request.people.update(granted_days=F("days"))
    request.budget.update(granted_amount=F("amount"))
    request = transition(request, actor=actor, action="submit", transitions=rules.TRANSITIONS)
    approvals.start_round(actor=actor, kind=KIND, subject=request)
    publish("resource_request.submitted", subject=request, data=payload(request))
    return request


@transaction.atomic
def request_reopen(*, actor, request: ResourceRequest, comment: str = "") -> ResourceRequest:
    """refused → draft, for the owner to fix and resubmit."""
    refuse(rules.can_reopen(actor, request))
    comment = clean_comment(comment, required=False)
    return transition(request, actor=actor, action="reopen", transitions=rules.TRANSITIONS, comment=comment)


def _clean_grants(request: ResourceRequest, lines, errors: dict) -> dict:
    """{(type, id): granted} from [{type: people|budget, id, granted}], for lines of this request."""
    people = {p.pk: p for p in request.people.all()}
    budget = {b.pk: b for b in request.budget.all()}
    out = {}
    for i, row in enumerate(_rows(lines, "lines", errors), start=1):
        key = f"lines.{i}"
        kind, pk = str(row.get("type") or ""), row.get("id")
        known = people if kind == "people" else budget if kind == "budget" else None
        if known is None:
            errors[f"{key}.type"] = _("Choose people or budget.")
            continue
        if not isinstance(pk, int) or pk not in known:
            errors[f"{key}.id"] = _("Not a line of this request.")
            continue
        granted = row.get("granted")
        parse = parse_days if kind == "people" else clean_money
        value = parse(granted, f"{key}.granted", errors, zero=True)
        if value is not None:
            out[(kind, pk)] = value
    return out


def _apply_grants(actor, request: ResourceRequest, grants: dict, comment: str) -> None:
    """Write the granted figures a decider set (one timeline row naming every changed line; a grant above what
    was asked is marked as such)."""
    changes = {}
    above = []
    for line in request.people.all():
        value = grants.get(("people", line.pk))
        if value is not None and value != line.granted_days:
            PeopleLine.objects.filter(pk=line.pk).update(granted_days=value)
            changes[f"people.{line.position} {line.role}"] = [str(line.granted_days), str(value)]
            if value > line.days:
                above.append(f"people.{line.position}")
    for line in request.budget.all():
        value = grants.get(("budget", line.pk))
        if value is not None and value != line.granted_amount:
            BudgetLine.objects.filter(pk=line.pk).update(granted_amount=value)
            changes[f"budget.{line.position} {line.kind}"] = [str(line.granted_amount), str(value)]
            if value > line.amount:
                above.append(f"budget.{line.position}")
    if above:
        changes["above_asked"] = [None, ", ".join(above)]
    if changes:
        timeline.record(request, actor=actor, action="resourcerequest.figures_set", comment=comment,
                        changes=changes)


@transaction.atomic
def request_approve(*, actor, request: ResourceRequest, comment: str = "", lines=None) -> ResourceRequest:
    """Approve the caller's current step; `lines` ([{type, id, granted}]) trims (or raises) the granted figures
    of those lines first. The last approval grants the request (receivers: `request_granted`)."""
    refuse(rules.can_approve(actor, request))
    errors: dict = {}
    grants = _clean_grants(request, lines, errors)
    if errors:
        raise Invalid(fields=errors)
    step = rules.current_step(request)
    _apply_grants(actor, request, grants, clean_comment(comment, required=False))
    result = approvals.decide(actor=actor, record=request, step_id=step.pk, decision="approve", comment=comment)
    return ResourceRequest.objects.get(pk=result.pk)


@transaction.atomic
def request_reject(*, actor, request: ResourceRequest, comment: str) -> ResourceRequest:
    """Reject the caller's current step (a comment is required): the request is refused, back to its owner."""
    refuse(rules.can_reject(actor, request))
    step = rules.current_step(request)
    result = approvals.decide(actor=actor, record=request, step_id=step.pk, decision="reject", comment=comment)
    return ResourceRequest.objects.get(pk=result.pk)


def payload(request: ResourceRequest) -> dict:
    project = request.project
    return {"resource_request": {
        "id": request.pk, "status": request.status,
        "project": {"id": project.pk, "number": project.number},
        "people": [{"role": p.role, "days": str(p.days), "user_id": p.user_id,
                    "granted_days": None if p.granted_days is None else str(p.granted_days)}
                   for p in request.people.all()],
        "budget": [{"kind": b.kind, "amount": f"{b.amount:.2f}",
                    "granted_amount": None if b.granted_amount is None else f"{b.granted_amount:.2f}"}
                   for b in request.budget.all()]}}


# --- what the engine calls when a round ends (registered in receivers.py) -----------------------------------

def request_granted(*, actor, subject: ResourceRequest, review, comment: str, changes: dict) -> ResourceRequest:
    request = transition(subject, actor=actor, action="granted", transitions=rules.TRANSITIONS, comment=comment,
                         changes=changes)
    project = request.project
    publish("resource_request.granted", subject=request, data=payload(request),
            notify=[project.owner, request.filed_by],
            text=_("Resources granted: %(n)s") % {"n": project.number}, url=request_url(request))
    return request


def request_refused(*, actor, subject: ResourceRequest, review, comment: str, changes: dict) -> ResourceRequest:
    request = transition(subject, actor=actor, action="refused", transitions=rules.TRANSITIONS, comment=comment,
                         changes=changes)
    project = request.project
    publish("resource_request.refused", subject=request, data=payload(request),
            notify=[project.owner, request.filed_by],
            text=_("Resource request refused: %(n)s — %(c)s") % {"n": project.number, "c": comment},
            url=request_url(request))
    return request


# --- effort logs --------------------------------------------------------------------------------------------

@transaction.atomic
def effort_log(*, actor, project, user_id=None, on=None, days=None, amount=None, kind: str = "",
               note: str = "") -> EffortLog:
    """Log effort (person-days, in half days) and/or cost against the project: by its team or its heads, for a
    date not in the future."""
    refuse(rules.can_log_effort(actor, project))
    errors: dict = {}
    user = _active_user(user_id, "user_id", errors) if user_id not in (None, "") else actor
    day = clean_past_date(on, "on", errors)
    clean_days = parse_days(days, "days", errors, required=False)
    clean_amount = clean_money(amount, "amount", errors, required=False)
    if days in (None, "") and amount in (None, ""):
        errors["days"] = _("Give the days, the amount, or both.")
    if kind not in dict(EFFORT_KINDS):
        errors["kind"] = _("Choose a people role or a budget kind.")
    texts = clean_texts({"note": note}, {"note": LOG_NOTE_LIMIT}, errors)
    if errors:
        raise Invalid(fields=errors)
    log = EffortLog.objects.create(project=project, user=user, on=day, days=clean_days, amount=clean_amount,
                                   kind=kind, note=texts["note"], logged_by=actor)
    timeline.record(project, actor=actor, action="project.effort_logged", comment=texts["note"], changes={
        "effort": [None, " ".join(str(x) for x in (user, day, kind, clean_days, clean_amount) if x is not None)]})
    return log
