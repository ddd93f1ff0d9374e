"""Sourcing (询价/比价单, XJ-): PROCUREMENT.md "Sourcing".

draft → open (invitations: ≥ min_quotations eligible suppliers) → evaluating (after the deadline, or all invited
quoted) → award_review (the award on the approvals engine, kind "award") → awarded → done (orders created by
purchasing: `mark_done`); open | evaluating → failed (流标) | cancelled (draft too), the request lines re-pooled.

Money: a quotation line's amount = round-half-up(qty × unit price incl. tax, 2); totals are line sums; Decimal.

Award overrides (each needs `override_reason` and adds a procurement_head step after the route's steps):
fewer valid quotations than the method's min_quotations; estimate ≥ public_tender_threshold outside 公开招标 /
邀请招标; the same project + category + year non-tender awards summing ≥ the threshold (化整为零); single source
≥ threshold awarded before notice_on + 5 working days; an add-on (添购) above 10% of its original order. A line not
at the lowest valid tax-inclusive price needs `reason_not_lowest`; an ineligible awarded supplier is 409, never
overridden."""

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.accounts.roles import Role
from opsmon.approvals import services as approvals
from opsmon.codes.models import CodeItem
from opsmon.core import timeline
from opsmon.core.errors import Conflict, Invalid
from opsmon.core.events import notify, publish
from opsmon.core.files import store_upload
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.numbering import next_number
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_date, clean_texts, date_problem, transition
from opsmon.procurement import services as procurement
from opsmon.procurement.models import ProcurementSettings, PurchaseRequest, RequestLine
from opsmon.procurement.selectors import visible_requests
from opsmon.suppliers import eligibility
from opsmon.suppliers.models import Supplier

from . import rules, selectors
from .choices import SourcingStatus
from .models import Invitation, Quotation, QuotationLine, Sourcing, SourcingLine

AWARD_KIND = "award"
OVERRIDE_STEP = "award_override"       # review_step_kind code of the extra procurement_head step
NUMBER_PREFIX = "XJ"
TENDER_METHODS = frozenset({"open_tender", "invited_tender"})
DIRECT, SINGLE_SOURCE, ADD_ON = "direct", "single_source", "add_on"
MIN_JUSTIFICATION = 20
NOTICE_WORKING_DAYS = 5
ADD_ON_SHARE = Decimal("0.10")
MAX_LINES = 100
MAX_SUPPLIERS = 30
MAX_DELIVERY_DAYS = 3650
S = SourcingStatus


def sourcing_url(sourcing: Sourcing) -> str:
    return f"/procurement/sourcings/{sourcing.pk}/"


def add_working_days(day: date, n: int) -> date:
    """`day` + n working days (Monday to Friday)."""
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def min_quotations(method: str) -> int:
    item = CodeItem.objects.filter(table__name="purchase_method", code=method).first()
    try:
        return max(int(item.value), 1) if item and item.value else 1
    except ValueError:
        return 1


def tax_rates() -> set[Decimal]:
    out = set()
    for value in CodeItem.objects.filter(table__name="tax_rate", active=True).values_list("value", flat=True):
        try:
            out.add(Decimal(value))
        except (ArithmeticError, ValueError):
            continue
    return out


def _ids(value, field: str, errors: dict, *, limit: int) -> list[int]:
    if not isinstance(value, list | tuple) or not value:
        errors[field] = _("Choose at least one.")
        return []
    if len(value) > limit:
        errors[field] = _("At most %(n)s.") % {"n": limit}
        return []
    out = []
    for v in value:
        if isinstance(v, bool) or not str(v).isdigit():
            errors[field] = _("A list of ids.")
            return []
        out.append(int(v))
    if len(set(out)) != len(out):
        errors[field] = _("An id is listed twice.")
        return []
    return out


def _deadline(value, errors: dict, *, now: datetime) -> datetime | None:
    if value in (None, ""):
        errors["deadline"] = _("This field is required.")
        return None
    when = value if isinstance(value, datetime) else None
    if when is None and isinstance(value, date):
        when = datetime(value.year, value.month, value.day, 17, 0)
    if when is None:
        when = parse_datetime(str(value).strip())
        if when is None:
            day = clean_date(value, "deadline", errors)
            if day is None:
                errors.setdefault("deadline", _("Not a valid date and time."))
                return None
            when = datetime(day.year, day.month, day.day, 17, 0)
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    problem = date_problem(when)
    if problem:
        errors["deadline"] = problem
        return None
    if when <= now:
        errors["deadline"] = _("The deadline must be in the future.")
        return None
    return when


