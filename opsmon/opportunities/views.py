"""Opportunity pages: list, board, detail with follow-ups and decisions, create/edit, follow-ups due, queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.accounts.selectors import user_list
from opsmon.codes.forms import code_options
from opsmon.codes.selectors import items as code_items
from opsmon.codes.selectors import label_map
from opsmon.core import lists, timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import apply_error, form_action, page_or_partial, role_required
from opsmon.core.words import join_list
from opsmon.customers.selectors import customer_list

from . import excel, rules, selectors, services
from .api_excel import export_stem, xlsx_response
from .choices import EDITABLE, OpportunityStatus, Outcome
from .forms import CloseForm, CommentForm, FollowUpForm, MoveForm, OpportunityFilterForm, OpportunityForm
from .models import FollowUp, Opportunity

PAGE_SIZE = 50
# Timeline changes of these fields hold a choice code; they are shown by its label.
CHOICES = {"outcome": dict(Outcome.choices), "status": dict(OpportunityStatus.choices)}
LABEL_TABLES = {"source": "opportunity_source", "industry": "industry", "region": "region",
                "stage": "opportunity_stage", "close_reason": "close_reason", "currency": "currency"}


def _labels(opportunities, labels):
    """Attach {field: code label} to each opportunity: labels come from one query, never one per row."""
    for o in opportunities:
        o.labels = {f: labels.get((table, getattr(o, f)), getattr(o, f)) for f, table in LABEL_TABLES.items()}
    return opportunities


def _error_text(error: ApplicationError) -> str:
    details = [m for messages_ in error.fields.values() for m in messages_]
    return " ".join([str(error.message), *details])


def _safe_next(request) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


# --- list and "follow-ups due" ---

def _is_head(request) -> bool:
    return request.user.has_role(Role.DEPT_HEAD)


def _list_form(request):
    labels = label_map(*LABEL_TABLES.values())
    form = OpportunityFilterForm(request.GET, labels=labels)
    form.labels = labels  # the rows' labels too: one query for both
    return form


def _export(actor, form, rows):
    return xlsx_response(excel.export_xlsx(actor=actor, filters=form.filters()), export_stem())


def _spec(key: str, template: str, **forced) -> lists.ListSpec:
    """A list of opportunities (core.lists); every filter is OpportunityFilters', `forced` ones included. The list
    shows no team, so the selector's prefetch of members is dropped (one query less)."""
    return lists.ListSpec(
        key=key, form=_list_form, template=template, partial="opportunities/_table.html",
        rows=lambda actor, form: form.apply(selectors.opportunity_list(
            actor=actor, filters=form.filters(**forced)).prefetch_related(None), actor),
        counted=lambda actor, form: selectors.opportunity_count(actor=actor, filters=form.filters(**forced)),
        export=_export, export_name="opportunities", url_name="opportunities:list",
        export_url_name="opportunities:export" if not forced else "")


OPPORTUNITY_LIST = _spec("opportunities", "opportunities/list.html")
DUE_LIST = _spec("opportunities_due", "opportunities/due.html", followup_due=True)


def _list_page(request, spec: lists.ListSpec):
    return lists.list_page(request, spec, decorate=lambda rows, form: _labels(rows, form.labels), context={
        "names": verbose_names(Opportunity), "today": timezone.localdate(), "is_head": _is_head(request),
        "exportable": spec is OPPORTUNITY_LIST})


@login_required
def opportunity_list(request):
    return _list_page(request, OPPORTUNITY_LIST)


@login_required
def follow_ups_due(request):
    return _list_page(request, DUE_LIST)


# --- board ---

def _board_context(request, *, error: str = "", notice: str = "") -> dict:
    stages = list(code_items(table="opportunity_stage"))
    columns = {s.code: {"code": s.code, "label": s.label, "probability": s.probability, "cards": [], "total": 0}
               for s in stages}
    labels = label_map("opportunity_stage")
    form = _list_form(request)
    cards = selectors.opportunity_list(actor=request.user, filters=form.filters(ordering="-updated_at")).filter(
        status__in=EDITABLE)
    for o in cards:
        o.editable = rules.can_move(request.user, o) is None
        column = columns.get(o.stage)
        if column is None:  # a stage deactivated since: its cards stay visible, in a column of their own
            column = columns[o.stage] = {"code": o.stage, "label": labels.get(("opportunity_stage", o.stage), o.stage),
                                         "probability": None, "cards": [], "total": 0, "inactive": True}
        column["cards"].append(o)
        column["total"] += o.estimated_amount
    return {"columns": list(columns.values()), "stages": stages, "error": error, "notice": notice,
            "is_head": _is_head(request), "form": form, "ordering": form.order, "list_key": BOARD_KEY,
            "filter_query": lists.filter_query(request.GET), "saved_filters": lists.saved_filters(request.user,
                                                                                                  BOARD_KEY)}


