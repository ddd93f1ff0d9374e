"""The bid's own workflow: registration, tender analysis, preparation, submission, opening, result, summary."""

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.codes.selectors import require_active
from opsmon.core import timeline
from opsmon.core.changes import changing
from opsmon.core.errors import Conflict, Invalid, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.money import parse_amount
from opsmon.core.numbering import next_number
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_past_time, clean_texts, date_problem, transition
from opsmon.opportunities import services as opportunity_services
from opsmon.opportunities.rules import can_lose as opportunity_can_lose
from opsmon.projects import services as project_services

from .. import hooks, rules
from ..choices import Decision
from ..models import Bid, BidOpening, BidSummary, OpeningEntry

UNSET = object()  # an analysis field not given: it keeps its value (None clears it)
ANALYSIS_TEXT = {"tenderer": 200, "agency": 200, "tender_no": 100, "qualification_requirements": 20000,
                 "risks": 10000, "decision_reason": 5000}


def _url(bid: Bid) -> str:
    return f"/bids/{bid.pk}/"


def bid_create_for_project(*, actor, project) -> Bid:
    """A bid registered (备案) for a project routed to bidding."""
    bid = Bid.objects.create(number=next_number("TB"), title=project.title, opportunity=project.opportunity,
                             project=project, owner=project.owner, department=project.department,
                             currency=project.currency)
    timeline.record(bid, actor=actor, action="bid.registered", to_status=bid.status, comment=project.number)
    return bid


@transaction.atomic
def bid_register(*, actor, opportunity, title: str = "", project_id: int | None = None) -> Bid:
    """Register a bid directly (直接进入) against an opportunity the actor can see: bid assistant or sales team."""
    refuse(rules.can_register(actor, opportunity))
    title = (title or opportunity.title).strip()
    if len(title) > 200:
        raise Invalid(fields={"title": _("At most %(n)s characters.") % {"n": 200}})
    project = None
    if project_id is not None:
        project = getattr(opportunity, "project", None) if opportunity.status == "converted" else None
        if project is None or project.pk != project_id:
            raise Invalid(fields={"project_id": _("Not the project of this opportunity.")})
    owner = opportunity.owner
    bid = Bid.objects.create(number=next_number("TB"), title=title, opportunity=opportunity, project=project,
                             owner=owner, department=opportunity.department, currency=opportunity.currency)
    timeline.record(bid, actor=actor, action="bid.registered", to_status=bid.status, comment=opportunity.number)
    return bid


def _parse_when(value, field: str, errors: dict) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        parsed = parse_datetime(str(value).strip())
        if parsed is None:
            errors[field] = _("Not a valid date and time.")
            return None
    if date_problem(parsed):  # after core.workflow.LAST_YEAR: a typing mistake
        errors[field] = date_problem(parsed)
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