def _category(lines) -> str:
    """The route category: the supplier_category with the largest estimated amount (ties: the first line's)."""
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for line in lines:
        sums[line.category] += line.amount
    return max(sums, key=lambda c: sums[c]) if sums else ""


def _order_model():
    """purchasing.PurchaseOrder, reached through the model's foreign key (purchasing stands above sourcing)."""
    return Sourcing._meta.get_field("original_order").related_model


def _eligible(supplier: Supplier, day: date) -> None:
    refuse(eligibility.refusal(supplier, day))


def _grade_warning(supplier: Supplier) -> str:
    if supplier.grade == "D":
        return _("Supplier %(name)s is graded D by its last evaluation.") % {"name": supplier.name}
    return ""


def payload(sourcing: Sourcing) -> dict:
    return {"sourcing": {"id": sourcing.pk, "number": sourcing.number, "title": sourcing.title,
                         "method": sourcing.method, "status": sourcing.status,
                         "estimate": f"{sourcing.estimate:.2f}", "owner_id": sourcing.owner_id}}


# --- create, open ---------------------------------------------------------------------------------------------

@transaction.atomic
def sourcing_create(*, actor, method: str, request_line_ids, supplier_ids, deadline, title: str = "",
                    single_source_reason: str = "", justification: str = "", original_order_id=None,
                    notice_on=None, now: datetime | None = None) -> Sourcing:
    """A draft sourcing of the caller from request lines of approved requests he sees (none already in a live
    sourcing), inviting `supplier_ids` (each eligible today: 409 naming the supplier; grade D warns). The requests
    move approved → sourcing."""
    refuse(rules.can_create(actor))
    now = now or timezone.now()
    today = timezone.localdate(now)
    errors: dict = {}
    texts = clean_texts({"title": title, "justification": justification}, {"title": 200, "justification": 2000},
                        errors)
    methods = set(CodeItem.objects.filter(table__name="purchase_method", active=True).values_list("code", flat=True))
    method = str(method or "")
    if method not in methods:
        errors["method"] = _("unknown or inactive code “%(code)s”") % {"code": method}
    line_ids = _ids(request_line_ids, "request_line_ids", errors, limit=MAX_LINES)
    supplier_ids_ = _ids(supplier_ids, "supplier_ids", errors, limit=MAX_SUPPLIERS)
    when = _deadline(deadline, errors, now=now)
    notice = clean_date(notice_on, "notice_on", errors)
    reason = str(single_source_reason or "")
    order = None
    if method == SINGLE_SOURCE:
        reasons = set(CodeItem.objects.filter(table__name="single_source_reason", active=True)
                      .values_list("code", flat=True))
        if reason not in reasons:
            errors["single_source_reason"] = _("Choose the reason for a single source.")
        if len(texts.get("justification", "")) < MIN_JUSTIFICATION and "justification" not in errors:
            errors["justification"] = _("Explain the single source in at least %(n)s characters.") % {
                "n": MIN_JUSTIFICATION}
        if len(supplier_ids_) > 1:
            errors["supplier_ids"] = _("A single-source purchase invites exactly one supplier.")
        if reason == ADD_ON:
            if original_order_id in (None, ""):
                errors["original_order_id"] = _("An add-on names its original order.")
            else:
                order = (_order_model().objects.filter(pk=original_order_id).first()
                         if str(original_order_id).isdigit() else None)
                if order is None or order.status in ("draft", "in_review", "cancelled"):
                    errors["original_order_id"] = _("Choose an approved or signed order.")
    else:
        reason = ""
    lines = []
    if line_ids:
        lines = list(RequestLine.objects.select_for_update().filter(pk__in=line_ids))
        found = {line.pk for line in lines}
        request_ids = {line.request_id for line in lines}
        seen = set(visible_requests(actor).filter(pk__in=request_ids).values_list("pk", flat=True))
        if found != set(line_ids) or not request_ids <= seen:
            errors["request_line_ids"] = _("Choose lines of approved purchase requests you can see.")
        else:
            requests = {r.pk: r for r in PurchaseRequest.objects.select_for_update()
                        .filter(pk__in={line.request_id for line in lines})}
            if any(r.status not in ("approved", "sourcing") for r in requests.values()):
                errors["request_line_ids"] = _("Only lines of approved purchase requests are sourced.")
            elif selectors.live_line_ids(line_ids):
                errors["request_line_ids"] = _("A line is already in another sourcing.")
    suppliers = []
    if supplier_ids_:
        suppliers = list(Supplier.objects.filter(pk__in=supplier_ids_))
        if len(suppliers) != len(supplier_ids_):
            errors["supplier_ids"] = _("Choose registered suppliers.")
    estimate = sum((line.amount for line in lines), Decimal("0.00"))
    settings = ProcurementSettings.load()
    if method == DIRECT and lines and estimate > settings.direct_purchase_limit:
        errors["method"] = _("A direct purchase is at most %(n)s; this one is estimated at %(e)s.") % {
            "n": f"{settings.direct_purchase_limit:,.2f}", "e": f"{estimate:,.2f}"}
    if errors:
        raise Invalid(fields=errors)
    by_id = {s.pk: s for s in suppliers}
    suppliers = [by_id[pk] for pk in supplier_ids_]
    for supplier in suppliers:
        _eligible(supplier, today)
    ordered = sorted(lines, key=lambda x: (x.request_id, x.position, x.pk))
    title_ = texts.get("title") or ordered[0].request.title
    sourcing = Sourcing.objects.create(
        number=next_number(NUMBER_PREFIX), title=title_[:200], method=method, owner=actor,
        department_id=actor.department_id, deadline=when, estimate=estimate, category=_category(ordered),
        single_source_reason=reason, justification=texts.get("justification", ""), original_order=order,
        notice_on=notice)
    SourcingLine.objects.bulk_create(SourcingLine(sourcing=sourcing, request_line=line, qty=line.qty)
                                     for line in ordered)
    Invitation.objects.bulk_create(Invitation(sourcing=sourcing, supplier=s, grade_warning=_grade_warning(s))
                                   for s in suppliers)
    for request in PurchaseRequest.objects.filter(pk__in={line.request_id for line in ordered}).order_by("pk"):
        procurement.request_sourcing_step(actor=actor, request=request, action="sourced",
                                          comment=sourcing.number)
    timeline.record(sourcing, actor=actor, action="sourcing.created", to_status=sourcing.status,
                    changes={"lines": [None, [f"{x.request.number} {x.item} × {x.qty}" for x in ordered]],
                             "suppliers": [None, [s.name for s in suppliers]],
                             "estimate": [None, f"{estimate:.2f}"]})
    return sourcing