BOARD_KEY = "opportunity_board"
BOARD_LIST = lists.ListSpec(key=BOARD_KEY, form=_list_form, rows=None, template="", partial="")


@login_required
def board(request):
    if request.method == "POST":  # save or delete a saved filter of the board
        return lists.list_page(request, BOARD_LIST)
    return render(request, "opportunities/board.html", _board_context(request))


@login_required
@require_POST
def board_move(request, pk):
    """Move a card to another stage: the same service as the edit form, so the timeline records it."""
    opportunity = selectors.opportunity_get(actor=request.user, pk=pk)
    form = MoveForm(request.POST)
    error = notice = ""
    if not form.is_valid():
        error = _("Choose a stage.")
    elif form.cleaned_data["stage"] != opportunity.stage:
        try:
            opportunity = services.opportunity_update(actor=request.user, opportunity=opportunity,
                                                      version=form.cleaned_data["version"],
                                                      stage=form.cleaned_data["stage"])
        except ApplicationError as exc:
            error = _error_text(exc)
        else:
            notice = _("%(number)s moved to “%(stage)s”.") % {
                "number": opportunity.number,
                "stage": label_map("opportunity_stage").get(("opportunity_stage", opportunity.stage))}
    if request.htmx:
        return page_or_partial(request, "opportunities/board.html", "opportunities/_board.html",
                               _board_context(request, error=error, notice=notice))
    if error:
        messages.error(request, error)
    elif notice:
        messages.success(request, notice)
    query = lists.filter_query(request.GET)
    return redirect(reverse("opportunities:board") + (f"?{query}" if query else ""))


# --- detail and its actions ---

def _status_label(value) -> str:
    try:
        return OpportunityStatus(value).label
    except ValueError:
        return value or ""


def _timeline_rows(request, opportunity, labels, names) -> list:
    """The entries newest first, ready to show: code, status, customer and team values by their names."""
    entries = list(timeline.entries_for(opportunity))
    changes = [c for e in entries for c in (e.changes or {}).items()]
    user_ids = {i for field, pair in changes if field == "members" for v in pair for i in str(v or "").split(",") if i}
    customer_ids = {v for field, pair in changes if field == "customer" for v in pair if v}
    people = {str(u.pk): str(u) for u in user_list().filter(pk__in=user_ids)} if user_ids else {}
    customers = ({c.pk: c.name for c in customer_list(actor=request.user).filter(pk__in=customer_ids)}
                 if customer_ids else {})

    def shown(field, value):
        if value in (None, ""):
            return value
        if field in LABEL_TABLES:
            return labels.get((LABEL_TABLES[field], value), value)
        if field == "members":
            return join_list(people.get(i, i) for i in str(value).split(","))
        if field in CHOICES:  # a code of the record's own choices (outcome, status): its label
            return CHOICES[field].get(value, value)
        if field == "customer":
            return customers.get(value, value)
        return value

    return [{"at": e.at, "actor": e.actor, "action": e.action,
             "from_status": _status_label(e.from_status), "to_status": _status_label(e.to_status),
             "comment": e.comment,
             "changes": [{"field": names.get(field, field), "old": shown(field, old), "new": shown(field, new)}
                         for field, (old, new) in (e.changes or {}).items()]}
            for e in reversed(entries)]


def _action_forms(data=None, only: str | None = None) -> dict:
    makers = {
        "add_follow_up": lambda: FollowUpForm(data, prefix="follow_up"),
        "request_conversion": lambda: CommentForm(data, prefix="request_conversion", required=True),
        "convert": lambda: CommentForm(data, prefix="convert"),
        "keep_tracking": lambda: CommentForm(data, prefix="keep_tracking", required=True),
        "close": lambda: CloseForm(data, prefix="close"),
        "reopen": lambda: CommentForm(data, prefix="reopen"),
    }
    return {name: make() for name, make in makers.items() if only in (None, name)}


def _render_detail(request, opportunity, *, bound: dict | None = None, open_action: str = "", status: int = 200):
    labels = label_map(*LABEL_TABLES.values(), "followup_kind")
    names = verbose_names(Opportunity)
    allowed = rules.allowed_actions(request.user, opportunity)
    _labels([opportunity], labels)
    follow_ups = list(selectors.follow_ups(opportunity=opportunity))
    for f in follow_ups:
        f.kind_label = labels.get(("followup_kind", f.kind), f.kind)
    return render(request, "opportunities/detail.html", {
        "opportunity": opportunity, "names": names, "follow_ups": follow_ups,
        "follow_up_names": verbose_names(FollowUp),
        "members": list(opportunity.members.all()), "allowed": allowed,
        "has_decisions": bool(rules.DECISIONS.intersection(allowed)),
        "forms": {**_action_forms(), **(bound or {})}, "open_action": open_action,
        # a refused action whose form is not on the page (no longer allowed) still says why
        "action_error": " ".join(str(m) for f in (bound or {}).values() for e in f.errors.values() for m in e)
        if open_action and open_action not in allowed else "",
        "entries": _timeline_rows(request, opportunity, labels, names),
        "project": getattr(opportunity, "project", None),  # converted, and kept when the sale ended (closed)
    }, status=status)


