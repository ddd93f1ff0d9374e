"""The inbound status API (`POST /api/v1/integrations/project-status`): an outside system (an integration account,
e.g. the project-monitoring system 项目监控系统) reports the delivery of a project handed to it.

Which project: `handoff_id` (a Handoff of this account) or `project_number` (a project handed to this account);
exactly one of the two. Any other project, handed to another account or to nobody, is 404 (not disclosed).

Events: accepted | progress (`percent` 0..100, only here) | milestone_done (`milestone` = the payment milestone's
*position* on the contract, 1 for the first, as the hand-off's `contract.milestones[].position` gives it) |
delivered | customer_accepted | halted; `at` is when it happened (a time without zone is Asia/Shanghai), `note`
free text. Each event is applied through `projects.services.project_delivery_event` (the project's state, its
delivery percent and one timeline row); milestone_done also marks the contract milestone delivered
(`contracts.services.milestone_mark_delivered`, a timeline row on the contract).

Idempotency: `idempotency_key` is unique per account. The same key with the same body answers exactly what the
first request got (status code and body; header `Idempotent-Replayed: true`) and changes nothing; the same key
with another body is 409 naming `idempotency_key`. Refused requests (422, 404, 409) are not kept: they changed
nothing, and sending them again is refused again.

Order (the design choice): every accepted event is kept (InboundEvent) and the project ends in the state its events
give in order of `at`, whatever order they arrive in:
- an event that fits the project's state now is applied (`applied`, 200);
- an event that does not fit yet (a `delivered` before the `accepted` that comes before it, a `progress` before
  delivery started) is kept **pending** (`pending`, 202); after every applied event the project's pending events
  are tried again in order of `at`, so the late `accepted` applies and then the waiting `delivered`;
- an event whose effect the project already has is a `duplicate` (200, no change): its target state is reached
  or passed (a second `accepted`), the milestone is already delivered, or the same event at the same time was
  already applied under another key;
- a `progress` older than a progress already applied is `superseded` (200, no change): applying it would move the
  percent back, which the order of `at` does not give; so is any event that no longer fits because later events
  moved the project on;
- a project that has ended (accepted by the customer, terminated, cancelled, lost, rejected) takes no more events:
  409 `project_ended` (its pending events stay pending, visible to the admin).
Events of one project are applied one at a time (the project row is locked), so two systems reporting at once
cannot interleave.
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.roles import Role
from opsmon.contracts.choices import ContractStatus
from opsmon.contracts.models import Contract, Milestone
from opsmon.contracts.services import milestone_mark_delivered
from opsmon.core.errors import Conflict, Invalid, NotFound, PermissionDenied
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_past_time, clean_texts
from opsmon.projects import rules as project_rules
from opsmon.projects import services as project_services
from opsmon.projects.choices import ProjectStatus
from opsmon.projects.models import Project

from .models import DeliveryEvent, Handoff, InboundEvent, IntegrationAccount, Outcome

S = ProjectStatus
# How far a project has gone in delivery; a lifecycle event whose target is reached or passed is a duplicate.
RANK = {S.WON: 0, S.IMPLEMENTATION: 0, S.IN_DELIVERY: 1, S.DELIVERED: 2, S.ACCEPTED: 3}
TARGET = {DeliveryEvent.ACCEPTED: S.IN_DELIVERY, DeliveryEvent.DELIVERED: S.DELIVERED,
          DeliveryEvent.CUSTOMER_ACCEPTED: S.ACCEPTED}
# An event more than this ahead of the server's clock is refused (a wrong clock or time zone on the sender).
CLOCK_SKEW = timedelta(minutes=10)
KEY_LIMIT, NOTE_LIMIT = 100, 500


@dataclass(frozen=True)
class Answer:
    status: int        # 200 applied / duplicate / superseded, 202 pending
    body: dict
    replayed: bool = False


def account_of(actor) -> IntegrationAccount:
    """The integration account behind the caller; 403 for anyone else (people never report delivery)."""
    account = None
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.has_role(Role.INTEGRATION):
        account = IntegrationAccount.objects.filter(user_id=actor.pk, user__is_active=True).first()
    if account is None:
        raise PermissionDenied(_("Only an outside system's integration account reports project status."))
    return account


def _at(value, errors: dict) -> datetime | None:
    return clean_past_time(value, "at", errors, skew=CLOCK_SKEW)


def _clean(data: dict) -> dict:
    """One 422 naming every bad field; answers the cleaned values."""
    errors: dict = {}
    texts = clean_texts({"idempotency_key": data.get("idempotency_key") or "", "note": data.get("note") or "",
                         "project_number": data.get("project_number") or ""},
                        {"idempotency_key": KEY_LIMIT, "note": NOTE_LIMIT, "project_number": 20}, errors)
    if not texts["idempotency_key"] and "idempotency_key" not in errors:
        errors["idempotency_key"] = _("This field is required.")
    handoff_id, number = data.get("handoff_id"), texts["project_number"]
    if handoff_id in ("", None):
        handoff_id = None
    elif not isinstance(handoff_id, uuid.UUID):
        try:
            handoff_id = uuid.UUID(str(handoff_id))
        except ValueError:
            errors["handoff_id"] = _("Not a valid hand-off id.")
    if (handoff_id is None) == (not number) and "handoff_id" not in errors:
        message = _("Give exactly one of handoff_id and project_number.")
        errors["handoff_id"] = errors["project_number"] = message
    event = data.get("event") or ""
    if event not in DeliveryEvent.values:
        errors["event"] = _("Choose one of: %(events)s.") % {"events": ", ".join(DeliveryEvent.values)}
    at = _at(data.get("at"), errors)
    percent, milestone = data.get("percent"), data.get("milestone")
    if event == DeliveryEvent.PROGRESS:
        if percent is None:
            errors["percent"] = _("A progress report gives the percent (0 to 100).")
        elif isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            errors["percent"] = _("A whole number from 0 to 100.")
    elif percent is not None:
        errors["percent"] = _("Only a progress report gives a percent.")
    if event == DeliveryEvent.MILESTONE_DONE:
        if milestone is None:
            errors["milestone"] = _("Give the milestone's position on the contract (1 for the first).")
        elif isinstance(milestone, bool) or not isinstance(milestone, int) or milestone < 1:
            errors["milestone"] = _("The milestone's position on the contract: a whole number from 1.")
    elif milestone is not None:
        errors["milestone"] = _("Only a milestone_done report names a milestone.")
    if errors:
        raise Invalid(fields=errors)
    return {"handoff_id": handoff_id, "project_number": number, "event": event, "at": at, "percent": percent,
            "milestone": milestone, "note": texts["note"], "idempotency_key": texts["idempotency_key"]}


def _hash(clean: dict) -> str:
    body = {k: (v.isoformat() if isinstance(v, datetime) else str(v) if isinstance(v, uuid.UUID) else v)
            for k, v in clean.items() if k != "idempotency_key"}
    body["at"] = clean["at"].astimezone(UTC).isoformat()
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _replay(account: IntegrationAccount, key: str, body_hash: str) -> Answer | None:
    """The first answer to this key, or None when the key is new; 409 when it came with another body."""
    known = InboundEvent.objects.filter(account=account, idempotency_key=key).first()
    if known is None:
        return None
    if known.body_hash != body_hash:
        raise Conflict(_("This idempotency key was used for another request."), code="idempotency_key_reused",
                       fields={"idempotency_key": _("already used with another body")})
    return Answer(known.answer_status, known.answer, replayed=True)


def _handoff(account: IntegrationAccount, clean: dict) -> Handoff:
    """The account's latest hand-off of the project named; 404 when the project was not handed to it."""
    handoffs = Handoff.objects.filter(account=account).select_related("contract")
    if clean["handoff_id"] is not None:
        handoffs = handoffs.filter(pk=clean["handoff_id"])
    else:
        handoffs = handoffs.filter(project__number=clean["project_number"])
    handoff = handoffs.order_by("-created_at").first()
    if handoff is None:
        raise NotFound(_("No project handed to this account has this hand-off id or number."))
    return handoff