def _reload(sourcing: Sourcing) -> Sourcing:
    return Sourcing.objects.select_for_update().get(pk=sourcing.pk)


@transaction.atomic
def sourcing_open(*, actor, sourcing: Sourcing, now: datetime | None = None) -> Sourcing:
    """draft → open: at least min_quotations invited suppliers (single source: exactly one), each eligible today
    (409 naming the supplier); the deadline still ahead; a direct purchase within the limit."""
    refuse(rules.can_open(actor, sourcing))
    sourcing = _reload(sourcing)
    refuse(rules.can_open(actor, sourcing))
    now = now or timezone.now()
    today = timezone.localdate(now)
    invitations = list(sourcing.invitations.select_related("supplier").order_by("id"))
    needed = min_quotations(sourcing.method)
    if sourcing.method == SINGLE_SOURCE and len(invitations) != 1:
        raise Conflict(_("A single-source purchase invites exactly one supplier."), code="invitations",
                       fields={"supplier_ids": _("exactly one")})
    if len(invitations) < needed:
        raise Conflict(_("This purchase method needs at least %(n)s invited suppliers; %(k)s are invited.")
                       % {"n": needed, "k": len(invitations)}, code="too_few_suppliers",
                       fields={"supplier_ids": _("at least %(n)s") % {"n": needed}})
    for invitation in invitations:
        _eligible(invitation.supplier, today)
    if sourcing.deadline is None or sourcing.deadline <= now:
        raise Conflict(_("The quotation deadline has passed; set a new one."), code="deadline_passed",
                       fields={"deadline": _("The deadline must be in the future.")})
    limit = ProcurementSettings.load().direct_purchase_limit
    if sourcing.method == DIRECT and sourcing.estimate > limit:
        raise Conflict(_("A direct purchase is at most %(n)s.") % {"n": f"{limit:,.2f}"}, code="over_direct_limit")
    sourcing = transition(sourcing, actor=actor, action="open", transitions=rules.TRANSITIONS,
                          extra={"opened_at": now})
    publish("sourcing.opened", subject=sourcing, data=payload(sourcing))
    return sourcing


