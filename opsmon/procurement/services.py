"""Procurement settings, project purchase budgets and purchase requests (PROCUREMENT.md).

Money: quantities carry 3 decimals, estimated unit prices (tax included) 4; a line's amount is
round-half-up(qty × price, 2); totals are line sums; Decimal throughout.

Budget check (PROCUREMENT.md "Budget and margin"), on submitting a project-linked request: the projected
commitment P = C (approved, unordered request lines of the project, this request excluded) + this request's total,
against B (the project's approved budget total):

- P ≥ `budget_warn_pct` % of B: a warning in the answer (kept on the request as `budget_warning`);
- P > B, or the project has no approved budget: the round gets one more step after the route's steps, "budget",
  decided by the head of the project's department (never the requester); his comment is the override reason. It is
  one round (not a second one), so a return or rejection at any step ends it and a resubmission checks again.
"""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from opsmon.approvals import services as approvals
from opsmon.codes.models import CodeItem
from opsmon.contracts.selectors import visible_contracts
from opsmon.core import timeline
from opsmon.core.errors import Invalid, NotFound, StaleVersion
from opsmon.core.events import notify, publish
from opsmon.core.money import MAX_AMOUNT
from opsmon.core.numbering import next_number
from opsmon.core.phrases import phrase
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_date, clean_money, clean_number, clean_texts, transition
from opsmon.projects.selectors import visible_projects

from . import rules, selectors
from .choices import BudgetStatus, RequestStatus
from .models import BudgetLine, ProcurementSettings, ProjectBudget, PurchaseRequest, RequestLine

REQUEST_KIND = "purchase_request"
BUDGET_KIND = "budget"
BUDGET_STEP = "budget"            # review_step_kind code of the extra budget step
NUMBER_PREFIX = "CG"
MAX_LINES = 50
CENT = Decimal("0.01")
QTY_PLACES = 3
PRICE_PLACES = 4
MAX_QTY = Decimal("99999999999.999")
MAX_PRICE = Decimal("99999999999999.9999")
HUNDRED = Decimal("100")
LIMITS = {"title": 200, "note": 2000}
LINE_LIMITS = {"item": 200, "spec": 500}


def request_url(request: PurchaseRequest) -> str:
    return f"/procurement/requests/{request.pk}/"


def budget_url(budget: ProjectBudget) -> str:
    return f"/projects/{budget.project_id}/#procurement"


def line_amount(qty: Decimal, price: Decimal) -> Decimal:
    """incl = round-half-up(qty × price, 2)."""
    return (qty * price).quantize(CENT, rounding=ROUND_HALF_UP)


# --- settings -----------------------------------------------------------------------------------------------

MONEY_SETTINGS = ("direct_purchase_limit", "public_tender_threshold", "match_amount_abs")
PCT_SETTINGS = ("retention_pct", "retention_warn_pct", "budget_warn_pct", "match_qty_pct", "match_amount_pct",
                "over_receipt_pct")
WEIGHT_SETTINGS = ("weight_quality", "weight_on_time", "weight_price", "weight_service")
SETTINGS_FIELDS = (*MONEY_SETTINGS, *PCT_SETTINGS, *WEIGHT_SETTINGS)


def settings_get() -> ProcurementSettings:
    return ProcurementSettings.load()


def _decimal(value, field: str, errors: dict, *, places: int, low: Decimal, high: Decimal) -> Decimal | None:
    """A plain decimal number (ASCII digits, at most `places` decimals) in [low, high]."""
    if value in (None, ""):
        errors[field] = _("This field is required.")
        return None
    raw = str(value).strip()
    try:
        number = Decimal(raw)
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite() or not raw.replace(".", "", 1).lstrip("-").isascii() \
            or not raw.replace(".", "", 1).lstrip("-").isdigit():
        errors[field] = _("not a number")
        return None
    if -number.as_tuple().exponent > places:
        errors[field] = _("At most %(n)s decimal places.") % {"n": places}
        return None
    if number < low or number > high:
        errors[field] = _("Between %(low)s and %(high)s.") % {"low": low, "high": high}
        return None
    return number


