"""Commands on opportunities: create, edit, follow up, and the conversion decision (DOMAIN.md)."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.codes.selectors import require_active
from opsmon.core import timeline
from opsmon.core.changes import changing
from opsmon.core.errors import Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.money import parse_amount
from opsmon.core.numbering import next_number
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_date, clean_past_date, clean_texts, transition
from opsmon.customers.models import Customer

from . import events, hooks, rules
from .choices import EDITABLE, Outcome
from .models import FollowUp, Opportunity

CODE_FIELDS = {"source": "opportunity_source", "industry": "industry", "region": "region",
               "stage": "opportunity_stage", "currency": "currency"}
TEXT_LIMITS = {"title": 200, "description": 5000}
# An argument of opportunity_update left out: "not given", so the field keeps its value (None is a value: "empty").
UNSET = object()


def clean_fields(data: dict, *, partial: bool, created_on: date | None = None) -> dict:
    """Validate opportunity fields; every problem is collected and raised once as a 422."""
    errors = {}
    clean = clean_texts(data, TEXT_LIMITS, errors)
    if (not partial or "title" in data) and not clean.get("title"):
        errors["title"] = _("This field is required.")
    if not partial or "customer_id" in data:
        customer = Customer.objects.filter(pk=data.get("customer_id")).first() if data.get("customer_id") else None
        if customer is None:
            errors["customer_id"] = _("Choose an existing customer.")
        clean["customer"] = customer
    if not partial or "estimated_amount" in data:
        try:
            clean["estimated_amount"] = parse_amount(data.get("estimated_amount"))
        except ValueError as exc:
            errors["estimated_amount"] = str(exc)
    if not partial or "expected_close_date" in data:
        close = clean_date(data.get("expected_close_date"), "expected_close_date", errors)
        if close is None and "expected_close_date" not in errors:
            errors["expected_close_date"] = _("This field is required.")
        elif close and close < (created_on or timezone.localdate()):
            errors["expected_close_date"] = _("The expected close date cannot be before the opportunity was created.")
        clean["expected_close_date"] = close
    for field, table in CODE_FIELDS.items():
        if field in data and data[field] not in (None, ""):
            try:
                item = require_active(table=table, code=str(data[field]).strip(), field=field)
            except Invalid as exc:
                errors.update(exc.fields)
            else:
                clean[field] = item.code
                if field == "stage":
                    clean["probability"] = item.probability or 0
        elif field in data and field in ("stage", "currency"):
            errors[field] = _("This field is required.")
        elif field in data:
            clean[field] = ""
    if "member_ids" in data and data["member_ids"] is not None:
        ids = {int(i) for i in data["member_ids"] if str(i).isdigit()}
        members = list(User.objects.filter(pk__in=ids, is_active=True))
        if len(members) != len(set(data["member_ids"])):
            errors["member_ids"] = _("Unknown or inactive user in the team.")
        clean["members"] = members
    if errors:
        raise Invalid(fields=errors)
    return clean


def _default_stage() -> tuple[str, int]:
    item = require_active(table="opportunity_stage", code="discovery", field="stage")
    return item.code, item.probability or 0


@transaction.atomic
def opportunity_create(*, actor, title: str, customer_id: int, estimated_amount, expected_close_date,
                       currency: str = "CNY", source: str = "", industry: str = "", region: str = "", stage: str = "",
                       description: str = "", member_ids: list[int] | None = None) -> Opportunity:
    """A new opportunity owned by `actor` in his department, numbered SJ-YYYY-NNNNNN. An empty stage is the first
    one, an empty currency CNY."""
    refuse(rules.can_create(actor))
    if actor.department_id is None:
        raise Invalid(_("You belong to no department; ask the administrator."), fields={"owner": _("no department")})
    data = {"title": title, "customer_id": customer_id, "estimated_amount": estimated_amount,
            "expected_close_date": expected_close_date, "currency": currency or "CNY", "source": source,
            "industry": industry, "region": region, "description": description, "member_ids": member_ids}
    if stage:
        data["stage"] = stage
    clean = clean_fields(data, partial=False)
    if "stage" not in clean:
        clean["stage"], clean["probability"] = _default_stage()
    members = clean.pop("members", [])
    opportunity = Opportunity.objects.create(number=next_number("SJ"), owner=actor, department=actor.department,
                                             **clean)
    opportunity.members.set([m for m in members if m.pk != actor.pk])
    timeline.record(opportunity, actor=actor, action=events.CREATED, to_status=opportunity.status)
    return opportunity


def _snapshot(opportunity: Opportunity, fields) -> dict:
    out = {}
    for field in fields:
        if field == "members":
            out[field] = ",".join(sorted(str(m.pk) for m in opportunity.members.all()))
        elif field == "customer":
            out[field] = opportunity.customer_id
        else:
            out[field] = getattr(opportunity, field)
    return out


@transaction.atomic
def opportunity_update(*, actor, opportunity: Opportunity, version: int, title=UNSET, customer_id=UNSET,
                       source=UNSET, industry=UNSET, region=UNSET, stage=UNSET, estimated_amount=UNSET,
                       currency=UNSET, expected_close_date=UNSET, description=UNSET, member_ids=UNSET) -> Opportunity:
    """Edit the fields given (owner, team member or department head); a stale `version` is 409, a converted or
    closed one read-only. Moving the card on the board is an edit of the stage."""
    refuse(rules.can_edit(actor, opportunity))
    given = {"title": title, "customer_id": customer_id, "source": source, "industry": industry, "region": region,
             "stage": stage, "estimated_amount": estimated_amount, "currency": currency,
             "expected_close_date": expected_close_date, "description": description, "member_ids": member_ids}
    data = {k: v for k, v in given.items() if v is not UNSET}
    if member_ids is not UNSET:
        refuse(rules.can_change_team(actor, opportunity))
    clean = clean_fields(data, partial=True, created_on=timezone.localdate(opportunity.created_at))
    members = clean.pop("members", None)
    before = _snapshot(opportunity, [*clean, *(["members"] if members is not None else [])])
    values = {("customer_id" if k == "customer" else k): (v.pk if k == "customer" else v) for k, v in clean.items()}
    with changing(Opportunity, [opportunity.pk]):
        updated = Opportunity.objects.filter(pk=opportunity.pk, version=version, status__in=EDITABLE).update(
            **values, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleVersion()
    opportunity.refresh_from_db()
    if members is not None:
        opportunity.members.set([m for m in members if m.pk != opportunity.owner_id])
    after = _snapshot(opportunity, before)
    changes = timeline.diff(before, after)
    only_stage = "stage" in changes and set(changes) <= {"stage", "probability"}
    timeline.record(opportunity, actor=actor, action=events.STAGE_CHANGED if only_stage else events.UPDATED,
                    changes=changes)
    return opportunity


def _transition(*, actor, opportunity: Opportunity, action: str, comment: str = "", extra: dict | None = None):
    return transition(opportunity, actor=actor, action=action, transitions=rules.TRANSITIONS, comment=comment,
                      extra=extra)


@transaction.atomic
def opportunity_request_conversion(*, actor, opportunity: Opportunity, comment: str) -> Opportunity:
    """The owner or a team member asks his department head to convert (转立项)."""
    refuse(rules.can_request_conversion(actor, opportunity))
    comment = clean_comment(comment, required=True)
    return _transition(actor=actor, opportunity=opportunity, action="request_conversion", comment=comment)


@transaction.atomic
def opportunity_keep_tracking(*, actor, opportunity: Opportunity, comment: str) -> Opportunity:
    """The department head declines the request for now; the comment says why."""
    refuse(rules.can_keep_tracking(actor, opportunity))
    comment = clean_comment(comment, required=True)
    opportunity = _transition(actor=actor, opportunity=opportunity, action="keep_tracking", comment=comment)
    _tell_team(actor, opportunity, phrase(gettext_noop("%(number)s stays in tracking: %(comment)s"),
                                          number=opportunity.number, comment=comment), events.KEEP_TRACKING)
    return opportunity


@transaction.atomic
def opportunity_close(*, actor, opportunity: Opportunity, reason: str, comment: str = "") -> Opportunity:
    """The department head closes it with a reason from the close_reason table."""
    refuse(rules.can_close(actor, opportunity))
    reason = require_active(table="close_reason", code=(reason or "").strip(), field="reason")
    comment = clean_comment(comment, required=False)
    opportunity = _transition(actor=actor, opportunity=opportunity, action="close", comment=comment,
                              extra={"close_reason": reason.code})
    _tell_team(actor, opportunity, phrase(gettext_noop("%(number)s was closed: %(reason)s"),
                                          number=opportunity.number, reason=reason.label), events.CLOSE)
    return opportunity


@transaction.atomic
def opportunity_reopen(*, actor, opportunity: Opportunity, comment: str = "") -> Opportunity:
    """The department head puts a closed opportunity back into tracking."""
    refuse(rules.can_reopen(actor, opportunity))
    comment = clean_comment(comment, required=False)
    return _transition(actor=actor, opportunity=opportunity, action="reopen", comment=comment,
                       extra={"close_reason": ""})


def _outcome_payload(opportunity: Opportunity, cause: str) -> dict:
    return {"opportunity": {"id": opportunity.pk, "number": opportunity.number, "title": opportunity.title,
                            "status": opportunity.status, "outcome": opportunity.outcome,
                            "close_reason": opportunity.close_reason},
            "cause": cause}


@transaction.atomic
def opportunity_lose(*, actor, opportunity: Opportunity, reason: str, cause: str) -> Opportunity:
    """The sale is lost (DOMAIN.md "Lifecycle"): its bid lost (`reason` lost_bid), its project closed, rejected or
    cancelled (abandoned). Closed with outcome lost and read-only from now on; `cause` (the bid's or project's
    number) is the timeline comment. Called inside the causing action's transaction."""
    opportunity = Opportunity.objects.select_related("department").get(pk=opportunity.pk)
    refuse(rules.can_lose(actor, opportunity))
    reason = require_active(table="close_reason", code=reason, field="reason").code
    opportunity = transition(opportunity, actor=actor, action="lose", transitions=rules.OUTCOME_TRANSITIONS,
                             comment=cause, extra={"close_reason": reason, "outcome": Outcome.LOST})
    publish(events.LOST, subject=opportunity, data=_outcome_payload(opportunity, cause))
    return opportunity


