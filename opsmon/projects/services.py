"""Commands on projects: lead assignment, feasibility review, approval, routing and cancellation; how the project
ends (its bid lost or abandoned, its contract signed or terminated, delivery reported by the outside system)."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.core import timeline
from opsmon.core.errors import Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.numbering import next_number
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_texts, transition
from opsmon.opportunities import services as opportunity_services
from opsmon.opportunities.rules import can_lose as opportunity_can_lose
from opsmon.opportunities.rules import can_win as opportunity_can_win

from . import events, hooks, rules
from .choices import Conclusion, ProjectStatus, ReviewStatus, Route
from .models import FeasibilityReview, Project
from .rules import TRANSITIONS

REVIEW_TEXT = ("technical_assessment", "implementation_assessment", "risks")
TEXT_LIMIT = 10000


class _Unchanged:
    """The default of a review field the caller does not pass: it keeps its saved value."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


def project_create_from_opportunity(*, actor, opportunity) -> Project:
    """The project a conversion starts: the opportunity's customer, amount and team, awaiting a technical lead."""
    project = Project.objects.create(
        number=next_number("LX"), opportunity=opportunity, title=opportunity.title, customer=opportunity.customer,
        estimated_amount=opportunity.estimated_amount, currency=opportunity.currency, owner=opportunity.owner,
        department=opportunity.department,
    )
    project.members.set(opportunity.members.all())
    timeline.record(project, actor=actor, action="project.created", to_status=project.status,
                    comment=opportunity.number)
    publish("opportunity.converted", subject=opportunity, data={
        "opportunity": {"id": opportunity.pk, "number": opportunity.number, "title": opportunity.title},
        "project": {"id": project.pk, "number": project.number},
    })
    notify(_heads(project), text=phrase(gettext_noop("%(number)s was converted: assign a technical lead."),
                                        number=project.number),
           url=_url(project), kind="project.created")
    return project


def _url(project: Project) -> str:
    return f"/projects/{project.pk}/"


def _heads(project: Project):
    """Department heads over the project's department (they decide)."""
    return [u for u in User.objects.filter(groups__name="dept_head", is_active=True).select_related("department")
            if u.department and u.department.contains(project.department)]


def _transition(*, actor, project: Project, action: str, comment: str = "", extra: dict | None = None) -> Project:
    return transition(project, actor=actor, action=action, transitions=TRANSITIONS, comment=comment, extra=extra)


@transaction.atomic
def project_update(*, actor, project: Project, version: int, title: str | None = None) -> Project:
    """Rename a project that is not final (owner or head), with a version compare-and-set."""
    refuse(rules.can_edit(actor, project))
    if title is not None:
        title = title.strip()
        if not title or len(title) > 200:
            raise Invalid(fields={"title": _("1 to 200 characters.")})
        updated = Project.objects.filter(pk=project.pk, version=version).update(
            title=title, version=F("version") + 1, updated_at=timezone.now())
        if not updated:
            raise StaleVersion()
        timeline.record(project, actor=actor, action="project.updated", changes={"title": [project.title, title]})
        project.refresh_from_db()
    return project


@transaction.atomic
def project_assign_lead(*, actor, project: Project, tech_lead: User | None) -> Project:
    """The department head picks the technical lead (again, while the review is not yet submitted)."""
    refuse(rules.can_assign_lead(actor, project))
    if tech_lead is None or not tech_lead.is_active or not tech_lead.has_role("tech_lead"):
        raise Invalid(_("Choose an active user with the technical lead role."),
                      fields={"tech_lead_id": _("not a technical lead")})
    project = _transition(actor=actor, project=project, action="assign_lead", extra={"tech_lead": tech_lead},
                          comment=str(tech_lead))
    text = phrase(gettext_noop("You are the technical lead of %(number)s: write the feasibility review."),
                  number=project.number)
    notify([tech_lead], text=text, url=_url(project), kind="project.assign_lead")
    return project


