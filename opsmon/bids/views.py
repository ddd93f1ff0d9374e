"""Bid pages: list, registration, the detail page with everything a bid carries, one POST per action, and the
bond register. Views parse, call one selector or service, render; a refusal re-renders with its status."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsmon.accounts.selectors import department_tree
from opsmon.codes.selectors import label_map
from opsmon.core import timeline
from opsmon.core.errors import ApplicationError, Malformed, NotFound
from opsmon.core.files import PREVIEWABLE, file_response
from opsmon.core.forms import verbose_names
from opsmon.core.web import apply_error
from opsmon.opportunities.selectors import visible_opportunities

from . import permissions, report, selectors, services
from .choices import FINISHED, TRANSITIONS, BidStatus, BondKind, BondStatus
from .forms import (
    BidFilterForm,
    BondFilterForm,
    BondForm,
    DocumentForm,
    ReasonForm,
    RegisterForm,
    SummaryForm,
    TenderAnalysisForm,
    bond_action_form,
    opening_forms,
)
from .models import Bid, BidOpening, BidSummary, Bond, OpeningEntry

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE_TABLES = ("tender_method", "scoring_method", "currency", "bond_method")
REGISTER_ROLES = ("bid_assistant", "sales_rep", "dept_head")

ACTION_LABELS = {
    "bid.registered": gettext_lazy("Registered"),
    "bid.updated": gettext_lazy("Renamed"),
    "bid.analysis_saved": gettext_lazy("Tender analysis saved"),
    "bid.document_uploaded": gettext_lazy("Document uploaded"),
    "bid.start_preparation": gettext_lazy("Preparation started"),
    "bid.submit": gettext_lazy("Bid submitted"),
    "bid.abandon": gettext_lazy("Abandoned"),
    "bid.record_opening": gettext_lazy("Opening recorded"),
    "bid.mark_won": gettext_lazy("Marked as won"),
    "bid.mark_lost": gettext_lazy("Marked as lost"),
    "bid.summary_filed": gettext_lazy("Summary report filed"),
    "bid.summary_updated": gettext_lazy("Summary report updated"),
    "bid.closed": gettext_lazy("Closed"),
    "bond.planned": gettext_lazy("Bond planned"),
    "bond.pay": gettext_lazy("Bond paid"),
    "bond.refund": gettext_lazy("Bond refunded"),
    "bond.forfeit": gettext_lazy("Bond forfeited"),
    "bond.convert_to_performance": gettext_lazy("Bond converted to the performance bond"),
}
ANALYSIS_STATES = frozenset({BidStatus.REGISTERED, BidStatus.PREPARING, BidStatus.SUBMITTED})


def _reverse(name: str, pk) -> str:
    """The URL of another module's page, or "" while that page does not exist (the number is shown as text)."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


# --- list and registration ---------------------------------------------------------------------------