@login_required
def opportunity_detail(request, pk):
    return _render_detail(request, selectors.opportunity_get(actor=request.user, pk=pk))


def _run(action: str, actor, opportunity, data: dict) -> str:
    """Call the action's service; answer the success message."""
    if action == "add_follow_up":
        services.follow_up_add(actor=actor, opportunity=opportunity, **data)
        return _("Follow-up saved.")
    if action == "request_conversion":
        services.opportunity_request_conversion(actor=actor, opportunity=opportunity, comment=data["comment"])
        return _("Conversion requested; your department head decides next.")
    if action == "convert":
        _o, project = services.opportunity_convert(actor=actor, opportunity=opportunity, comment=data["comment"])
        return _("Converted: project %(number)s was created.") % {"number": project.number}
    if action == "keep_tracking":
        services.opportunity_keep_tracking(actor=actor, opportunity=opportunity, comment=data["comment"])
        return _("Sent back to tracking.")
    if action == "close":
        services.opportunity_close(actor=actor, opportunity=opportunity, reason=data["reason"],
                                   comment=data["comment"])
        return _("Opportunity closed.")
    if action == "reopen":
        services.opportunity_reopen(actor=actor, opportunity=opportunity, comment=data["comment"])
        return _("Opportunity reopened.")
    raise Http404


@login_required
@require_POST
def opportunity_action(request, pk, action):
    """One POST endpoint per action (add follow-up, request conversion, convert, keep tracking, close, reopen)."""
    next_url = _safe_next(request)

    def page(opportunity, *, error, status, forms):
        form = forms[action]
        if next_url:  # from the queue: say what went wrong there
            problems = [f"{form.fields[name].label}: {m}" if name in form.fields else str(m)
                        for name, errors in form.errors.items() for m in errors]
            messages.error(request, " ".join(problems))
            return redirect(next_url)
        return _render_detail(request, opportunity, bound={action: form}, open_action=action, status=status)

    return form_action(
        request, load=lambda: selectors.opportunity_get(actor=request.user, pk=pk),
        bind=lambda _opportunity: _action_forms(request.POST, only=action)[action],
        run=lambda opportunity, form: _run(action, request.user, opportunity, form.cleaned_data),
        page=page, redirect_to=next_url or reverse("opportunities:detail", args=[pk]),
        message=lambda notice: notice, form_name=action)


# --- create and edit ---

@login_required
def opportunity_create(request):
    refuse(rules.can_create(request.user))  # a read-only role gets no form to fill in vain
    customer = request.GET.get("customer", "")
    form = OpportunityForm(request.POST or None, actor=request.user,
                           initial={"customer_id": customer} if customer.isdigit() else None)
    status = 400 if request.method == "POST" else 200  # re-shown with errors: the form's, or the service's below
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(actor=request.user, **form.create_data())
        except ApplicationError as error:
            apply_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Opportunity %(number)s created.") % {"number": opportunity.number})
            return redirect("opportunities:detail", pk=opportunity.pk)
    return render(request, "opportunities/form.html", {"form": form}, status=status)


@login_required
def opportunity_edit(request, pk):
    opportunity = selectors.opportunity_get(actor=request.user, pk=pk)
    refuse(rules.can_edit(request.user, opportunity))
    form = OpportunityForm(request.POST or None, actor=request.user, opportunity=opportunity)
    stale = False
    status = 400 if request.method == "POST" else 200  # re-shown with errors: the form's, or the service's below
    if request.method == "POST" and form.is_valid():
        changes = form.update_data()
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("opportunities:detail", pk=pk)
        try:
            services.opportunity_update(actor=request.user, opportunity=opportunity,
                                        version=form.cleaned_data["version"], **changes)
        except ApplicationError as error:
            apply_error(form, error)
            stale, status = error.status == 409, error.status
        else:
            messages.success(request, _("Opportunity %(number)s saved.") % {"number": opportunity.number})
            return redirect("opportunities:detail", pk=pk)
    return render(request, "opportunities/form.html", {"form": form, "opportunity": opportunity, "stale": stale},
                  status=status)


# --- department head's queue ---

@role_required(Role.DEPT_HEAD)
def conversion_queue(request):
    queue = _labels(list(selectors.conversion_queue(actor=request.user)), label_map(*LABEL_TABLES.values()))
    return render(request, "opportunities/queue.html", {
        "queue": queue, "names": verbose_names(Opportunity), "is_head": True,
        "close_reasons": code_options("close_reason")["close_reason"],
    })