def _clean_review(data: dict) -> dict:
    errors, clean = {}, {}
    for field in REVIEW_TEXT:
        if field in data and data[field] is not None:
            value = str(data[field]).strip()
            if len(value) > TEXT_LIMIT:
                errors[field] = _("At most %(n)s characters.") % {"n": TEXT_LIMIT}
            clean[field] = value
    if data.get("estimated_effort_days") not in (None, ""):
        try:
            effort = Decimal(str(data["estimated_effort_days"]))
            if not effort.is_finite() or effort < 0 or effort > 100000:
                raise InvalidOperation
            clean["estimated_effort_days"] = effort.quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            errors["estimated_effort_days"] = _("Person-days between 0 and 100000.")
    elif "estimated_effort_days" in data:
        clean["estimated_effort_days"] = None
    if data.get("conclusion") not in (None, ""):
        if data["conclusion"] not in Conclusion.values:
            errors["conclusion"] = _("Choose feasible, conditional or infeasible.")
        else:
            clean["conclusion"] = data["conclusion"]
    elif "conclusion" in data:
        clean["conclusion"] = ""
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def feasibility_save(*, actor, project: Project, technical_assessment: str | None = None,
                     implementation_assessment: str | None = None, risks: str | None = None,
                     estimated_effort_days: Decimal | str | float | None | _Unchanged = UNCHANGED,
                     conclusion: str | None | _Unchanged = UNCHANGED) -> FeasibilityReview:
    """The assigned lead saves his draft; read-only once submitted, until a head sends it back. A text left None
    and a field not passed keep their saved value; an empty effort or conclusion clears it."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    refuse(rules.can_save_feasibility(actor, project))
    given = {"technical_assessment": technical_assessment, "implementation_assessment": implementation_assessment,
             "risks": risks, "estimated_effort_days": estimated_effort_days, "conclusion": conclusion}
    clean = _clean_review({k: v for k, v in given.items() if v is not UNCHANGED})
    review, _created = FeasibilityReview.objects.get_or_create(project=project, defaults={"author": actor})
    before = {f: getattr(review, f) for f in clean}
    for field, value in clean.items():
        setattr(review, field, value)
    review.author = actor
    review.save()
    timeline.record(project, actor=actor, action="project.feasibility_saved",
                    changes={k: v for k, v in timeline.diff(before, clean).items() if k not in REVIEW_TEXT})
    return review


@transaction.atomic
def project_submit_feasibility(*, actor, project: Project) -> Project:
    """The lead submits a complete review; the heads are asked to decide."""
    refuse(rules.can_submit_feasibility(actor, project))
    review = FeasibilityReview.objects.filter(project=project).first()
    missing = {}
    for field in (*REVIEW_TEXT, "estimated_effort_days", "conclusion"):
        if review is None or getattr(review, field) in (None, ""):
            missing[field] = _("This field is required.")
    if missing:
        raise Invalid(_("The review is incomplete."), code="incomplete_review", fields=missing)
    project = _transition(actor=actor, project=project, action="submit_feasibility",
                          comment=review.get_conclusion_display())
    FeasibilityReview.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED, submitted_at=timezone.now())
    notify(_heads(project), text=phrase(gettext_noop("The feasibility review of %(number)s waits for your approval."),
                                        number=project.number), url=_url(project), kind="project.submit_feasibility")
    return project


@transaction.atomic
def project_approve(*, actor, project: Project, comment: str = "") -> Project:
    refuse(rules.can_approve(actor, project))
    comment = clean_comment(comment, required=False)
    project = _transition(actor=actor, project=project, action="approve", comment=comment)
    publish("project.approved", subject=project, data=project_payload(project))
    notify([project.owner], text=phrase(gettext_noop("%(number)s was approved: route it."), number=project.number),
           url=_url(project), kind="project.approve")
    return project


@transaction.atomic
def project_send_back(*, actor, project: Project, comment: str) -> Project:
    """Back to the lead with the head's comment; the review becomes editable again."""
    refuse(rules.can_send_back(actor, project))
    comment = clean_comment(comment, required=True)
    project = _transition(actor=actor, project=project, action="send_back", comment=comment)
    FeasibilityReview.objects.filter(project=project).update(status=ReviewStatus.DRAFT)
    text = phrase(gettext_noop("The review of %(number)s was sent back: %(comment)s"), number=project.number,
                  comment=comment)
    notify([project.tech_lead], text=text, url=_url(project), kind="project.send_back")
    return project