@login_required
def bid_list(request):
    form = BidFilterForm(request.GET)
    page = Paginator(selectors.bid_list(actor=request.user, **form.selector_args()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    htmx = request.htmx
    partial = htmx and not htmx.boosted and not htmx.history_restore_request
    response = render(request, "bids/_table.html" if partial else "bids/list.html", {
        "form": form, "page": page, "names": verbose_names(Bid),
        "can_register": request.user.has_role(*REGISTER_ROLES)})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _registrable_opportunities(user):
    """The opportunities the register form offers: any open one to the bid assistant, else the visible ones."""
    from opsmon.opportunities.models import Opportunity

    scope = Opportunity.objects.all() if user.has_role("bid_assistant") else Opportunity.objects.filter(
        pk__in=visible_opportunities(user).values("pk"))
    return scope.exclude(status="closed").select_related("customer").order_by("-created_at", "-id")


@login_required
def bid_register(request):
    """Register (备案) a bid directly against an opportunity; the service decides who may."""
    preset = request.GET.get("opportunity", "")
    form = RegisterForm(request.POST or None, opportunities=_registrable_opportunities(request.user),
                        initial={"opportunity": preset} if preset.isdigit() else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            opportunity = selectors.registrable_opportunity(actor=request.user, pk=form.cleaned_data["opportunity"])
            project = getattr(opportunity, "project", None) if opportunity.status == "converted" else None
            try:
                bid = services.bid_register(actor=request.user, opportunity=opportunity,
                                            title=form.cleaned_data["title"],
                                            project_id=project.pk if project else None)
            except ApplicationError as error:
                apply_error(form, error)
                status = error.status
            else:
                messages.success(request, _("Bid %(number)s registered.") % {"number": bid.number})
                return redirect("bids:detail", pk=bid.pk)
        else:
            status = 400
    return render(request, "bids/register.html", {"form": form}, status=status)


# --- detail ------------------------------------------------------------------------------------------

def available_actions(user, bid: Bid, *, summary, contracts) -> dict:
    """Which panels and buttons to show; the services still decide on every POST."""
    work = permissions.can_work(user, bid)
    results = permissions.can_record_results(user, bid)
    keeper = permissions.can_keep_bonds(user)
    live = not bid.closed and not bid.voided
    status = bid.status

    def may(action):
        return status in TRANSITIONS[action][0]

    actions = {
        "analysis": work and live and status in ANALYSIS_STATES,
        "start_preparation": work and live and may("start_preparation"),
        "submit": work and live and may("submit"),
        "abandon": work and live and may("abandon"),
        "opening": results and live and may("record_opening"),
        "result": results and live and may("mark_won"),
        "summary": results and not bid.closed and status in FINISHED,
        "close": results and not bid.closed and status in FINISHED and summary is not None,
        "create_contract": results and status == BidStatus.WON and not contracts,
        "upload": (work and live) or (not live and user.has_role("bid_assistant")),
        "keep_bonds": keeper,
        "plan_bond": keeper and live,
    }
    actions["workflow"] = any(actions[a] for a in ("start_preparation", "submit", "abandon", "result", "close",
                                                   "create_contract"))
    return actions


def _timeline(bid, bonds) -> list[dict]:
    """The bid's entries and its bonds', newest first."""
    statuses = {**dict(BidStatus.choices), **dict(BondStatus.choices)}
    entries = list(timeline.entries_for(bid))
    for bond in bonds:
        entries += list(timeline.entries_for(bond))
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return [{"at": e.at, "actor": e.actor, "action": ACTION_LABELS.get(e.action, e.action),
             "from_status": statuses.get(e.from_status, e.from_status),
             "to_status": statuses.get(e.to_status, e.to_status), "comment": e.comment} for e in entries]


def _document_groups(bid) -> list[dict]:
    """Documents grouped by kind and name, every version of each, newest first."""
    groups = []
    for (_kind, name), versions in groupby(selectors.documents(bid), key=lambda d: (d.kind, d.name)):
        versions = list(versions)
        for d in versions:
            d.previewable = d.file.kind in PREVIEWABLE
        groups.append({"kind": versions[0].get_kind_display(), "name": name, "versions": versions})
    return groups


def _bond_actions(bond, bid, keeper: bool) -> list[str]:
    if not keeper:
        return []
    if bond.status == BondStatus.PLANNED:
        return ["pay"]
    if bond.status == BondStatus.PAID:
        convert = ["convert"] if bond.kind == BondKind.BID and bid.status == BidStatus.WON else []
        return ["refund", "forfeit", *convert]
    return []


def _bonds(user, bid, labels, bound: dict) -> list:
    today = timezone.localdate()
    keeper = permissions.can_keep_bonds(user)
    bonds = list(selectors.bond_list(actor=user, bid=bid))
    for bond in bonds:
        bond.bid = bid  # the page's bid: its status and contracts decide the warnings and due dates
        bond.method_label = labels.get(("bond_method", bond.method), bond.method)
        bond.refund_due = selectors.refund_due_on(bond)
        bond.overdue = bool(bond.refund_due and bond.refund_due < today)
        bond.warnings = services.bond_warnings(bond)
        bond.actions = [(a, bound.get((bond.pk, a)) or bond_action_form(a, bond))
                        for a in _bond_actions(bond, bid, keeper)]
        bond.open_action = next((a for (pk, a) in bound if pk == bond.pk), "")
    return bonds


def _opening_rows(form, formset) -> list[dict]:
    """Each row of the opening table with whether its "us" and "winner" radios are checked."""
    us, winner = str(form["us"].value()), str(form["winner"].value())
    return [{"form": f, "index": i, "us": us == str(i), "winner": winner == str(i)}
            for i, f in enumerate(formset.forms)]


def _detail(request, bid, *, error: ApplicationError | None = None, status: int = 200, forms: dict | None = None,
            bond_forms: dict | None = None):
    """The detail page; on a refusal `error` is shown on top and the failing form keeps its input and errors."""
    forms = forms or {}
    user = request.user
    summary = BidSummary.objects.filter(bid=bid).first()
    contracts = list(bid.contracts.order_by("id"))
    actions = available_actions(user, bid, summary=summary, contracts=contracts)
    labels = label_map(*CODE_TABLES)
    opening = BidOpening.objects.filter(bid=bid).first()
    bonds = _bonds(user, bid, labels, bond_forms or {})
    opening_form, opening_formset = forms.get("opening") or opening_forms(bid)
    context = {
        "bid": bid, "error": error, "actions": actions, "names": verbose_names(Bid),
        "bond_names": verbose_names(Bond), "entry_names": verbose_names(OpeningEntry),
        "summary_names": verbose_names(BidSummary), "opening_names": verbose_names(BidOpening),
        "labels": {f: labels.get((f, getattr(bid, f)), getattr(bid, f))
                   for f in ("tender_method", "scoring_method", "currency")},
        "opportunity_url": _reverse("opportunities:detail", bid.opportunity_id),
        "project_url": _reverse("projects:detail", bid.project_id) if bid.project_id else "",
        "contracts": [{"number": c.number, "url": _reverse("contracts:detail", c.pk)} for c in contracts],
        "summary": summary, "opening": opening, "entries": list(opening.entries.all()) if opening else [],
        "documents": _document_groups(bid), "bonds": bonds, "money_out": selectors.money_out(
            selectors.bond_list(actor=user, bid=bid)),
        "timeline": _timeline(bid, bonds),
        "analysis_form": forms.get("analysis") or TenderAnalysisForm(bid=bid),
        "abandon_form": forms.get("abandon") or ReasonForm(prefix="abandon"),
        "document_form": forms.get("document") or DocumentForm(only_result=bid.voided or bid.closed),
        "opening_form": opening_form, "opening_formset": opening_formset,
        "opening_rows": _opening_rows(opening_form, opening_formset),
        "summary_form": forms.get("summary") or SummaryForm(initial=SummaryForm.initial_for(summary)),
        "bond_form": forms.get("bond") or BondForm(),
    }
    return render(request, "bids/detail.html", context, status=status)


@login_required
def bid_detail(request, pk):
    return _detail(request, selectors.bid_get(actor=request.user, pk=pk))


def _refused(request, pk, error: ApplicationError, name: str | None = None, form=None, **extra):
    """A refused action: reload the unchanged bid and show why, next to the field when one is named."""
    if form is not None and not isinstance(form, tuple):
        apply_error(form, error)
    bid = selectors.bid_get(actor=request.user, pk=pk)
    return _detail(request, bid, error=error, status=error.status, forms={name: form} if name else None, **extra)


def _malformed(request, bid, name: str | None = None, form=None, **extra):
    error = Malformed(_("Some fields are not valid."))
    return _detail(request, bid, error=error, status=400, forms={name: form} if name else None, **extra)


def _done(request, bid, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(reverse("bids:detail", args=[bid.pk]) + (f"#{anchor}" if anchor else ""))


# --- tender analysis and workflow ---------------------------------------------------------------------

@require_POST
@login_required
def tender_analysis(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form = TenderAnalysisForm(request.POST, bid=bid)
    if not form.is_valid():
        return _malformed(request, bid, "analysis", form)
    changes = form.changes()
    if not changes:
        messages.info(request, _("Nothing was changed."))
        return redirect("bids:detail", pk=pk)
    bid.version = form.cleaned_data["version"]  # the version the form was read at: a stale form is refused
    try:
        services.tender_analysis_save(actor=request.user, bid=bid, **changes)
    except ApplicationError as error:
        return _refused(request, pk, error, "analysis", form)
    return _done(request, bid, _("The tender analysis was saved."), "analysis")


WORKFLOW = {
    "start_preparation": (services.bid_start_preparation, gettext_lazy("%(number)s: preparation started.")),
    "submit": (services.bid_submit, gettext_lazy("%(number)s was submitted.")),
    "mark_won": (services.bid_mark_won, gettext_lazy("%(number)s was marked as won.")),
    "mark_lost": (services.bid_mark_lost, gettext_lazy("%(number)s was marked as lost.")),
    "close": (services.bid_close, gettext_lazy("%(number)s was closed.")),
}


@require_POST
@login_required
def bid_action(request, pk, action):
    """The actions without input: start preparation, submit, mark won, mark lost, close."""
    if action not in WORKFLOW:
        raise Http404
    service, message = WORKFLOW[action]
    bid = selectors.bid_get(actor=request.user, pk=pk)
    try:
        bid = service(actor=request.user, bid=bid)
    except ApplicationError as error:
        return _refused(request, pk, error)
    return _done(request, bid, str(message) % {"number": bid.number})


@require_POST
@login_required
def abandon(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form = ReasonForm(request.POST, prefix="abandon")
    if not form.is_valid():
        return _malformed(request, bid, "abandon", form)
    try:
        bid = services.bid_abandon(actor=request.user, bid=bid, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        return _refused(request, pk, error, "abandon", form)
    return _done(request, bid, _("%(number)s was abandoned.") % {"number": bid.number})


@require_POST
@login_required
def create_contract(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    try:
        contract = services.bid_create_contract(actor=request.user, bid=bid)
    except ApplicationError as error:
        return _refused(request, pk, error)
    return _done(request, bid, _("Contract %(number)s was drafted from this bid.") % {"number": contract.number})


# --- documents ---------------------------------------------------------------------------------------

@require_POST
@login_required
def document_upload(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form = DocumentForm(request.POST, request.FILES, only_result=bid.voided or bid.closed)
    if not form.is_valid():
        return _malformed(request, bid, "document", form)
    try:
        doc = services.document_upload(actor=request.user, bid=bid, kind=form.cleaned_data["kind"],
                                       upload=form.cleaned_data["file"])
    except ApplicationError as error:
        return _refused(request, pk, error, "document", form)
    return _done(request, bid, _("%(name)s was uploaded as version %(version)s.")
                 % {"name": doc.name, "version": doc.version}, "documents")


def _document_file(request, pk, *, inline: bool):
    doc = selectors.document_get(actor=request.user, pk=pk)  # the permission check: 404 when not visible
    return file_response(doc.file, inline=inline)


@login_required
def document_download(request, pk):
    return _document_file(request, pk, inline=False)


@login_required
def document_preview(request, pk):
    return _document_file(request, pk, inline=True)


# --- opening and summary -----------------------------------------------------------------------------

def _place_opening_errors(form, formset, rows: list[int], error: ApplicationError) -> None:
    """Row errors ("entries.2.rank") go to the row the user typed; the rest on the opening form."""
    rest = {}
    for key, messages_ in error.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "entries" and parts[1].isdigit() and int(parts[1]) < len(rows):
            row = formset.forms[rows[int(parts[1])]]
            for message in messages_:
                row.add_error(parts[2] if parts[2] in row.fields else None, message)
        else:
            rest[key] = messages_
    for key, messages_ in rest.items():
        for message in messages_:
            form.add_error(key if key in form.fields else None, message)
    if not error.fields:
        form.add_error(None, str(error.message))


@require_POST
@login_required
def opening(request, pk):
    """Record or correct the opening; blank rows are ignored, `us` and `winner` name rows."""
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form, formset = opening_forms(bid, request.POST)
    if not (form.is_valid() and formset.is_valid()):
        return _malformed(request, bid, "opening", (form, formset))
    rows = [i for i, row in enumerate(formset.forms) if not row.is_blank()]
    us, winner_row = form.cleaned_data["us"], form.cleaned_data["winner"]
    entries = [{**{f: formset.forms[i].cleaned_data.get(f) for f in ("bidder", "price", "score", "rank")},
                "is_us": i == us} for i in rows]
    winner = formset.forms[winner_row].cleaned_data.get("bidder", "") if winner_row in rows else ""
    try:
        services.opening_record(actor=request.user, bid=bid, opened_at=form.cleaned_data["opened_at"],
                                entries=entries, winner=winner)
    except ApplicationError as error:
        _place_opening_errors(form, formset, rows, error)
        return _refused(request, pk, error, "opening", (form, formset))
    return _done(request, bid, _("The opening record was saved."), "opening")


@require_POST
@login_required
def summary(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form = SummaryForm(request.POST)
    if not form.is_valid():
        return _malformed(request, bid, "summary", form)
    try:
        services.summary_save(actor=request.user, bid=bid, **form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, pk, error, "summary", form)
    return _done(request, bid, _("The summary report was saved."), "summary")


@login_required
def summary_docx(request, pk):
    """The summary report (投标总结报告) as Word, for a visible bid that has one."""
    bid = selectors.bid_get(actor=request.user, pk=pk)
    if not BidSummary.objects.filter(bid=bid).exists():
        raise NotFound(_("This bid has no summary report yet."))
    response = HttpResponse(report.summary_docx(bid), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{bid.number}-summary.docx"'
    return response


# --- bonds -------------------------------------------------------------------------------------------

@require_POST
@login_required
def bond_create(request, pk):
    bid = selectors.bid_get(actor=request.user, pk=pk)
    form = BondForm(request.POST)
    if not form.is_valid():
        return _malformed(request, bid, "bond", form)
    try:
        bond = services.bond_create(actor=request.user, bid=bid, **form.cleaned_data)
    except ApplicationError as error:
        return _refused(request, pk, error, "bond", form)
    return _done(request, bid, _("%(kind)s of %(amount)s %(currency)s planned.")
                 % {"kind": bond.get_kind_display(), "amount": f"{bond.amount:,.2f}", "currency": bond.currency},
                 "bonds")


def _run_bond(action: str, actor, bond, data: dict) -> Bond:
    if action == "pay":
        return services.bond_pay(actor=actor, bond=bond, **data)
    if action == "refund":
        return services.bond_refund(actor=actor, bond=bond, **data)
    if action == "forfeit":
        return services.bond_forfeit(actor=actor, bond=bond, **data)
    return services.bond_convert_to_performance(actor=actor, bond=bond)


BOND_MESSAGES = {
    "pay": gettext_lazy("The bond was recorded as paid."),
    "refund": gettext_lazy("The refund was recorded."),
    "forfeit": gettext_lazy("The bond was recorded as forfeited."),
    "convert": gettext_lazy("The bid bond became the performance bond."),
}


@require_POST
@login_required
def bond_action(request, pk, action):
    """Pay, refund, forfeit or convert one bond; a refusal re-renders its bid with the bond's form open."""
    if action not in BOND_MESSAGES:
        raise Http404
    bond = selectors.bond_get(actor=request.user, pk=pk)
    bid = selectors.bid_get(actor=request.user, pk=bond.bid_id)
    form = bond_action_form(action, bond, request.POST)
    if not form.is_valid():
        return _malformed(request, bid, bond_forms={(bond.pk, action): form})
    try:
        _run_bond(action, request.user, bond, form.cleaned_data)
    except ApplicationError as error:
        apply_error(form, error)
        return _refused(request, bid.pk, error, bond_forms={(bond.pk, action): form})
    return _done(request, bid, str(BOND_MESSAGES[action]), "bonds")


def _bond_filters(request):
    return BondFilterForm(request.GET, departments=department_tree())


@login_required
def bond_register(request):
    """The bond register (保证金台账): every bond the user may see, filtered, with the money still out."""
    form = _bond_filters(request)
    bonds = selectors.bond_list(actor=request.user, **form.selector_args())
    page = Paginator(bonds, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = label_map("bond_method")
    today = timezone.localdate()
    for bond in page.object_list:
        bond.method_label = labels.get(("bond_method", bond.method), bond.method)
        bond.refund_due = selectors.refund_due_on(bond)
        bond.overdue = bool(bond.refund_due and bond.refund_due < today)
    query = request.GET.copy()
    query.pop("page", None)
    htmx = request.htmx
    partial = htmx and not htmx.boosted and not htmx.history_restore_request
    response = render(request, "bids/_bond_table.html" if partial else "bids/bond_register.html", {
        "form": form, "page": page, "money_out": selectors.money_out(bonds), "names": verbose_names(Bond),
        "export_url": reverse("bids:bond_export") + (f"?{query.urlencode()}" if query else "")})
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def bond_export(request):
    """The filtered, visible bonds as Excel."""
    bonds = selectors.bond_list(actor=request.user, **_bond_filters(request).selector_args())
    response = HttpResponse(report.bonds_xlsx(bonds), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bonds.xlsx"'
    return response
