"""Commands on projects: lead assignment, feasibility review, approval, routing and cancellation."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.core import timeline
from opsmon.core.errors import Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, transition

from . import hooks, rules
from .choices import Conclusion, ReviewStatus, Route
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
    notify(_heads(project), text=_("%(number)s was converted: assign a technical lead.") % {"number": project.number},
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
    notify([tech_lead], text=_("You are the technical lead of %(number)s: write the feasibility review.")
           % {"number": project.number}, url=_url(project), kind="project.assign_lead")
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
    notify(_heads(project), text=_("The feasibility review of %(number)s waits for your approval.")
           % {"number": project.number}, url=_url(project), kind="project.submit_feasibility")
    return project


@transaction.atomic
def project_approve(*, actor, project: Project, comment: str = "") -> Project:
    refuse(rules.can_approve(actor, project))
    comment = clean_comment(comment, required=False)
    project = _transition(actor=actor, project=project, action="approve", comment=comment)
    publish("project.approved", subject=project, data=project_payload(project))
    notify([project.owner], text=_("%(number)s was approved: route it.") % {"number": project.number},
           url=_url(project), kind="project.approve")
    return project


@transaction.atomic
def project_send_back(*, actor, project: Project, comment: str) -> Project:
    """Back to the lead with the head's comment; the review becomes editable again."""
    refuse(rules.can_send_back(actor, project))
    comment = clean_comment(comment, required=True)
    project = _transition(actor=actor, project=project, action="send_back", comment=comment)
    FeasibilityReview.objects.filter(project=project).update(status=ReviewStatus.DRAFT)
    notify([project.tech_lead], text=_("The review of %(number)s was sent back: %(comment)s")
           % {"number": project.number, "comment": comment}, url=_url(project), kind="project.send_back")
    return project


@transaction.atomic
def project_reject(*, actor, project: Project, comment: str) -> Project:
    refuse(rules.can_reject(actor, project))
    project = _transition(actor=actor, project=project, action="reject", comment=clean_comment(comment, required=True))
    notify([project.owner], text=_("%(number)s was rejected.") % {"number": project.number}, url=_url(project),
           kind="project.reject")
    return project


@transaction.atomic
def project_cancel(*, actor, project: Project, reason: str) -> Project:
    """The owner or the head cancels from any non-final state, with a reason."""
    refuse(rules.can_cancel(actor, project))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return _transition(actor=actor, project=project, action="cancel", comment=reason, extra={"cancel_reason": reason})


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
        result["handoff_id"] = str(event_id)
    return result