def _pct(value, field, errors) -> Decimal | None:
    return _decimal(value, field, errors, places=2, low=Decimal("0"), high=HUNDRED)


@transaction.atomic
def settings_update(*, actor, **changes) -> tuple[ProcurementSettings, list[str]]:
    """Change some settings (admin). Answers the settings and warnings (retention above the warning level).
    Evaluation weights are whole numbers summing to 100."""
    refuse(rules.can_configure(actor))
    ProcurementSettings.objects.get_or_create(pk=1)  # the row, written on the first change only
    current = ProcurementSettings.objects.select_for_update().get(pk=1)
    errors: dict = {}
    unknown = [k for k in changes if k not in SETTINGS_FIELDS]
    for key in unknown:
        errors[key] = _("Unknown setting.")
    clean = {}
    for key, value in changes.items():
        if key in MONEY_SETTINGS:
            clean[key] = clean_money(value, key, errors, zero=True)
        elif key in PCT_SETTINGS:
            clean[key] = _pct(value, key, errors)
        elif key in WEIGHT_SETTINGS:
            number = _decimal(value, key, errors, places=0, low=Decimal("0"), high=HUNDRED)
            clean[key] = None if number is None else int(number)
    weights = {k: clean.get(k, getattr(current, k)) for k in WEIGHT_SETTINGS}
    if not errors and sum(weights.values()) != 100:
        errors[next(k for k in WEIGHT_SETTINGS if k in changes) if any(k in changes for k in WEIGHT_SETTINGS)
               else "weight_quality"] = _("The evaluation weights must add up to 100.")
    if errors:
        raise Invalid(fields=errors)
    before = {k: str(getattr(current, k)) for k in clean}
    for key, value in clean.items():
        setattr(current, key, value)
    current.save()
    current.refresh_from_db()
    diff = {k: [before[k], str(getattr(current, k))] for k in clean if before[k] != str(getattr(current, k))}
    if diff:
        timeline.record(current, actor=actor, action="procurement.settings_changed", changes=diff)
    warnings = []
    if current.retention_pct > current.retention_warn_pct:
        warnings.append(_("A retention of %(r)s%% is above the usual %(w)s%%.")
                        % {"r": current.retention_pct, "w": current.retention_warn_pct})
    return current, warnings


# --- code tables --------------------------------------------------------------------------------------------

def active_codes(table: str) -> set[str]:
    return set(CodeItem.objects.filter(table__name=table, active=True).values_list("code", flat=True))


# --- project budgets ----------------------------------------------------------------------------------------