def contract_of(project: Project, handoff: Handoff | None) -> Contract | None:
    """The contract whose milestones the project delivers: the hand-off's, else the project's signed one."""
    if handoff is not None and handoff.contract_id:
        return handoff.contract
    return (Contract.objects.filter(project=project, status__in=(ContractStatus.SIGNED, ContractStatus.ARCHIVED))
            .order_by("-signed_on", "-pk").first())


def _milestone(project: Project, handoff: Handoff, position: int) -> Milestone:
    contract = contract_of(project, handoff)
    milestone = contract and contract.milestones.filter(position=position).first()
    if milestone is None:
        raise Invalid(fields={"milestone": _("The project's contract has no milestone at this position.")
                              if contract else _("The project has no signed contract.")})
    return milestone


def _later_applied(kept: InboundEvent, **filters) -> bool:
    return InboundEvent.objects.filter(project_id=kept.project_id, outcome=Outcome.APPLIED, at__gt=kept.at,
                                       **filters).exists()


def _already(event: InboundEvent, project: Project) -> str | None:
    """`duplicate` / `superseded` when the event has nothing left to do on the project, else None."""
    target = TARGET.get(event.event)
    if target is not None and RANK.get(project.status, -1) >= RANK[target]:
        return Outcome.DUPLICATE
    if event.event == DeliveryEvent.MILESTONE_DONE and event.milestone.delivered_on is not None:
        return Outcome.DUPLICATE
    if InboundEvent.objects.filter(project_id=event.project_id, outcome=Outcome.APPLIED, event=event.event,
                                   at=event.at, percent=event.percent, milestone_id=event.milestone_id).exists():
        return Outcome.DUPLICATE
    if event.event == DeliveryEvent.PROGRESS and _later_applied(event, event=DeliveryEvent.PROGRESS):
        return Outcome.SUPERSEDED
    return None


