"""Bid pages: list, registration, the detail page with everything a bid carries, one POST per action, and the
bond register. Views parse, call one selector or service, render; the buttons are the rules' allowed actions and
a refusal re-renders the page with its status (core.web.form_action)."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsmon.codes.selectors import label_map
from opsmon.core import links, lists, timeline
from opsmon.core.errors import ApplicationError, NotFound
from opsmon.core.files import PREVIEWABLE, file_response
from opsmon.core.forms import verbose_names
from opsmon.core.money import format_money
from opsmon.core.web import apply_error, form_action
from opsmon.resources.selectors import used_of

from . import hooks, report, rules, selectors, services
from .choices import BidStatus, BondStatus
from .forms import (
    BidFilterForm,
    BondFilterForm,
    BondForm,
    DocumentForm,
    OpeningInput,
    ReasonForm,
    RegisterForm,
    SummaryForm,
    TenderAnalysisForm,
    bond_action_form,
)
from .models import Bid, BidOpening, BidSummary, Bond, OpeningEntry

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CODE_TABLES = ("tender_method", "scoring_method", "currency", "bond_method")
# The buttons of the actions card; with none of them, the card says there is nothing to do.
WORKFLOW_BUTTONS = ("start_preparation", "submit", "mark_won", "mark_lost", "create_contract", "close", "abandon")


# --- list and registration ---------------------------------------------------------------------------

def _bid_columns() -> list:
    names = verbose_names(Bid)
    statuses = dict(BidStatus.choices)

    def head(field):
        return capfirst(names[field])

    return [lists.Column(head("number"), lambda b: b.number), lists.Column(head("title"), lambda b: b.title),
            lists.Column(_("Customer"), lambda b: b.opportunity.customer.name),
            lists.Column(head("status"), lambda b: str(statuses.get(b.status, b.status))),
            lists.Column(head("tender_no"), lambda b: b.tender_no),
            lists.Column(head("tenderer"), lambda b: b.tenderer),
            lists.Column(head("submission_deadline"), lambda b: b.submission_deadline),
            lists.Column(head("estimated_price"), lambda b: b.estimated_price),
            lists.Column(head("currency"), lambda b: b.currency),
            lists.Column(head("owner"), lambda b: str(b.owner)),
            lists.Column(head("department"), lambda b: b.department.name),
            lists.Column(head("created_at"), lambda b: b.created_at)]


BID_LIST = lists.ListSpec(
    key="bids", template="bids/list.html", partial="bids/_table.html",
    form=lambda request: BidFilterForm(request.GET, owners=lists.people(), departments=lists.departments()),
    rows=lambda actor, form: form.apply(selectors.bid_list(actor=actor), actor),
    export_columns=_bid_columns, export_name="bids")


@login_required
def bid_list(request):
    return lists.list_page(request, BID_LIST, context={"names": verbose_names(Bid),
                                                       "can_register": rules.may_register(request.user)})


@login_required
def bid_register(request):
    """Register (备案) a bid directly against an opportunity; the service decides who may."""
    preset = request.GET.get("opportunity", "")
    chosen = request.POST.get("opportunity", "") if request.method == "POST" else preset
    form = RegisterForm(request.POST or None, initial={"opportunity": preset} if preset.isdigit() else None,
                        opportunities=selectors.registrable_opportunities(request.user, ids=[chosen]))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opportunity = selectors.registrable_opportunity(actor=request.user,
                                                                pk=form.cleaned_data["opportunity"])
                project = getattr(opportunity, "project", None) if opportunity.status == "converted" else None
                bid = services.bid_register(actor=request.user, opportunity=opportunity,
                                            title=form.cleaned_data["title"],
                                            project_id=project.pk if project else None)
            except NotFound as error:  # outside his scope: said next to the picker, the input kept
                form.add_error("opportunity", _("Pick an opportunity you can see."))
                status = error.status
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

def _timeline(bid, bonds) -> list[dict]:
    """The bid's entries and its bonds', newest first, with the registry's labels (core.events)."""
    statuses = {**dict(BidStatus.choices), **dict(BondStatus.choices)}
    entries = list(timeline.entries_for(bid))
    for bond in bonds:
        entries += list(timeline.entries_for(bond))
    entries.sort(key=lambda e: (e.at, e.id), reverse=True)
    return [{"at": e.at, "actor": e.actor, "action": e.action,
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


def _bonds(user, bid, labels, bound: dict) -> list:
    today = timezone.localdate()
    bonds = list(selectors.bond_list(actor=user, bid=bid))
    for bond in bonds:
        bond.bid = bid  # the page's bid: its status and contracts decide the warnings, due dates and conversion
        bond.method_label = labels.get(("bond_method", bond.method), bond.method)
        bond.refund_due = selectors.refund_due_on(bond)
        bond.overdue = bool(bond.refund_due and bond.refund_due < today)
        bond.warnings = services.bond_warnings(bond)
        bond.actions = [(a, bound.get((bond.pk, a)) or bond_action_form(a, bond))
                        for a in rules.bond_allowed_actions(user, bond)]
        bond.open_action = next((a for (pk, a) in bound if pk == bond.pk), "")
    return bonds


def _opening_rows(form, formset) -> list[dict]:
    """Each row of the opening table with whether its "us" and "winner" radios are checked."""
    us, winner = str(form["us"].value()), str(form["winner"].value())
    return [{"form": f, "index": i, "us": us == str(i), "winner": winner == str(i)}
            for i, f in enumerate(formset.forms)]


def _submit_hint(user, bid, allowed: list[str]) -> str:
    """Why a bid in preparation cannot be handed in yet (no deadline, or it passed), for who works on it."""
    if "submit" in allowed or bid.status != BidStatus.PREPARING:
        return ""
    refusal = rules.can_submit(user, bid)
    return str(refusal.message) if refusal is not None and refusal.status != 403 else ""


def _detail(request, bid, *, error: ApplicationError | None = None, status: int = 200, forms: dict | None = None,
            bond_forms: dict | None = None):
    """The detail page; on a refusal `error` is shown on top and the failing form keeps its input and errors."""
    forms = forms or {}
    user = request.user
    allowed = rules.allowed_actions(user, bid)
    actions = dict.fromkeys(allowed, True)
    actions["workflow"] = any(a in actions for a in WORKFLOW_BUTTONS)
    summary = BidSummary.objects.filter(bid=bid).first()
    contracts = list(bid.contracts.order_by("id"))
    contract_urls = links.urls_for(user, contracts)
    labels = label_map(*CODE_TABLES)
    opening = BidOpening.objects.filter(bid=bid).first()
    bonds = _bonds(user, bid, labels, bond_forms or {})
    opening_input = forms.get("opening") or OpeningInput(bid)
    logged = used_of(bid.project) if bid.project_id else None  # resources invested, as logged (prefill)
    context = {
        "bid": bid, "error": error, "actions": actions, "allowed_actions": allowed,
        "submit_hint": _submit_hint(user, bid, allowed), "names": verbose_names(Bid),
        "bond_names": verbose_names(Bond), "entry_names": verbose_names(OpeningEntry),
        "summary_names": verbose_names(BidSummary), "opening_names": verbose_names(BidOpening),
        "labels": {f: labels.get((f, getattr(bid, f)), getattr(bid, f))
                   for f in ("tender_method", "scoring_method", "currency")},
        "opportunity_url": links.url_for(user, bid.opportunity),
        "project_url": links.url_for(user, bid.project),
        "contracts": [{"number": c.number, "url": contract_urls.get(c.pk, "")} for c in contracts],
        "summary": summary, "opening": opening, "entries": list(opening.entries.all()) if opening else [],
        "documents": _document_groups(bid), "bonds": bonds, "money_out": selectors.money_out(
            selectors.bond_list(actor=user, bid=bid)),
        "timeline": _timeline(bid, bonds),
        "analysis_form": forms.get("analysis") or TenderAnalysisForm(bid=bid),
        "abandon_form": forms.get("abandon") or ReasonForm(prefix="abandon"),
        "document_form": forms.get("document") or DocumentForm(only_result=bid.voided or bid.closed),
        "opening_form": opening_input.form, "opening_formset": opening_input.formset,
        "opening_rows": _opening_rows(opening_input.form, opening_input.formset),
        "logged": logged,
        "summary_form": forms.get("summary") or SummaryForm(initial=SummaryForm.initial_for(summary, logged)),
        "bond_form": forms.get("bond") or BondForm(),
        "sections": [s for s in hooks.detail_sections(request=request, bid=bid) if s],  # higher modules' parts
    }
    return render(request, "bids/detail.html", context, status=status)


@login_required
def bid_detail(request, pk):
    return _detail(request, selectors.bid_get(actor=request.user, pk=pk))


def _bid_action(request, pk, *, run, message, bind=None, form_name="form", anchor=""):
    """One POST action of the bid page (core.web.form_action): the bid through its selector (404 outside the
    viewer's scope), one service, then back to the page (at `anchor`) or the page again with the refusal."""
    return form_action(
        request, load=lambda: selectors.bid_get(actor=request.user, pk=pk), bind=bind, run=run,
        page=lambda bid, *, error, status, forms: _detail(request, bid, error=error, status=status, forms=forms),
        redirect_to=reverse("bids:detail", args=[pk]) + (f"#{anchor}" if anchor else ""), message=message,
        form_name=form_name)


# --- tender analysis and workflow ---------------------------------------------------------------------

def _save_analysis(request, bid, form):
    changes = form.changes()
    if not changes:
        return None
    bid.version = form.cleaned_data["version"]  # the version the form was read at: a stale form is refused
    return services.tender_analysis_save(actor=request.user, bid=bid, **changes)


@require_POST
@login_required
def tender_analysis(request, pk):
    return _bid_action(
        request, pk, bind=lambda bid: TenderAnalysisForm(request.POST, bid=bid), form_name="analysis",
        run=lambda bid, form: _save_analysis(request, bid, form), anchor="analysis",
        message=lambda saved: _("The tender analysis was saved.") if saved else _("Nothing was changed."))


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
    return _bid_action(request, pk, run=lambda bid, _form: service(actor=request.user, bid=bid),
                       message=lambda bid: str(message) % {"number": bid.number})


@require_POST
@login_required
def abandon(request, pk):
    return _bid_action(
        request, pk, bind=lambda bid: ReasonForm(request.POST, prefix="abandon"), form_name="abandon",
        run=lambda bid, form: services.bid_abandon(actor=request.user, bid=bid, reason=form.cleaned_data["reason"]),
        message=lambda bid: _("%(number)s was abandoned.") % {"number": bid.number})


@require_POST
@login_required
def create_contract(request, pk):
    return _bid_action(
        request, pk, run=lambda bid, _form: services.bid_create_contract(actor=request.user, bid=bid),
        message=lambda contract: _("Contract %(number)s was drafted from this bid.") % {"number": contract.number})


# --- documents ---------------------------------------------------------------------------------------

@require_POST
@login_required
def document_upload(request, pk):
    return _bid_action(
        request, pk, form_name="document", anchor="documents",
        bind=lambda bid: DocumentForm(request.POST, request.FILES, only_result=bid.voided or bid.closed),
        run=lambda bid, form: services.document_upload(actor=request.user, bid=bid, kind=form.cleaned_data["kind"],
                                                       upload=form.cleaned_data["file"]),
        message=lambda doc: _("%(name)s was uploaded as version %(version)s.")
        % {"name": doc.name, "version": doc.version})


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

@require_POST
@login_required
def opening(request, pk):
    """Record or correct the opening; blank rows are ignored, `us` and `winner` name rows."""
    return _bid_action(
        request, pk, bind=lambda bid: OpeningInput(bid, request.POST), form_name="opening", anchor="opening",
        run=lambda bid, given: services.opening_record(actor=request.user, bid=bid,
                                                       opened_at=given.form.cleaned_data["opened_at"],
                                                       entries=given.entries(), winner=given.winner()),
        message=_("The opening record was saved."))


@require_POST
@login_required
def summary(request, pk):
    return _bid_action(
        request, pk, bind=lambda bid: SummaryForm(request.POST), form_name="summary", anchor="summary",
        run=lambda bid, form: services.summary_save(actor=request.user, bid=bid, **form.cleaned_data),
        message=_("The summary report was saved."))


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
    return _bid_action(
        request, pk, bind=lambda bid: BondForm(request.POST), form_name="bond", anchor="bonds",
        run=lambda bid, form: services.bond_create(actor=request.user, bid=bid, **form.cleaned_data),
        message=lambda bond: _("%(kind)s of %(amount)s planned.")
        % {"kind": bond.get_kind_display(), "amount": format_money(bond.amount, bond.currency)})


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
    "convert_to_performance": gettext_lazy("The bid bond became the performance bond."),
}


@require_POST
@login_required
def bond_action(request, pk, action):
    """Pay, refund, forfeit or convert one bond; a refusal re-renders its bid with the bond's form open."""
    if action not in BOND_MESSAGES:
        raise Http404
    bond = selectors.bond_get(actor=request.user, pk=pk)

    def page(bond, *, error, status, forms):
        bid = selectors.bid_get(actor=request.user, pk=bond.bid_id)
        return _detail(request, bid, error=error, status=status, bond_forms={(bond.pk, action): forms["bond"]})

    return form_action(
        request, load=lambda: selectors.bond_get(actor=request.user, pk=pk), form_name="bond",
        bind=lambda bond: bond_action_form(action, bond, request.POST),
        run=lambda bond, form: _run_bond(action, request.user, bond, form.cleaned_data), page=page,
        redirect_to=reverse("bids:detail", args=[bond.bid_id]) + "#bonds", message=BOND_MESSAGES[action])


def _decorate_bonds(bonds, form) -> None:
    labels = label_map("bond_method")
    today = timezone.localdate()
    for bond in bonds:
        bond.method_label = labels.get(("bond_method", bond.method), bond.method)
        bond.refund_due = selectors.refund_due_on(bond)
        bond.overdue = bool(bond.refund_due and bond.refund_due < today)


BOND_LIST = lists.ListSpec(
    key="bonds", template="bids/bond_register.html", partial="bids/_bond_table.html",
    form=lambda request: BondFilterForm(request.GET, owners=lists.people(), departments=lists.departments()),
    rows=lambda actor, form: form.apply(selectors.bond_list(actor=actor, filters=form.filters()), actor),
    export=lambda actor, form, bonds: report.bonds_xlsx(bonds), export_name="bonds",
    url_name="bids:bond_register", export_url_name="bids:bond_export")


@login_required
def bond_register(request):
    """The bond register (保证金台账): every bond the user may see, filtered, with the money still out."""
    form = BOND_LIST.form(request)
    return lists.list_page(request, BOND_LIST, decorate=_decorate_bonds, context={
        "money_out": selectors.money_out(BOND_LIST.rows(request.user, form)), "names": verbose_names(Bond)})


@login_required
def bond_export(request):
    """The filtered, visible bonds as Excel: the register's filters, parsed the register's way (core.lists)."""
    return lists.list_export(request, BOND_LIST)