@transaction.atomic
def tender_analysis_save(*, actor, bid: Bid, tenderer=UNSET, agency=UNSET, tender_no=UNSET, tender_method=UNSET,
                         estimated_price=UNSET, ceiling_price=UNSET, currency=UNSET, submission_deadline=UNSET,
                         opening_at=UNSET, qualification_requirements=UNSET, scoring_method=UNSET, risks=UNSET,
                         decision=UNSET, decision_reason=UNSET, source: str = "") -> Bid:
    """The tender analysis (招标文件分析): only the fields given change. A deadline before registration, or an
    opening before the deadline, is refused. Correcting the deadline is allowed until the bid is opened.
    `source` says where the values came from (the tender intake), for the timeline."""
    refuse(rules.can_save_analysis(actor, bid))
    given = {"tenderer": tenderer, "agency": agency, "tender_no": tender_no, "tender_method": tender_method,
             "estimated_price": estimated_price, "ceiling_price": ceiling_price, "currency": currency,
             "submission_deadline": submission_deadline, "opening_at": opening_at,
             "qualification_requirements": qualification_requirements, "scoring_method": scoring_method,
             "risks": risks, "decision": decision, "decision_reason": decision_reason}
    data = {field: value for field, value in given.items() if value is not UNSET}
    errors = {}
    clean = clean_texts(data, ANALYSIS_TEXT, errors)
    for field, table in (("tender_method", "tender_method"), ("scoring_method", "scoring_method"),
                         ("currency", "currency")):
        if field in data:
            value = (data[field] or "").strip()
            if value:
                try:
                    require_active(table=table, code=value, field=field)
                except Invalid as exc:
                    errors.update(exc.fields)
            clean[field] = value or ("CNY" if field == "currency" else "")
    for field in ("estimated_price", "ceiling_price"):
        if field in data:
            if data[field] in (None, ""):
                clean[field] = None
            else:
                try:
                    clean[field] = parse_amount(data[field])
                except ValueError as exc:
                    errors[field] = str(exc)
    for field in ("submission_deadline", "opening_at"):
        if field in data:
            clean[field] = _parse_when(data[field], field, errors)
    if "decision" in data:
        decision = data["decision"] or ""
        if decision and decision not in Decision.values:
            errors["decision"] = _("Choose bid or no_bid.")
        clean["decision"] = decision
    deadline = clean.get("submission_deadline", bid.submission_deadline)
    opening = clean.get("opening_at", bid.opening_at)
    if deadline and deadline < bid.created_at.replace(second=0, microsecond=0):
        errors["submission_deadline"] = _("The deadline cannot be before the bid was registered.")
    if deadline and opening and opening < deadline:
        errors["opening_at"] = _("The opening cannot be before the submission deadline.")
    if clean.get("decision", bid.decision) == Decision.NO_BID and not clean.get("decision_reason",
                                                                               bid.decision_reason):
        errors["decision_reason"] = _("Say why we do not bid.")
    if errors:
        raise Invalid(fields=errors)
    before = {f: getattr(bid, f) for f in clean}
    with changing(Bid, [bid.pk]):
        updated = Bid.objects.filter(pk=bid.pk, version=bid.version).update(
            **clean, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        raise StaleVersion()
    bid.refresh_from_db()
    changes = timeline.diff({k: v for k, v in before.items() if k not in ("qualification_requirements", "risks")},
                            {k: getattr(bid, k) for k in before if k not in ("qualification_requirements", "risks")})
    timeline.record(bid, actor=actor, action="bid.analysis_saved", changes=changes,
                    comment=str(source or "")[:200])
    return bid


def _transition(bid, *, actor, action, comment="", extra=None):
    return transition(bid, actor=actor, action=action, transitions=rules.TRANSITIONS, comment=comment, extra=extra)


@transaction.atomic
def bid_start_preparation(*, actor, bid: Bid) -> Bid:
    refuse(rules.can_start_preparation(actor, bid))
    return _transition(bid, actor=actor, action="start_preparation")


@transaction.atomic
def bid_submit(*, actor, bid: Bid, now: datetime | None = None) -> Bid:
    """Hand the bid in; refused after the submission deadline (correct the deadline first if it moved)."""
    refuse(rules.can_submit(actor, bid, now=now))
    return _transition(bid, actor=actor, action="submit")


@transaction.atomic
def bid_abandon(*, actor, bid: Bid, reason: str) -> Bid:
    """Withdrawn, or the tender failed (流标): the bid is voided and the bid-bond refund clock starts."""
    refuse(rules.can_abandon(actor, bid))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    bid = _transition(bid, actor=actor, action="abandon", comment=reason,
                      extra={"abandon_reason": reason, "result_known_on": timezone.localdate()})
    if bid.project_id:  # the project stays bidding: its owner bids again or closes it (DOMAIN.md "Lifecycle")
        text = phrase(gettext_noop("%(bid)s was abandoned: bid again on %(project)s, or close it."),
                      bid=bid.number, project=bid.project.number)
        notify([bid.project.owner], text=text, url=f"/projects/{bid.project_id}/", kind="bid.abandon")
    return bid


def _clean_entries(entries) -> list[dict]:
    errors, clean, ranks = {}, [], set()
    if not entries:
        raise Invalid(fields={"entries": _("Record at least one bidder.")})
    if len(entries) > 200:
        raise Invalid(fields={"entries": _("At most 200 bidders.")})
    for i, e in enumerate(entries):
        bidder = (e.get("bidder") or "").strip()
        if not bidder or len(bidder) > 200:
            errors[f"entries.{i}.bidder"] = _("1 to 200 characters.")
        try:
            price = parse_amount(e.get("price"))
        except ValueError as exc:
            errors[f"entries.{i}.price"] = str(exc)
            price = None
        score = e.get("score")
        if score not in (None, ""):
            try:
                score = Decimal(str(score))
                if not score.is_finite() or score < 0 or score > 1000:
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors[f"entries.{i}.score"] = _("A score between 0 and 1000.")
                score = None
        else:
            score = None
        rank = e.get("rank")
        if not isinstance(rank, int) or isinstance(rank, bool) or rank < 1 or rank > 1000:
            errors[f"entries.{i}.rank"] = _("A rank from 1.")
        elif rank in ranks:
            errors[f"entries.{i}.rank"] = _("Rank %(rank)s appears twice.") % {"rank": rank}
        else:
            ranks.add(rank)
        clean.append({"bidder": bidder, "price": price, "score": score, "rank": rank, "is_us": bool(e.get("is_us"))})
    if sum(1 for e in clean if e["is_us"]) != 1:
        errors["entries"] = _("Mark exactly one row as us.")
    if errors:
        raise Invalid(fields=errors)
    return clean


@transaction.atomic
def opening_record(*, actor, bid: Bid, opened_at, entries, winner: str) -> Bid:
    """The opening record (开标记录): every bidder with price, score, rank, which one is us, and the winner."""
    refuse(rules.can_record_opening(actor, bid))
    errors = {}
    when = clean_past_time(opened_at, "opened_at", errors)  # the opening has been held
    if errors:
        raise Invalid(fields=errors)
    clean = _clean_entries(entries)
    winner = (winner or "").strip()
    if winner not in {e["bidder"] for e in clean}:
        raise Invalid(fields={"winner": _("The winner must be one of the bidders.")})
    with changing(Bid, [bid.pk]):  # the entries are replaced in bulk
        bid = _transition(bid, actor=actor, action="record_opening", comment=winner)
        opening, _created = BidOpening.objects.update_or_create(
            bid=bid, defaults={"opened_at": when, "winner": winner, "recorded_by": actor})
        opening.entries.all().delete()
        OpeningEntry.objects.bulk_create([OpeningEntry(opening=opening, **e) for e in clean])
    return bid


@transaction.atomic
def bid_mark_won(*, actor, bid: Bid) -> Bid:
    refuse(rules.can_mark_won(actor, bid))
    bid = _transition(bid, actor=actor, action="mark_won", extra={"result_known_on": timezone.localdate()})
    publish("bid.won", subject=bid, data=_payload(bid))
    return bid


@transaction.atomic
def bid_mark_lost(*, actor, bid: Bid) -> Bid:
    refuse(rules.can_mark_lost(actor, bid))
    bid = _transition(bid, actor=actor, action="mark_lost", extra={"result_known_on": timezone.localdate()})
    publish("bid.lost", subject=bid, data=_payload(bid))
    _remind_bonds(bid)
    _sale_lost(actor=actor, bid=bid)
    return bid


def _sale_lost(*, actor, bid: Bid) -> None:
    """The outcome flows back (DOMAIN.md "Lifecycle"): the bid's project is lost and its opportunity closed
    (lost_bid, outcome lost); a bid without a project closes its opportunity when no other bid on it is live."""
    if bid.project_id:
        project_services.project_on_bid_lost(actor=actor, project=bid.project, bid=bid)
        return
    others_live = any(not other.voided for other in Bid.objects.filter(opportunity_id=bid.opportunity_id)
                      .exclude(pk=bid.pk))
    if not others_live and opportunity_can_lose(actor, bid.opportunity) is None:
        opportunity_services.opportunity_lose(actor=actor, opportunity=bid.opportunity,
                                              reason=project_services.OPPORTUNITY_REASON_LOST_BID, cause=bid.number)


def _remind_bonds(bid: Bid) -> None:
    if bid.bonds.filter(status="paid").exists():
        assistants = User.objects.filter(groups__name="bid_assistant", is_active=True)
        notify(assistants, text=phrase(gettext_noop("%(number)s is over: ask for the bid bond back within 5 days."),
                                       number=bid.number), url=_url(bid), kind="bond.refund_due")


def _payload(bid: Bid) -> dict:
    return {"bid": {"id": bid.pk, "number": bid.number, "title": bid.title, "status": bid.status,
                    "tender_no": bid.tender_no, "tenderer": bid.tenderer},
            "opportunity": {"id": bid.opportunity_id, "number": bid.opportunity.number},
            "project": {"id": bid.project_id, "number": bid.project.number} if bid.project_id else None}


@transaction.atomic
def summary_save(*, actor, bid: Bid, person_days, cost, outcome_reason: str, lessons: str,
                 bond_note: str = "") -> BidSummary:
    """The mandatory summary report, once the bid is won, lost or abandoned (editable until closed)."""
    refuse(rules.can_save_summary(actor, bid))
    errors = {}
    try:
        days = Decimal(str(person_days))
        if not days.is_finite() or days < 0 or days > 100000:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["person_days"] = _("Person-days between 0 and 100000.")
        days = None
    try:
        cost = parse_amount(cost)
    except ValueError as exc:
        errors["cost"] = str(exc)
    texts = clean_texts({"outcome_reason": outcome_reason, "lessons": lessons, "bond_note": bond_note},
                        {"outcome_reason": 10000, "lessons": 10000, "bond_note": 2000}, errors)
    for field in ("outcome_reason", "lessons"):
        if not texts.get(field) and field not in errors:
            errors[field] = _("This field is required.")
    if errors:
        raise Invalid(fields=errors)
    summary, created = BidSummary.objects.update_or_create(bid=bid, defaults={
        "person_days": days.quantize(Decimal("0.1")), "cost": cost, "author": actor, **texts})
    timeline.record(bid, actor=actor, action="bid.summary_filed" if created else "bid.summary_updated")
    return summary


@transaction.atomic
def bid_close(*, actor, bid: Bid) -> Bid:
    """Close a finished bid; only once its summary report is filed."""
    refuse(rules.can_close(actor, bid))
    updated = Bid.objects.filter(pk=bid.pk, closed_at__isnull=True, version=bid.version).update(
        closed_at=timezone.now(), version=F("version") + 1)
    if not updated:
        raise StaleVersion()
    bid.refresh_from_db()
    timeline.record(bid, actor=actor, action="bid.closed", from_status=bid.status, to_status=bid.status)
    return bid


@transaction.atomic
def bid_create_contract(*, actor, bid: Bid):
    """From a won bid: a contract draft pre-filled from the bid, its project and opportunity (once)."""
    refuse(rules.can_create_contract(actor, bid))
    locked = Bid.objects.select_for_update().get(pk=bid.pk)
    if locked.contracts.exists():  # a concurrent request drafted it after the rule looked
        raise Conflict(_("This bid already has a contract."), code="duplicate")
    ours = rules.our_entry(bid)
    return hooks.create_contract.one(actor=actor, bid=bid, amount=ours.price if ours else None)


@transaction.atomic
def bid_update(*, actor, bid: Bid, version: int, title: str | None = None) -> Bid:
    """Rename an open bid; `version` must be current."""
    refuse(rules.can_edit(actor, bid))
    if title is not None:
        title = title.strip()
        if not title or len(title) > 200:
            raise Invalid(fields={"title": _("1 to 200 characters.")})
        if not Bid.objects.filter(pk=bid.pk, version=version).update(title=title, version=F("version") + 1,
                                                                     updated_at=timezone.now()):
            raise StaleVersion()
        timeline.record(bid, actor=actor, action="bid.updated", changes={"title": [bid.title, title]})
        bid.refresh_from_db()
    return bid