# --- quotations -----------------------------------------------------------------------------------------------

def _price(value, field: str, errors: dict) -> Decimal | None:
    return procurement._number(value, field, errors, places=procurement.PRICE_PLACES, positive=False,
                               high=procurement.MAX_PRICE)


def _tax_rate(value, field: str, errors: dict, rates: set[Decimal]) -> Decimal | None:
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    raw = str(value).strip().rstrip("%")
    try:
        rate = Decimal(raw) if raw.replace(".", "", 1).isdigit() and raw.isascii() else None
    except ArithmeticError:
        rate = None
    if rate is None or rate not in rates:
        errors[field] = _("Not a tax rate of the code table.")
        return None
    return rate


@transaction.atomic
def quotation_record(*, actor, sourcing: Sourcing, supplier_id, valid_until, delivery_days, lines,
                     upload=None, today: date | None = None) -> Quotation:
    """Record an invited supplier's quotation while the sourcing is open (again: it replaces the earlier one).
    Lines [{request_line_id, unit_price (incl. tax, 4 decimals), tax_rate (a tax_rate code's value)}], a subset
    of the sourcing's lines; amount = round-half-up(qty × price, 2)."""
    refuse(rules.can_quote(actor, sourcing))
    sourcing = _reload(sourcing)
    refuse(rules.can_quote(actor, sourcing))
    today = today or timezone.localdate()
    errors: dict = {}
    invited = {inv.supplier_id: inv.supplier for inv in sourcing.invitations.select_related("supplier")}
    supplier = invited.get(int(supplier_id)) if str(supplier_id).isdigit() else None
    if supplier is None:
        errors["supplier_id"] = _("Choose an invited supplier.")
    until = clean_date(valid_until, "valid_until", errors)
    if until is None:
        errors.setdefault("valid_until", _("This field is required."))
    elif until < today:
        errors["valid_until"] = _("Not in the past.")
    days = None
    if isinstance(delivery_days, bool) or not str(delivery_days if delivery_days is not None else "").isdigit():
        errors["delivery_days"] = _("A whole number of days.")
    else:
        days = int(delivery_days)
        if days > MAX_DELIVERY_DAYS:
            errors["delivery_days"] = _("At most %(n)s.") % {"n": MAX_DELIVERY_DAYS}
    by_request_line = {x.request_line_id: x for x in sourcing.lines.all()}
    rows = []
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines) or not lines:
        errors["lines"] = _("Price at least one line.")
    else:
        rates = tax_rates()
        seen = set()
        for i, row in enumerate(lines, start=1):
            key = f"lines.{i}"
            rid = row.get("request_line_id")
            line = by_request_line.get(int(rid)) if str(rid).isdigit() else None
            if line is None:
                errors[f"{key}.request_line_id"] = _("Not a line of this sourcing.")
            elif line.pk in seen:
                errors[f"{key}.request_line_id"] = _("This line is priced twice.")
            else:
                seen.add(line.pk)
            price = _price(row.get("unit_price"), f"{key}.unit_price", errors)
            rate = _tax_rate(row.get("tax_rate"), f"{key}.tax_rate", errors, rates)
            if line is not None and price is not None:
                amount = procurement.line_amount(line.qty, price)
                if amount > MAX_AMOUNT:
                    errors[f"{key}.unit_price"] = _("The line amount is too large.")
                rows.append((line, price, rate, amount))
    stored = None
    if not errors and upload is not None:
        stored = store_upload(upload, actor=actor)
    if errors:
        raise Invalid(fields=errors)
    replaced = Quotation.objects.filter(sourcing=sourcing, supplier=supplier).first()
    if replaced is not None:
        replaced.delete()
    total = sum((r[3] for r in rows), Decimal("0.00"))
    quotation = Quotation.objects.create(sourcing=sourcing, supplier=supplier, valid_until=until, delivery_days=days,
                                         total=total, file=stored or (replaced.file if replaced else None),
                                         created_by=actor)
    QuotationLine.objects.bulk_create(QuotationLine(quotation=quotation, sourcing_line=line, unit_price=price,
                                                    tax_rate=rate, amount=amount)
                                      for line, price, rate, amount in rows)
    # The timeline is read by whoever sees the sourcing: it names the supplier, never a price (比价保密).
    timeline.record(sourcing, actor=actor, action="sourcing.quotation_recorded",
                    changes={"supplier": [None, supplier.name], "lines": [None, len(rows)],
                             "replaced": [None, replaced is not None]})
    return quotation