def clean_budget_lines(lines, errors: dict) -> list[dict]:
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines):
        errors["lines"] = _("A list of lines.")
        return []
    if not lines:
        errors["lines"] = _("Add at least one line.")
        return []
    if len(lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s lines.") % {"n": MAX_LINES}
        return []
    categories = active_codes("supplier_category")
    seen, out = set(), []
    for i, row in enumerate(lines, start=1):
        key = f"lines.{i}"
        category = str(row.get("category") or "")
        if category not in categories:
            errors[f"{key}.category"] = _("unknown or inactive code “%(code)s”") % {"code": category}
        elif category in seen:
            errors[f"{key}.category"] = _("This category is listed twice.")
        seen.add(category)
        amount = clean_money(row.get("amount"), f"{key}.amount", errors, zero=True)
        out.append({"category": category, "amount": amount})
    if not errors and sum(r["amount"] for r in out) > MAX_AMOUNT:
        errors["lines"] = _("The total is too large.")
    return out


def _write_budget_lines(budget: ProjectBudget, lines: list[dict]) -> None:
    budget.lines.all().delete()
    BudgetLine.objects.bulk_create(BudgetLine(budget=budget, category=r["category"], amount=r["amount"])
                                   for r in lines)


@transaction.atomic
def budget_save(*, actor, project, lines, note: str = "") -> ProjectBudget:
    """Write the project's draft budget: replace the lines of the draft version, or start a new version (a copy
    of nothing but these lines) when the latest one is approved (it stays in force until the new one is approved)
    or there is none. 409 while a version is in review."""
    latest = selectors.latest_budget(project)
    refuse(rules.can_edit_budget(actor, project, latest))
    errors: dict = {}
    texts = clean_texts({"note": note}, {"note": 500}, errors)
    clean = clean_budget_lines(lines, errors)
    if errors:
        raise Invalid(fields=errors)
    total = sum((r["amount"] for r in clean), Decimal("0.00"))
    summary = [f"{r['category']} {r['amount']:.2f}" for r in clean]
    if latest is not None and latest.status == BudgetStatus.DRAFT:
        before = [f"{line.category} {line.amount:.2f}" for line in latest.lines.all()]
        if not ProjectBudget.objects.filter(pk=latest.pk, version=latest.version, status=BudgetStatus.DRAFT).update(
                total=total, note=texts["note"], version=latest.version + 1, updated_at=timezone.now()):
            raise StaleVersion()
        _write_budget_lines(latest, clean)
        timeline.record(latest, actor=actor, action="projectbudget.updated",
                        changes={"lines": [before, summary], "total": [f"{latest.total:.2f}", f"{total:.2f}"]})
        return ProjectBudget.objects.get(pk=latest.pk)
    budget = ProjectBudget.objects.create(project=project, revision=(latest.revision + 1) if latest else 1,
                                          total=total, note=texts["note"], created_by=actor)
    _write_budget_lines(budget, clean)
    timeline.record(budget, actor=actor, action="projectbudget.drafted", to_status=budget.status,
                    changes={"lines": [None, summary], "total": [None, f"{total:.2f}"]})
    return budget


@transaction.atomic
def budget_submit(*, actor, project) -> ProjectBudget:
    """The draft version → in_review: a round on the approvals engine (the head of the project's department)."""
    budget = selectors.latest_budget(project)
    refuse(rules.can_submit_budget(actor, project, budget))
    budget = transition(budget, actor=actor, action="submit", transitions=rules.BUDGET_TRANSITIONS,
                        extra={"submitted_by": actor})
    approvals.start_round(actor=actor, kind=BUDGET_KIND, subject=budget)
    return budget


@transaction.atomic
def budget_decide(*, actor, project, step_id, decision: str, comment: str = "") -> ProjectBudget:
    """Approve, return or reject a step of the budget version in review."""
    budget = selectors.latest_budget(project)
    if budget is None:
        raise NotFound()
    result = approvals.decide(actor=actor, record=budget, step_id=step_id, decision=decision, comment=comment)
    return ProjectBudget.objects.get(pk=result.pk)


def budget_approved(*, actor, subject: ProjectBudget, review, comment: str, changes: dict) -> ProjectBudget:
    """The last step approved: this version is in force; the one before it is superseded."""
    for older in ProjectBudget.objects.filter(project=subject.project_id, status=BudgetStatus.APPROVED):
        transition(older, actor=actor, action="superseded", transitions=rules.BUDGET_TRANSITIONS)
    budget = transition(subject, actor=actor, action="approved", transitions=rules.BUDGET_TRANSITIONS,
                        comment=comment, changes=changes, extra={"approved_at": timezone.now()})
    project = budget.project
    publish("project_budget.approved", subject=budget,
            data={"project_budget": {"id": budget.pk, "project": {"id": project.pk, "number": project.number},
                                     "revision": budget.revision, "total": f"{budget.total:.2f}"}},
            notify=[u for u in (project.owner, budget.submitted_by) if u is not None],
            text=phrase(gettext_noop("Purchase budget V%(v)s of %(n)s approved"), v=budget.revision, n=project.number),
            url=budget_url(budget))
    return budget


def _budget_back(action: str):
    def back(*, actor, subject: ProjectBudget, review, comment: str, changes: dict) -> ProjectBudget:
        budget = transition(subject, actor=actor, action=action, transitions=rules.BUDGET_TRANSITIONS,
                            comment=comment, changes=changes)
        project = budget.project
        notify([u for u in (project.owner, budget.submitted_by) if u is not None],
               text=phrase(gettext_noop("Purchase budget of %(n)s sent back: %(c)s"), n=project.number, c=comment),
               url=budget_url(budget), kind=f"projectbudget.{action}")
        return budget
    return back


budget_returned = _budget_back("returned")
budget_rejected = _budget_back("rejected")


# --- purchase requests: input -------------------------------------------------------------------------------

def _number(value, field: str, errors: dict, *, places: int, positive: bool, high: Decimal) -> Decimal | None:
    return clean_number(value, field, errors, places=places, positive=positive, high=high)


def clean_request_lines(lines, errors: dict, *, today=None) -> list[dict]:
    """Lines {item, spec, unit, qty, est_unit_price, category, need_by}: at least one; qty > 0 (3 decimals), price
    ≥ 0 (4 decimals), unit and category active codes, need_by (optional) not in the past nor after 2100."""
    if not isinstance(lines, list | tuple) or not all(isinstance(r, dict) for r in lines):
        errors["lines"] = _("A list of lines.")
        return []
    if not lines:
        errors["lines"] = _("Add at least one line.")
        return []
    if len(lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s lines.") % {"n": MAX_LINES}
        return []
    units, categories = active_codes("unit"), active_codes("supplier_category")
    today = today or timezone.localdate()
    out = []
    for i, row in enumerate(lines, start=1):
        key = f"lines.{i}"
        line_errors: dict = {}
        texts = clean_texts({"item": row.get("item"), "spec": row.get("spec")}, LINE_LIMITS, line_errors)
        if not texts["item"] and "item" not in line_errors:
            line_errors["item"] = _("This field is required.")
        unit = str(row.get("unit") or "")
        if unit not in units:
            line_errors["unit"] = _("unknown or inactive code “%(code)s”") % {"code": unit}
        category = str(row.get("category") or "")
        if category not in categories:
            line_errors["category"] = _("unknown or inactive code “%(code)s”") % {"code": category}
        qty = _number(row.get("qty"), "qty", line_errors, places=QTY_PLACES, positive=True, high=MAX_QTY)
        price = _number(row.get("est_unit_price"), "est_unit_price", line_errors, places=PRICE_PLACES,
                        positive=False, high=MAX_PRICE)
        need_by = clean_date(row.get("need_by"), "need_by", line_errors)
        if need_by is not None and need_by < today:
            line_errors["need_by"] = _("Not in the past.")
            need_by = None
        amount = None
        if qty is not None and price is not None:
            amount = line_amount(qty, price)
            if amount > MAX_AMOUNT:
                line_errors["est_unit_price"] = _("The line amount is too large.")
        errors.update({f"{key}.{k}": v for k, v in line_errors.items()})
        out.append({"item": texts["item"], "spec": texts["spec"], "unit": unit, "qty": qty,
                    "est_unit_price": price, "category": category, "need_by": need_by, "amount": amount})
    if not errors and sum(r["amount"] for r in out) > MAX_AMOUNT:
        errors["lines"] = _("The total is too large.")
    return out


def _project(actor, project_id, errors: dict):
    if project_id in (None, ""):
        return None
    found = visible_projects(actor).filter(pk=project_id).first() if str(project_id).isdigit() else None
    if found is None:
        errors["project_id"] = _("Choose a project you can see.")
    return found


def _contract(actor, contract_id, errors: dict):
    if contract_id in (None, ""):
        return None
    found = (visible_contracts(actor).filter(pk=contract_id).select_related("project").first()
             if str(contract_id).isdigit() else None)
    if found is None:
        errors["contract_id"] = _("Choose a contract you can see.")
    return found


def _links(actor, project_id, contract_id, errors: dict):
    """The project and contract a request is for: a contract of a project links that project too; both given,
    the contract must be the project's."""
    project = _project(actor, project_id, errors)
    contract = _contract(actor, contract_id, errors)
    if contract is not None and contract.project_id:
        if project is None and "project_id" not in errors:
            project = contract.project
        elif project is not None and contract.project_id != project.pk:
            errors["contract_id"] = _("This contract belongs to another project.")
    return project, contract


def _write_lines(request: PurchaseRequest, lines: list[dict]) -> Decimal:
    request.lines.all().delete()
    RequestLine.objects.bulk_create(
        RequestLine(request=request, position=i, item=r["item"], spec=r["spec"], unit=r["unit"], qty=r["qty"],
                    est_unit_price=r["est_unit_price"], amount=r["amount"], category=r["category"],
                    need_by=r["need_by"]) for i, r in enumerate(lines, start=1))
    return sum((r["amount"] for r in lines), Decimal("0.00"))


def _line_summary(lines) -> list[str]:
    def get(r, k):
        return r[k] if isinstance(r, dict) else getattr(r, k)
    return [f"{get(r, 'item')} {get(r, 'qty')} {get(r, 'unit')} × {get(r, 'est_unit_price')} = {get(r, 'amount')}"
            for r in lines]


# --- purchase requests: actions -----------------------------------------------------------------------------

@transaction.atomic
def request_create(*, actor, title: str, lines, project_id=None, contract_id=None, note: str = "",
                   today=None) -> PurchaseRequest:
    """A draft request (CG-) of the caller, filed under his department."""
    refuse(rules.can_create(actor))
    errors: dict = {}
    texts = clean_texts({"title": title, "note": note}, LIMITS, errors)
    if not texts["title"] and "title" not in errors:
        errors["title"] = _("This field is required.")
    project, contract = _links(actor, project_id, contract_id, errors)
    clean = clean_request_lines(lines, errors, today=today)
    if errors:
        raise Invalid(fields=errors)
    request = PurchaseRequest(number=next_number(NUMBER_PREFIX), title=texts["title"], note=texts["note"],
                              project=project, contract=contract, owner=actor, department_id=actor.department_id)
    request.save()
    total = _write_lines(request, clean)
    PurchaseRequest.objects.filter(pk=request.pk).update(total=total)
    request.total = total
    timeline.record(request, actor=actor, action="purchaserequest.created", to_status=request.status,
                    changes={"lines": [None, _line_summary(clean)], "total": [None, f"{total:.2f}"]})
    return request


@transaction.atomic
def request_update(*, actor, request: PurchaseRequest, version: int, today=None, **fields) -> PurchaseRequest:
    """Change a draft or returned request (the `version` it read; stale → 409): any of title, note, project_id,
    contract_id, lines (replaces every line)."""
    refuse(rules.can_edit(actor, request))
    errors: dict = {}
    texts = clean_texts({k: fields[k] for k in ("title", "note") if k in fields}, LIMITS, errors)
    if "title" in texts and not texts["title"] and "title" not in errors:
        errors["title"] = _("This field is required.")
    links = {}
    if "project_id" in fields or "contract_id" in fields:
        project, contract = _links(actor, fields.get("project_id", request.project_id),
                                   fields.get("contract_id", request.contract_id), errors)
        links = {"project": project, "contract": contract}
    clean = clean_request_lines(fields["lines"], errors, today=today) if "lines" in fields else None
    if errors:
        raise Invalid(fields=errors)
    before = {"title": request.title, "note": request.note, "project": request.project_id,
              "contract": request.contract_id, "lines": _line_summary(request.lines.all()),
              "total": f"{request.total:.2f}"}
    update = {**texts, **links, "version": request.version + 1, "updated_at": timezone.now()}
    if not PurchaseRequest.objects.filter(pk=request.pk, version=version, status=request.status).update(**update):
        raise StaleVersion()
    after = {**{k: v for k, v in texts.items()},
             **({"project": getattr(links["project"], "pk", None),
                 "contract": getattr(links["contract"], "pk", None)} if links else {})}
    if clean is not None:
        total = _write_lines(request, clean)
        PurchaseRequest.objects.filter(pk=request.pk).update(total=total)
        after.update(lines=_line_summary(clean), total=f"{total:.2f}")
    changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
    timeline.record(request, actor=actor, action="purchaserequest.updated", changes=changes)
    return PurchaseRequest.objects.get(pk=request.pk)


def budget_check(request: PurchaseRequest) -> tuple[str, bool]:
    """(warning, needs the budget step) for a project-linked request (see the module's docstring)."""
    project = request.project
    if project is None:
        return "", False
    return budget_verdict(project, selectors.committed_of(project, exclude=request) + request.total)


def budget_verdict(project, projected: Decimal) -> tuple[str, bool]:
    """(warning, needs the budget step) for a projected commitment of `project` against its approved budget; the
    purchase requests' check and the purchase orders' (purchasing.services.order_submit) alike."""
    budget = selectors.approved_budget(project)
    if budget is None:
        return (_("Project %(n)s has no approved purchase budget: the head of its department decides a budget "
                  "step.") % {"n": project.number}), True
    if projected > budget.total:
        return (_("Committed %(c)s would exceed the purchase budget %(b)s of project %(n)s: the head of its "
                  "department decides a budget step.")
                % {"c": f"{projected:,.2f}", "b": f"{budget.total:,.2f}", "n": project.number}), True
    warn = ProcurementSettings.load().budget_warn_pct
    if projected * HUNDRED >= warn * budget.total:
        return (_("Committed %(c)s reaches %(p)s%% of the purchase budget %(b)s of project %(n)s.")
                % {"c": f"{projected:,.2f}", "p": (projected * HUNDRED / budget.total).quantize(Decimal("0.1"))
                   if budget.total else "—", "b": f"{budget.total:,.2f}", "n": project.number}), False
    return "", False


@transaction.atomic
def request_submit(*, actor, request: PurchaseRequest) -> PurchaseRequest:
    """draft | returned → submitted: a new review round (route by amount band and category; the budget step when
    the project's budget does not cover it). The answer's `budget_warning` says why."""
    refuse(rules.can_submit(actor, request))
    request = PurchaseRequest.objects.select_related("project__department", "department").get(pk=request.pk)
    warning, over = budget_check(request)
    extra = []
    if over:
        extra = [(BUDGET_STEP, approvals.heads_over(request.project.department, excluded={request.owner_id}))]
    request = transition(request, actor=actor, action="submit", transitions=rules.TRANSITIONS,
                         extra={"submitted_at": timezone.now(), "budget_warning": warning[:300]},
                         changes={"budget_warning": [None, warning]} if warning else None)
    approvals.start_round(actor=actor, kind=REQUEST_KIND, subject=request, extra_steps=extra)
    publish("purchase_request.submitted", subject=request, data=payload(request))
    return request


def _step(request: PurchaseRequest, step_id):
    return step_id if step_id is not None else getattr(rules.current_step(request), "pk", None)


@transaction.atomic
def request_decide(*, actor, request: PurchaseRequest, decision: str, comment: str = "",
                   step_id=None) -> PurchaseRequest:
    """Approve, return (back to the requester for changes) or reject (final) the caller's step."""
    request.__dict__.pop("_current_step", None)  # judged on the step as it is now
    refuse(rules.can_decide(actor, request, decision))
    result = approvals.decide(actor=actor, record=request, step_id=_step(request, step_id), decision=decision,
                              comment=comment)
    return PurchaseRequest.objects.get(pk=result.pk)


@transaction.atomic
def request_cancel(*, actor, request: PurchaseRequest, reason: str) -> PurchaseRequest:
    refuse(rules.can_cancel(actor, request))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    request = transition(request, actor=actor, action="cancel", transitions=rules.TRANSITIONS, comment=reason,
                         extra={"cancel_reason": reason})
    publish("purchase_request.cancelled", subject=request, data=payload(request),
            notify=[request.owner] if request.owner_id != actor.pk else [],
            text=phrase(gettext_noop("Purchase request cancelled: %(n)s — %(r)s"), n=request.number, r=reason),
            url=request_url(request))
    return request


@transaction.atomic
def request_close(*, actor, request: PurchaseRequest, reason: str) -> PurchaseRequest:
    refuse(rules.can_close(actor, request))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return transition(request, actor=actor, action="close", transitions=rules.TRANSITIONS, comment=reason,
                      extra={"close_reason": reason})


def requests_fulfilled(*, actor, accepted: dict) -> list[PurchaseRequest]:
    """Close the `ordered` requests whose every line is accepted in full (receiving calls it after an acceptance;
    `accepted` is {request_line_id: accepted quantity summed over all its order lines}; a line not named has
    nothing accepted)."""
    closed = []
    requests = PurchaseRequest.objects.filter(status=RequestStatus.ORDERED, lines__in=list(accepted)).distinct()
    for request in requests:
        lines = list(request.lines.all())
        if lines and all(accepted.get(line.pk, Decimal("0")) >= line.qty for line in lines):
            closed.append(transition(request, actor=actor, action="close", transitions=rules.TRANSITIONS,
                                     comment=_("Every line was accepted."),
                                     extra={"close_reason": _("Every line was accepted.")}))
    return closed


def request_sourcing_step(*, actor, request: PurchaseRequest, action: str, comment: str = "") -> PurchaseRequest:
    """Sourcing moves a request: "sourced" (approved → sourcing), "repooled" (sourcing → approved), "awarded"
    (sourcing → awarded). A request not in the action's from-state is left as it is (answered unchanged)."""
    request = PurchaseRequest.objects.select_for_update().get(pk=request.pk)
    if request.status not in rules.TRANSITIONS[action][0]:
        return request
    return transition(request, actor=actor, action=action, transitions=rules.TRANSITIONS, comment=comment)


def request_mark_ordered(*, actor, request: PurchaseRequest) -> PurchaseRequest:
    """Purchasing moves an awarded request to `ordered` once it has ordered every line (ordered ≥ requested qty);
    a request in another state is answered unchanged."""
    return request_sourcing_step(actor=actor, request=request, action="ordered")


def payload(request: PurchaseRequest) -> dict:
    return {"purchase_request": {
        "id": request.pk, "number": request.number, "title": request.title, "status": request.status,
        "total": f"{request.total:.2f}", "owner_id": request.owner_id,
        "project": {"id": request.project_id, "number": request.project.number} if request.project_id else None,
        "lines": [{"item": line.item, "unit": line.unit, "qty": str(line.qty),
                   "est_unit_price": str(line.est_unit_price), "amount": f"{line.amount:.2f}",
                   "category": line.category, "need_by": line.need_by.isoformat() if line.need_by else None}
                  for line in request.lines.all()]}}


# --- what the engine calls when a round ends (registered in receivers.py) -----------------------------------

def request_approved(*, actor, subject: PurchaseRequest, review, comment: str, changes: dict) -> PurchaseRequest:
    request = transition(subject, actor=actor, action="approved", transitions=rules.TRANSITIONS, comment=comment,
                         changes=changes, extra={"approved_at": timezone.now()})
    publish("purchase_request.approved", subject=request, data=payload(request), notify=[request.owner],
            text=phrase(gettext_noop("Purchase request approved: %(n)s"), n=request.number), url=request_url(request))
    return request


def request_returned(*, actor, subject: PurchaseRequest, review, comment: str, changes: dict) -> PurchaseRequest:
    request = transition(subject, actor=actor, action="returned", transitions=rules.TRANSITIONS, comment=comment,
                         changes=changes)
    publish("purchase_request.returned", subject=request, data=payload(request), notify=[request.owner],
            text=phrase(gettext_noop("Purchase request returned for changes: %(n)s — %(c)s"),
                        n=request.number, c=comment),
            url=request_url(request))
    return request


def request_rejected(*, actor, subject: PurchaseRequest, review, comment: str, changes: dict) -> PurchaseRequest:
    request = transition(subject, actor=actor, action="rejected", transitions=rules.TRANSITIONS, comment=comment,
                         changes=changes)
    publish("purchase_request.rejected", subject=request, data=payload(request), notify=[request.owner],
            text=phrase(gettext_noop("Purchase request rejected: %(n)s — %(c)s"), n=request.number, c=comment),
            url=request_url(request))
    return request


def unsourced(now, *, days: int = 7):
    """Approved requests not put to sourcing `days` after approval (the daily reminder)."""
    return (PurchaseRequest.objects.filter(status=RequestStatus.APPROVED, approved_at__lte=now - timedelta(days=days))
            .select_related("owner").order_by("approved_at"))