def _try(event: InboundEvent, project: Project, account: IntegrationAccount) -> str:
    """Apply one kept event if it fits now: its outcome."""
    done = _already(event, project)
    if done:
        return done
    if isinstance(project_rules.can_report_delivery(account.user, project, event=event.event), Conflict):
        return Outcome.SUPERSEDED if _later_applied(event) else Outcome.PENDING
    try:
        with transaction.atomic():
            if event.event == DeliveryEvent.MILESTONE_DONE:
                milestone_mark_delivered(actor=account.user, contract=event.milestone.contract,
                                         milestone=event.milestone, on=timezone.localdate(event.at))
            project_services.project_delivery_event(
                actor=account.user, project=project, event=event.event, at=event.at, percent=event.percent,
                note=event.note, source=account.display_name)
    except Conflict:  # the rules moved on since they were asked (they are the services' to decide)
        return Outcome.SUPERSEDED if _later_applied(event) else Outcome.PENDING
    return Outcome.APPLIED


def _settle(event: InboundEvent, outcome: str) -> None:
    event.outcome = outcome
    event.applied_at = timezone.now() if outcome == Outcome.APPLIED else None
    InboundEvent.objects.filter(pk=event.pk).update(outcome=outcome, applied_at=event.applied_at)


def _drain(project: Project, account: IntegrationAccount) -> None:
    """Apply the project's pending events that fit now, in order of `at`, until none does."""
    progressed = True
    while progressed:
        progressed = False
        pending = (InboundEvent.objects.filter(project=project, outcome=Outcome.PENDING)
                   .select_related("account__user", "milestone__contract").order_by("at", "pk"))
        for event in pending:
            project.refresh_from_db()
            if project.status in project_rules.ENDED:
                return
            outcome = _try(event, project, event.account)
            if outcome != Outcome.PENDING:
                _settle(event, outcome)
                progressed = progressed or outcome == Outcome.APPLIED


def answer_body(project: Project, event: InboundEvent, handoff: Handoff) -> dict:
    return {"project_number": project.number, "status": project.status, "delivery_percent": project.delivery_percent,
            "outcome": event.outcome, "event": event.event, "at": event.at.isoformat(), "handoff_id": str(handoff.pk),
            "event_id": event.pk}


@transaction.atomic
def project_status_receive(*, actor, handoff_id=None, project_number: str | None = None, event: str = "",
                           at=None, percent: int | None = None, milestone: int | None = None, note: str = "",
                           idempotency_key: str = "") -> Answer:
    """Keep and apply one status event of an outside system (see the module's docstring)."""
    account = account_of(actor)
    clean = _clean({"handoff_id": handoff_id, "project_number": project_number, "event": event, "at": at,
                    "percent": percent, "milestone": milestone, "note": note, "idempotency_key": idempotency_key})
    body_hash = _hash(clean)
    replay = _replay(account, clean["idempotency_key"], body_hash)
    if replay is not None:
        return replay
    handoff = _handoff(account, clean)
    project = Project.objects.select_for_update().get(pk=handoff.project_id)
    replay = _replay(account, clean["idempotency_key"], body_hash)  # a twin request may have won the lock
    if replay is not None:
        return replay
    if project.status in project_rules.ENDED:
        refuse(project_rules.can_report_delivery(account.user, project, event=clean["event"]))
    kept_milestone = _milestone(project, handoff, clean["milestone"]) if clean["milestone"] else None
    try:
        with transaction.atomic():
            kept = InboundEvent.objects.create(
                account=account, idempotency_key=clean["idempotency_key"], body_hash=body_hash, project=project,
                handoff=handoff, event=clean["event"], at=clean["at"], percent=clean["percent"],
                milestone=kept_milestone, note=clean["note"], outcome=Outcome.PENDING, answer_status=202)
    except IntegrityError:  # the same key in a request for another project, at the same moment
        raise Conflict(_("This idempotency key was used for another request."), code="idempotency_key_reused",
                       fields={"idempotency_key": _("already used with another body")}) from None
    outcome = _try(kept, project, account)
    _settle(kept, outcome)
    if outcome == Outcome.APPLIED:
        _drain(project, account)
    project.refresh_from_db()
    body = answer_body(project, kept, handoff)
    status = 202 if outcome == Outcome.PENDING else 200
    InboundEvent.objects.filter(pk=kept.pk).update(answer_status=status, answer=body)
    return Answer(status, body)