@transaction.atomic
def sourcing_evaluate(*, actor, sourcing: Sourcing, now: datetime | None = None) -> Sourcing:
    """open → evaluating: after the deadline, or once every invited supplier quoted. Prices become visible to
    those who see the sourcing."""
    refuse(rules.can_evaluate(actor, sourcing))
    sourcing = _reload(sourcing)
    refuse(rules.can_evaluate(actor, sourcing))
    now = now or timezone.now()
    invited = set(sourcing.invitations.values_list("supplier_id", flat=True))
    quoted = set(sourcing.quotations.values_list("supplier_id", flat=True))
    if (sourcing.deadline is None or now < sourcing.deadline) and not invited <= quoted:
        raise Conflict(_("Evaluate after the deadline, or once every invited supplier has quoted (%(q)s of %(n)s).")
                       % {"q": len(invited & quoted), "n": len(invited)}, code="before_deadline")
    return transition(sourcing, actor=actor, action="evaluate", transitions=rules.TRANSITIONS,
                      extra={"evaluated_at": now})


# --- the pool of request lines ---------------------------------------------------------------------------------

def _repool(actor, sourcing: Sourcing) -> None:
    """Requests of a failed or cancelled sourcing go back to approved when no other live sourcing holds a line of
    theirs (and none is awarded)."""
    request_ids = set(sourcing.lines.values_list("request_line__request_id", flat=True))
    for request in PurchaseRequest.objects.filter(pk__in=request_ids).order_by("pk"):
        held = SourcingLine.objects.filter(request_line__request=request, sourcing__status__in=rules.LIVE).exclude(
            sourcing=sourcing).exists()
        if not held:
            procurement.request_sourcing_step(actor=actor, request=request, action="repooled",
                                              comment=sourcing.number)


def _award_requests(actor, sourcing: Sourcing) -> None:
    """A request whose every line is in an awarded sourcing (awarded or dropped) moves sourcing → awarded."""
    request_ids = set(sourcing.lines.values_list("request_line__request_id", flat=True))
    for request in PurchaseRequest.objects.filter(pk__in=request_ids).order_by("pk"):
        lines = set(request.lines.values_list("pk", flat=True))
        done = set(SourcingLine.objects.filter(request_line__request=request,
                                               sourcing__status__in=rules.AWARDED_STATES)
                   .values_list("request_line_id", flat=True))
        if lines <= done:
            procurement.request_sourcing_step(actor=actor, request=request, action="awarded",
                                              comment=sourcing.number)


def _end(action: str, event: str):
    @transaction.atomic
    def end(*, actor, sourcing: Sourcing, reason: str) -> Sourcing:
        refuse(getattr(rules, f"can_{action}")(actor, sourcing))
        sourcing = _reload(sourcing)
        refuse(getattr(rules, f"can_{action}")(actor, sourcing))
        reason = clean_comment(reason, required=True, field="reason", limit=500)
        sourcing = transition(sourcing, actor=actor, action=action, transitions=rules.TRANSITIONS, comment=reason,
                              extra={"status_reason": reason})
        _repool(actor, sourcing)
        publish(event, subject=sourcing, data=payload(sourcing))
        return sourcing
    return end


sourcing_fail = _end("fail", "sourcing.failed")
sourcing_cancel = _end("cancel", "sourcing.cancelled")


# --- the award ------------------------------------------------------------------------------------------------

def awarded_total(sourcing: Sourcing) -> Decimal:
    return (QuotationLine.objects.filter(pk__in=sourcing.lines.filter(awarded__isnull=False).values("awarded"))
            .aggregate(s=Sum("amount"))["s"] or Decimal("0.00"))


def _valid_count(sourcing: Sourcing, day: date) -> int:
    invited = set(sourcing.invitations.values_list("supplier_id", flat=True))
    return sum(1 for q in sourcing.quotations.all() if selectors.is_valid_quotation(q, invited, day)
               and q.lines.exists())