@transaction.atomic
def project_reject(*, actor, project: Project, comment: str) -> Project:
    """The head rejects the project: the sale is over, its opportunity closed with outcome lost."""
    refuse(rules.can_reject(actor, project))
    project = _transition(actor=actor, project=project, action="reject", comment=clean_comment(comment, required=True))
    _opportunity_lost(actor=actor, project=project, reason=OPPORTUNITY_REASON_ABANDONED, cause=project.number)
    publish(events.REJECTED, subject=project, data=project_payload(project))
    notify([project.owner], text=phrase(gettext_noop("%(number)s was rejected."),
                                        number=project.number), url=_url(project),
           kind="project.reject")
    return project


@transaction.atomic
def project_cancel(*, actor, project: Project, reason: str) -> Project:
    """The owner or the head cancels from any non-final state, with a reason; its opportunity is closed with
    outcome lost."""
    refuse(rules.can_cancel(actor, project))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    project = _transition(actor=actor, project=project, action="cancel", comment=reason,
                          extra={"cancel_reason": reason})
    _opportunity_lost(actor=actor, project=project, reason=OPPORTUNITY_REASON_ABANDONED, cause=project.number)
    publish(events.CANCELLED, subject=project, data={**project_payload(project), "reason": reason})
    return project


def project_payload(project: Project) -> dict:
    """What outside systems get about a project (webhook `data`)."""
    review = getattr(project, "review", None)
    return {
        "project": {"id": project.pk, "number": project.number, "title": project.title, "status": project.status,
                    "estimated_amount": f"{project.estimated_amount:.2f}", "currency": project.currency},
        "customer": {"id": project.customer_id, "name": project.customer.name},
        "opportunity": {"id": project.opportunity_id, "number": project.opportunity.number},
        "owner": {"username": project.owner.username, "display_name": str(project.owner)},
        "tech_lead": {"username": project.tech_lead.username, "display_name": str(project.tech_lead)}
        if project.tech_lead_id else None,
        "feasibility": {"conclusion": review.conclusion, "estimated_effort_days": str(review.estimated_effort_days)}
        if review else None,
    }


@transaction.atomic
def project_route(*, actor, project: Project, to: str) -> dict:
    """Route an approved project once: hand-off to implementation, a Bid, or a Contract draft."""
    refuse(rules.can_route(actor, project, to=to))
    project = _transition(actor=actor, project=project, action=rules.route_action(to), extra={"routed_to": to})
    result = {}
    if to == Route.BIDDING:
        result["bid_id"] = hooks.create_bid.one(actor=actor, project=project).pk
    elif to == Route.CONTRACT_REVIEW:
        result["contract_id"] = hooks.create_contract.one(actor=actor, project=project).pk
    event_id = publish("project.routed", subject=project, data={**project_payload(project), "to": to})
    if to == Route.IMPLEMENTATION:
        handoff = _hand_off(actor=actor, project=project, contract=None)
        result["handoff_id"] = str(handoff) if handoff else str(event_id)
    return result


def _hand_off(*, actor, project: Project, contract) -> str | None:
    """The hand-off to implementation (projects.hooks.hand_off): the first answer, or None when nobody listens."""
    return next((answer for answer in hooks.hand_off(actor=actor, project=project, contract=contract)
                 if answer), None)