@transaction.atomic
def opportunity_win(*, actor, opportunity: Opportunity, cause: str) -> Opportunity:
    """The sale is won (a contract signed; `cause` is its number): outcome won, the status history kept (a
    converted opportunity stays converted)."""
    opportunity = Opportunity.objects.get(pk=opportunity.pk)
    refuse(rules.can_win(actor, opportunity))
    with changing(Opportunity, [opportunity.pk]):
        updated = Opportunity.objects.filter(pk=opportunity.pk, version=opportunity.version, outcome="").update(
            outcome=Outcome.WON, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleVersion()
    opportunity.refresh_from_db()
    timeline.record(opportunity, actor=actor, action=events.WIN, comment=cause,
                    changes={"outcome": ["", Outcome.WON.value]})
    publish(events.WON, subject=opportunity, data=_outcome_payload(opportunity, cause))
    return opportunity


@transaction.atomic
def opportunity_convert(*, actor, opportunity: Opportunity, comment: str = ""):
    """The department head converts (转立项): the opportunity is read-only from now on and a Project starts."""
    refuse(rules.can_convert(actor, opportunity))
    _transition(actor=actor, opportunity=opportunity, action="convert", comment=clean_comment(comment, required=False))
    project = hooks.create_project.one(actor=actor, opportunity=opportunity)
    _tell_team(actor, opportunity, phrase(gettext_noop("%(number)s was converted to project %(project)s."),
                                          number=opportunity.number, project=getattr(project, "number", "")),
               events.CONVERT)
    return opportunity, project


def _tell_team(actor, opportunity: Opportunity, text: str, kind: str) -> None:
    """The conversion decision reaches the opportunity's owner and team (not the head who took it)."""
    team = [opportunity.owner, *opportunity.members.all()]
    notify([u for u in team if u.pk != actor.pk], text=text, url=f"/opportunities/{opportunity.pk}/", kind=kind)


@transaction.atomic
def follow_up_add(*, actor, opportunity: Opportunity, happened_on, kind: str, note: str, next_step: str = "",
                  next_date=None) -> FollowUp:
    """Log contact or progress; allowed on converted opportunities too. Its next date feeds "follow-ups due"."""
    refuse(rules.can_add_follow_up(actor, opportunity))
    errors = {}
    happened = clean_past_date(happened_on, "happened_on", errors)
    nxt = clean_date(next_date, "next_date", errors)
    if nxt and happened and nxt < happened:
        errors["next_date"] = _("The next date cannot be before the follow-up.")
    note = (note or "").strip()
    if not note:
        errors["note"] = _("This field is required.")
    elif len(note) > 5000:
        errors["note"] = _("At most %(n)s characters.") % {"n": 5000}
    next_step = (next_step or "").strip()
    if len(next_step) > 300:
        errors["next_step"] = _("At most %(n)s characters.") % {"n": 300}
    try:
        kind = require_active(table="followup_kind", code=(kind or "").strip(), field="kind").code
    except Invalid as exc:
        errors.update(exc.fields)
    if errors:
        raise Invalid(fields=errors)
    follow_up = FollowUp.objects.create(opportunity=opportunity, happened_on=happened, kind=kind, note=note,
                                        next_step=next_step, next_date=nxt, author=actor)
    latest = opportunity.follow_ups.order_by("-happened_on", "-id").first()
    Opportunity.objects.filter(pk=opportunity.pk).update(next_followup_on=latest.next_date)
    opportunity.next_followup_on = latest.next_date
    timeline.record(opportunity, actor=actor, action=events.FOLLOWED_UP, comment=note[:200])
    return follow_up