def _split_total(sourcing: Sourcing, day: date) -> tuple[Decimal, list[str]]:
    """化整为零: per project of the sourcing's lines, this award plus the other non-tender awards of the same
    project, category and year; the largest sum and the projects' numbers."""
    projects = set(sourcing.lines.filter(request_line__request__project__isnull=False)
                   .values_list("request_line__request__project_id", flat=True))
    best, names = Decimal("0.00"), []
    for project_id in projects:
        mine = (QuotationLine.objects.filter(pk__in=sourcing.lines.filter(
            awarded__isnull=False, request_line__request__project_id=project_id).values("awarded"))
            .aggregate(s=Sum("amount"))["s"] or Decimal("0.00"))
        others = (QuotationLine.objects.filter(pk__in=SourcingLine.objects.filter(
            awarded__isnull=False, request_line__request__project_id=project_id,
            sourcing__status__in=(S.AWARD_REVIEW, *rules.AWARDED_STATES), sourcing__category=sourcing.category,
            sourcing__created_at__year=day.year).exclude(sourcing=sourcing)
            .exclude(sourcing__method__in=TENDER_METHODS).values("awarded"))
            .aggregate(s=Sum("amount"))["s"] or Decimal("0.00"))
        if others and mine + others > best:
            best = mine + others
            names = list(PurchaseRequest.objects.filter(project_id=project_id).values_list(
                "project__number", flat=True)[:1])
    return best, names


def award_checks(sourcing: Sourcing, *, day: date) -> list[str]:
    """The overrides this award needs (texts; empty: none). Raises 409 for an ineligible awarded supplier."""
    awarded = list(sourcing.lines.filter(awarded__isnull=False).select_related("awarded__quotation__supplier"))
    for supplier in {x.awarded.quotation.supplier for x in awarded}:
        _eligible(supplier, day)
    settings = ProcurementSettings.load()
    threshold = settings.public_tender_threshold
    warnings = []
    needed = min_quotations(sourcing.method)
    valid = _valid_count(sourcing, day)
    if valid < needed:
        warnings.append(_("%(k)s valid quotations, fewer than the %(n)s this purchase method needs.")
                        % {"k": valid, "n": needed})
    tender = sourcing.method in TENDER_METHODS
    if sourcing.estimate >= threshold and not tender:
        warnings.append(_("Estimated %(e)s, at or above the public tender threshold %(t)s, without a tender.")
                        % {"e": f"{sourcing.estimate:,.2f}", "t": f"{threshold:,.2f}"})
    elif not tender and awarded:
        total, projects = _split_total(sourcing, day)
        if total >= threshold:
            warnings.append(_("Non-tender awards of project %(p)s in this category and year reach %(s)s, at or above "
                              "the public tender threshold (化整为零).")
                            % {"p": "、".join(projects), "s": f"{total:,.2f}"})
    if sourcing.method == SINGLE_SOURCE and sourcing.estimate >= threshold:
        earliest = add_working_days(sourcing.notice_on, NOTICE_WORKING_DAYS) if sourcing.notice_on else None
        if earliest is None or day < earliest:
            warnings.append(_("A single source at or above the threshold is awarded %(n)s working days after its "
                              "notice (公示) at the earliest: %(d)s.")
                            % {"n": NOTICE_WORKING_DAYS, "d": earliest.isoformat() if earliest else "—"})
    if sourcing.single_source_reason == ADD_ON and sourcing.original_order_id:
        original = sourcing.original_order.total
        if sourcing.estimate > (original * ADD_ON_SHARE):
            warnings.append(_("The add-on %(e)s is more than 10%% of its original order %(o)s.")
                            % {"e": f"{sourcing.estimate:,.2f}", "o": f"{original:,.2f}"})
    return warnings