# --- how the project ends (DOMAIN.md "Lifecycle: outcomes flow back") ------------------------------------------

# The opportunity's close reason (code table close_reason) when its sale ends with the project.
OPPORTUNITY_REASON_LOST_BID = "lost_bid"
OPPORTUNITY_REASON_ABANDONED = "abandoned"


def _opportunity_lost(*, actor, project: Project, reason: str, cause: str) -> None:
    """The project's opportunity closes with outcome lost, in the same transaction, when it still can."""
    if opportunity_can_lose(actor, project.opportunity) is None:
        opportunity_services.opportunity_lose(actor=actor, opportunity=project.opportunity, reason=reason,
                                              cause=cause)


def _fresh(project: Project) -> Project:
    return Project.objects.select_related("opportunity", "customer", "owner", "tech_lead", "department").get(
        pk=project.pk)


def _lost_payload(project: Project, cause: str) -> dict:
    return {**project_payload(project), "close_reason": project.close_reason, "cause": cause}


@transaction.atomic
def project_retender(*, actor, project: Project):
    """After an abandoned bid the owner (or his head) bids again on the same project: a new bid (projects.hooks.
    create_bid); the project stays bidding. Answers the new bid."""
    refuse(rules.can_retender(actor, project))
    if not Project.objects.filter(pk=project.pk, version=project.version, status=ProjectStatus.BIDDING).update(
            version=F("version") + 1, updated_at=timezone.now()):
        raise StaleVersion()
    previous = rules.latest_bid(project)
    bid = hooks.create_bid.one(actor=actor, project=project)
    timeline.record(project, actor=actor, action=events.RETENDER, from_status=project.status,
                    to_status=project.status, comment=bid.number,
                    changes={"bid": [previous.number if previous else None, bid.number]})
    project.refresh_from_db()
    publish(events.RETENDERED, subject=project, data={**project_payload(project),
                                                       "bid": {"id": bid.pk, "number": bid.number}})
    return bid


@transaction.atomic
def project_close(*, actor, project: Project, reason: str) -> Project:
    """After an abandoned bid the owner (or his head) gives up: the project is lost with `reason`, its opportunity
    closed with outcome lost. Both are read-only from then on."""
    refuse(rules.can_close(actor, project))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    project = _transition(actor=actor, project=project, action="close", comment=reason,
                          extra={"close_reason": reason})
    _opportunity_lost(actor=actor, project=project, reason=OPPORTUNITY_REASON_ABANDONED, cause=project.number)
    publish(events.LOST, subject=project, data=_lost_payload(project, project.number))
    return project


@transaction.atomic
def project_on_bid_lost(*, actor, project: Project, bid) -> Project:
    """The project's bid was marked lost (bids call this in that transaction): the project is lost (close reason
    naming the bid) and its opportunity closed (reason lost_bid, outcome lost). A project that is not bidding, or
    that has another live bid, stays as it is."""
    project = _fresh(project)
    if not rules.reacts(project, "bid_lost") or any(not other.voided for other in project.bids.exclude(pk=bid.pk)):
        return project
    project = transition(project, actor=actor, action="bid_lost", transitions=rules.OUTCOME_TRANSITIONS,
                         comment=bid.number,
                         extra={"close_reason": _("Bid %(number)s was lost.") % {"number": bid.number}})
    _opportunity_lost(actor=actor, project=project, reason=OPPORTUNITY_REASON_LOST_BID, cause=bid.number)
    publish(events.LOST, subject=project, data=_lost_payload(project, bid.number),
            notify=[project.owner], text=phrase(gettext_noop("%(number)s is lost: bid %(bid)s was lost."),
                                                number=project.number, bid=bid.number), url=_url(project))
    return project