@transaction.atomic
def award_save(*, actor, sourcing: Sourcing, lines, override_reason: str = "",
               today: date | None = None) -> tuple[Sourcing, list[str]]:
    """Write the award while evaluating: every line of the sourcing gets a valid quotation line of its own
    (`quotation_line_id`) or a `drop_reason`; a price not the lowest valid one needs `reason_not_lowest`. Answers
    the sourcing and the overrides it needs (then `override_reason` is required: 422)."""
    refuse(rules.can_award(actor, sourcing))
    sourcing = _reload(sourcing)
    refuse(rules.can_award(actor, sourcing))
    day = today or timezone.localdate()
    errors: dict = {}
    override = clean_texts({"override_reason": override_reason}, {"override_reason": 2000}, errors)
    own_lines = {x.request_line_id: x for x in sourcing.lines.all()}
    invited = set(sourcing.invitations.values_list("supplier_id", flat=True))
    chosen: dict[int, tuple] = {}
    mentioned: set[int] = set()
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines):
        errors["lines"] = _("A list of lines.")
        lines = []
    for i, row in enumerate(lines, start=1):
        key = f"lines.{i}"
        rid = row.get("request_line_id")
        line = own_lines.get(int(rid)) if str(rid).isdigit() else None
        if line is None:
            errors[f"{key}.request_line_id"] = _("Not a line of this sourcing.")
            continue
        if line.pk in mentioned:
            errors[f"{key}.request_line_id"] = _("This line is listed twice.")
            continue
        mentioned.add(line.pk)
        texts = clean_texts({"drop_reason": row.get("drop_reason") or "",
                             "reason_not_lowest": row.get("reason_not_lowest") or ""},
                            {"drop_reason": 500, "reason_not_lowest": 500}, errors)
        for k in ("drop_reason", "reason_not_lowest"):
            if k in errors:
                errors[f"{key}.{k}"] = errors.pop(k)
        qid = row.get("quotation_line_id")
        if qid in (None, ""):
            if not texts["drop_reason"]:
                errors[f"{key}.quotation_line_id"] = _("Choose a quotation, or give the reason for dropping the line.")
            chosen[line.pk] = (line, None, texts["drop_reason"], "")
            continue
        ql = (QuotationLine.objects.select_related("quotation__supplier")
              .filter(pk=qid, sourcing_line=line).first() if str(qid).isdigit() else None)
        if ql is None:
            errors[f"{key}.quotation_line_id"] = _("Not a quotation of this line.")
            continue
        if not selectors.is_valid_quotation(ql.quotation, invited, day):
            errors[f"{key}.quotation_line_id"] = _("This quotation is no longer valid (valid until %(d)s).") % {
                "d": ql.quotation.valid_until.isoformat()}
            continue
        lowest = selectors.lowest_valid_price(line, invited=invited, day=day)
        if lowest is not None and ql.unit_price > lowest and not texts["reason_not_lowest"]:
            errors[f"{key}.reason_not_lowest"] = _("Not the lowest valid price (%(p)s): give the reason.") % {
                "p": lowest}
        chosen[line.pk] = (line, ql, "", texts["reason_not_lowest"] if ql.unit_price > (lowest or 0) else "")
    missing = [x for x in own_lines.values() if x.pk not in mentioned]
    if missing and "lines" not in errors:
        errors["lines"] = _("Award or drop every line (%(n)s missing).") % {"n": len(missing)}
    if errors:
        raise Invalid(fields=errors)
    before = {x.pk: (x.awarded_id, x.drop_reason) for x in own_lines.values()}
    for line, ql, drop, not_lowest in chosen.values():
        SourcingLine.objects.filter(pk=line.pk).update(awarded=ql, drop_reason=drop, reason_not_lowest=not_lowest)
    sourcing.refresh_from_db()
    warnings = award_checks(sourcing, day=day)
    if warnings and not override["override_reason"]:
        raise Invalid(_("This award needs an override reason: %(w)s") % {"w": " ".join(warnings)},
                      code="override_required", fields={"override_reason": " ".join(warnings)})
    Sourcing.objects.filter(pk=sourcing.pk).update(
        override_reason=override["override_reason"] if warnings else "", award_warnings=warnings,
        version=sourcing.version + 1, updated_at=timezone.now())
    changed = [f"{line.request_line_id}: {ql.quotation.supplier.name if ql else _('dropped')}"
               for line, ql, _d, _n in chosen.values()
               if before[line.pk] != ((ql.pk if ql else None), (_d if not ql else ""))]
    timeline.record(sourcing, actor=actor, action="sourcing.award_saved",
                    changes={"award": [None, changed], **({"overrides": [None, warnings]} if warnings else {})})
    return Sourcing.objects.get(pk=sourcing.pk), warnings


def _procurement_heads(excluded: set) -> list[User]:
    return list(User.objects.filter(is_active=True, groups__name=Role.PROCUREMENT_HEAD).exclude(pk__in=excluded)
                .order_by("id"))