@transaction.atomic
def project_on_contract_signed(*, actor, project: Project, contract) -> str | None:
    """Its contract was signed (contracts call this in that transaction): the project is won, its opportunity's
    outcome won (its status history kept), and the project is handed to implementation (projects.hooks.hand_off).
    Answers the hand-off's id, or None when no module listens."""
    project = _fresh(project)
    if rules.reacts(project, "win"):
        project = transition(project, actor=actor, action="win", transitions=rules.OUTCOME_TRANSITIONS,
                             comment=contract.number)
        publish(events.WON, subject=project, data={**project_payload(project),
                                                   "contract": {"id": contract.pk, "number": contract.number}})
    if opportunity_can_win(actor, project.opportunity) is None:
        opportunity_services.opportunity_win(actor=actor, opportunity=project.opportunity, cause=contract.number)
    return _hand_off(actor=actor, project=project, contract=contract)


@transaction.atomic
def project_on_contract_terminated(*, actor, project: Project, contract, reason: str = "") -> Project:
    """Its contract was terminated (contracts call this in that transaction): a won or delivering project is
    terminated; one in another state stays as it is."""
    project = _fresh(project)
    if not rules.reacts(project, "terminate"):
        return project
    project = transition(project, actor=actor, action="terminate", transitions=rules.OUTCOME_TRANSITIONS,
                         comment=f"{contract.number}: {reason}" if reason else contract.number)
    publish(events.TERMINATED, subject=project, data={
        **project_payload(project), "contract": {"id": contract.pk, "number": contract.number}, "reason": reason})
    return project


DELIVERY_TEXT = {"note": 2000, "source": 100}


@transaction.atomic
def project_delivery_event(*, actor, project: Project, event: str, at: datetime, percent: int | None = None,
                           note: str = "", source: str = "") -> Project:
    """What the outside project-monitoring system reports (its machine account, role integration): `accepted`
    (won or implementation → in_delivery), `progress` (the delivery percent, 0..100, in delivery), `delivered`
    (→ delivered), `customer_accepted` (→ accepted: the project's end), `halted` and `milestone_done` (a timeline
    row). An ended project or a report that does not fit the state is 409. One timeline row (the note as comment,
    the source and time in its changes) and the event's webhook."""
    project = _fresh(project)
    refuse(rules.can_report_delivery(actor, project, event=event))
    errors: dict = {}
    texts = clean_texts({"note": note or "", "source": source or ""}, DELIVERY_TEXT, errors)
    if not isinstance(at, datetime):
        errors["at"] = _("A date and time is required.")
    elif timezone.is_naive(at):
        at = timezone.make_aware(at)
    if event == "progress":
        if percent is None or isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
            errors["percent"] = _("A whole percentage from 0 to 100.")
    elif percent is not None:
        errors["percent"] = _("Only a progress report carries a percentage.")
    if errors:
        raise Invalid(fields=errors)
    changes = {"source": [None, texts["source"]], "at": [None, at.isoformat()]}
    sources, target = rules.DELIVERY_EVENTS[event]
    if target is not None:
        extra = {"delivery_percent": 100} if target == ProjectStatus.DELIVERED else {}
        project = transition(project, actor=actor, action=f"delivery_{event}", transitions=rules.DELIVERY_TRANSITIONS,
                             comment=texts["note"], extra=extra, changes=changes)
    else:
        if event == "progress":
            if not Project.objects.filter(pk=project.pk, version=project.version, status__in=sources).update(
                    delivery_percent=percent, version=F("version") + 1, updated_at=timezone.now()):
                raise StaleVersion()
            changes["delivery_percent"] = [project.delivery_percent, percent]
            project.refresh_from_db()
        timeline.record(project, actor=actor, action=f"project.delivery_{event}", from_status=project.status,
                        to_status=project.status, comment=texts["note"], changes=changes)
    publish(events.DELIVERY_WEBHOOKS[event], subject=project, data={
        **project_payload(project), "event": event, "at": at.isoformat(), "percent": percent,
        "delivery_percent": project.delivery_percent, "note": texts["note"], "source": texts["source"]})
    return project