@transaction.atomic
def award_submit(*, actor, sourcing: Sourcing, today: date | None = None) -> Sourcing:
    """evaluating → award_review: every line awarded or dropped; checked again on today's date (eligibility: 409;
    overrides need the reason: 422); a round of kind "award" (route by category and the awarded total), with one
    more procurement_head step when an override applies."""
    refuse(rules.can_submit_award(actor, sourcing))
    sourcing = _reload(sourcing)
    refuse(rules.can_submit_award(actor, sourcing))
    day = today or timezone.localdate()
    lines = list(sourcing.lines.all())
    if any(x.awarded_id is None and not x.drop_reason for x in lines):
        raise Invalid(_("Award or drop every line first."), code="award_incomplete",
                      fields={"lines": _("Award or drop every line.")})
    invited = set(sourcing.invitations.values_list("supplier_id", flat=True))
    for x in lines:
        if x.awarded_id and not selectors.is_valid_quotation(x.awarded.quotation, invited, day):
            raise Invalid(fields={"lines": _("The quotation of %(s)s is no longer valid; change the award.")
                                  % {"s": x.awarded.quotation.supplier.name}})
    warnings = award_checks(sourcing, day=day)
    if warnings and not sourcing.override_reason:
        raise Invalid(_("This award needs an override reason: %(w)s") % {"w": " ".join(warnings)},
                      code="override_required", fields={"override_reason": " ".join(warnings)})
    extra = [(OVERRIDE_STEP, _procurement_heads({sourcing.owner_id}))] if warnings else []
    sourcing = transition(sourcing, actor=actor, action="submit_award", transitions=rules.TRANSITIONS,
                          extra={"award_warnings": warnings},
                          changes={"overrides": [None, warnings]} if warnings else None)
    approvals.start_round(actor=actor, kind=AWARD_KIND, subject=sourcing, amount=awarded_total(sourcing),
                          extra_steps=extra)
    return sourcing


def _step(sourcing: Sourcing, step_id):
    return step_id if step_id is not None else getattr(rules.current_step(sourcing), "pk", None)


@transaction.atomic
def award_decide(*, actor, sourcing: Sourcing, decision: str, comment: str = "", step_id=None) -> Sourcing:
    """Approve, return (back to evaluating) or reject (流标: the lines re-pooled) the caller's step."""
    sourcing.__dict__.pop("_current_step", None)
    refuse(rules.can_decide(actor, sourcing, decision))
    result = approvals.decide(actor=actor, record=sourcing, step_id=_step(sourcing, step_id), decision=decision,
                              comment=comment)
    return Sourcing.objects.get(pk=result.pk)


# --- what the engine calls when a round ends (registered in receivers.py) -------------------------------------

def award_approved(*, actor, subject: Sourcing, review, comment: str, changes: dict) -> Sourcing:
    sourcing = transition(subject, actor=actor, action="approved", transitions=rules.TRANSITIONS, comment=comment,
                          changes=changes, extra={"awarded_at": timezone.now()})
    _award_requests(actor, sourcing)
    publish("sourcing.awarded", subject=sourcing, data=payload(sourcing), notify=[sourcing.owner],
            text=_("Award approved: %(n)s") % {"n": sourcing.number}, url=sourcing_url(sourcing))
    return sourcing


def award_returned(*, actor, subject: Sourcing, review, comment: str, changes: dict) -> Sourcing:
    sourcing = transition(subject, actor=actor, action="returned", transitions=rules.TRANSITIONS, comment=comment,
                          changes=changes)
    notify([sourcing.owner], text=_("Award returned for changes: %(n)s — %(c)s") % {"n": sourcing.number,
                                                                                   "c": comment},
           url=sourcing_url(sourcing), kind="sourcing.returned")
    return sourcing


def award_rejected(*, actor, subject: Sourcing, review, comment: str, changes: dict) -> Sourcing:
    sourcing = transition(subject, actor=actor, action="rejected", transitions=rules.TRANSITIONS, comment=comment,
                          changes=changes, extra={"status_reason": comment[:500]})
    _repool(actor, sourcing)
    publish("sourcing.failed", subject=sourcing, data=payload(sourcing), notify=[sourcing.owner],
            text=_("Award rejected, the sourcing failed: %(n)s — %(c)s") % {"n": sourcing.number, "c": comment},
            url=sourcing_url(sourcing))
    return sourcing


def mark_done(sourcing: Sourcing, *, actor=None) -> Sourcing:
    """awarded → done (purchasing calls it once the orders are created). Call inside its transaction."""
    sourcing = Sourcing.objects.select_for_update().get(pk=sourcing.pk)
    return transition(sourcing, actor=actor, action="done", transitions=rules.TRANSITIONS)


def parse_lines_text(raw) -> list:
    """The `lines` of a multipart quotation: JSON text of the list (422 otherwise)."""
    if isinstance(raw, list):
        return raw
    try:
        value = json.loads(raw or "[]")
    except ValueError:
        raise Invalid(fields={"lines": _("A JSON list of lines.")}) from None
    if not isinstance(value, list):
        raise Invalid(fields={"lines": _("A JSON list of lines.")})
    return value
