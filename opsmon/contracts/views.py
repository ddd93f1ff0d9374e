"""Contract pages: the list with its Excel export, drafting a new contract, and the detail page with everything a
contract carries. The POST actions are in `views_actions`, the version comparison in `views_versions` (the review
route admin is approvals'). Views parse, call one selector or service, render; which buttons show is rules.py's
answer alone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from opsmon.approvals.selectors import current_of
from opsmon.codes.models import CodeItem, pick_label
from opsmon.codes.selectors import label_map
from opsmon.core import events, links, lists, timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.files import PREVIEWABLE, file_response
from opsmon.core.forms import verbose_names
from opsmon.core.web import role_required
from opsmon.core.words import join_list
from opsmon.opportunities.models import Opportunity
from opsmon.opportunities.selectors import visible_opportunities

from . import hooks, report, rules, selectors, services
from .choices import AmendmentStatus, ContractStatus
from .forms import (
    AmendmentForm,
    AttachmentForm,
    ContractCreateForm,
    ContractEditForm,
    ContractFilterForm,
    DecisionForm,
    SignForm,
    TerminateForm,
    draft_owners,
)
from .models import Attachment, Contract, Milestone
from .views_versions import amendment_rows, term_labels, version_rows

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRAFT_ROLES = rules.DRAFT_ROLES
# The workflow buttons of the actions card (the others sit beside what they change).
WORKFLOW = ("submit_review", "sign", "archive", "terminate")


def detail_url(contract, anchor: str = "") -> str:
    return reverse("contracts:detail", args=[contract.pk]) + (f"#{anchor}" if anchor else "")


# --- list, export, new -------------------------------------------------------------------------------------------

def _filter_form(request) -> ContractFilterForm:
    labels = label_map("contract_type")
    form = ContractFilterForm(request.GET, labels=labels, departments=lists.departments(), owners=draft_owners())
    form.labels = labels  # the rows' labels too: one query for both
    return form


def _type_labels(contracts, form) -> None:
    for c in contracts:
        c.type_label = form.labels.get(("contract_type", c.contract_type), c.contract_type)


CONTRACT_LIST = lists.ListSpec(
    key="contracts", template="contracts/list.html", partial="contracts/_table.html", form=_filter_form,
    rows=lambda actor, form: form.apply(selectors.contract_list(actor=actor, filters=form.filters()), actor),
    export=lambda actor, form, contracts: report.contracts_xlsx(contracts), export_name="contracts",
    url_name="contracts:list", export_url_name="contracts:export")


@login_required
def contract_list(request):
    return lists.list_page(request, CONTRACT_LIST, decorate=_type_labels, context={
        "names": verbose_names(Contract), "can_draft": rules.can_draft(request.user) is None})


@login_required
def contract_export(request):
    """The filtered, visible contracts (all pages) as Excel (core.lists)."""
    return lists.list_export(request, CONTRACT_LIST)


def draftable_opportunities(user):
    """The opportunities a new contract may be drafted against: the user's visible ones that are not closed."""
    return (Opportunity.objects.filter(pk__in=visible_opportunities(user).values("pk")).exclude(status="closed")
            .select_related("customer").order_by("-created_at", "-id"))


@role_required(*DRAFT_ROLES)
def contract_create(request):
    """Draft a contract directly against an opportunity; the service decides who may."""
    preset = request.GET.get("opportunity", "")
    form = ContractCreateForm(request.POST or None, opportunities=draftable_opportunities(request.user),
                              initial={"opportunity": preset} if preset.isdigit() else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contract = services.contract_create(actor=request.user, opportunity=form.cleaned_data["opportunity"],
                                                    **form.service_args())
            except ApplicationError as error:
                form.apply_error(error)
                status = error.status
            else:
                messages.success(request, _("Contract %(number)s drafted.") % {"number": contract.number})
                return redirect(detail_url(contract))
        else:
            status = 400
    return render(request, "contracts/create.html", {"form": form, **_milestone_names()}, status=status)


# --- detail ------------------------------------------------------------------------------------------------------

def _milestone_names() -> dict:
    return {"milestone_names": verbose_names(Milestone), "milestones_label": term_labels()["milestones"]}


def _error_details(error: ApplicationError | None) -> list[tuple[str, str]]:
    """A refusal's field messages as (label, message), for an action without a form to show them on (submit names
    the fields the draft still lacks). `milestones.2.amount` reads "Payment milestones 2: amount"."""
    if error is None:
        return []
    names = verbose_names(Contract)
    milestone = verbose_names(Milestone)
    labels = term_labels()
    out = []
    for key, texts in error.fields.items():
        parts = key.split(".")
        if parts[0] == "milestones" and len(parts) == 3:
            label = f"{labels['milestones']} {parts[1]}: {milestone.get(parts[2], parts[2])}"
        else:
            label = capfirst(labels.get(key) or names.get(key) or key)
        out += [(label, text) for text in texts]
    return out


def _code_labels() -> tuple[dict, dict]:
    """One query: {(table, code): label} of the contract type and step kind tables, and {a step kind's label in
    either language: its label in the reader's}: a decision's entry names its step as it was called when written
    ("1 技术评审"), and is read in the reader's language."""
    rows = CodeItem.objects.filter(table__name__in=("contract_type", "review_step_kind")) \
        .values_list("table__name", "code", "label_zh", "label_en")
    labels = {(table, code): pick_label(zh, en) for table, code, zh, en in rows}
    steps = {name: pick_label(zh, en) for table, _code, zh, en in rows if table == "review_step_kind"
             for name in (zh, en) if name}
    return labels, steps


def _step_text(text: str, names: dict) -> str:
    position, _sep, name = str(text).partition(" ")
    return f"{position} {names.get(name, name)}" if name else str(text)


def _timeline(contract, step_names: dict) -> list[dict]:
    """The contract's entries, each labelled; a decision names its step, an edit or amendment the terms it changed."""
    statuses = dict(ContractStatus.choices)
    contract_names = verbose_names(Contract)
    names = {**term_labels(), "title": contract_names["title"], "contract_type": contract_names["contract_type"]}
    out = []
    for e in timeline.entries_for(contract):
        action, changes = events.label(e.action), e.changes or {}
        step = changes.get("step")
        if isinstance(step, list | tuple) and len(step) == 2 and step[1]:
            action = f"{action} · {_step_text(step[1], step_names)}"
        changed = [str(capfirst(names[k])) for k in changes if k in names]
        comment = "\n".join(filter(None, [e.comment, join_list(changed) if changed and not step else ""]))
        out.append({"at": e.at, "actor": e.actor, "action": e.action, "label": action,
                    "from_status": statuses.get(e.from_status, e.from_status),
                    "to_status": statuses.get(e.to_status, e.to_status), "comment": comment})
    return out


def _reviews(contract, labels) -> list:
    reviews = list(selectors.reviews_of(contract))
    for review in reviews:
        for step in review.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
    return reviews


def _attachments(contract) -> list[Attachment]:
    attachments = list(selectors.attachments_of(contract))
    for a in attachments:
        a.previewable = a.file.kind in PREVIEWABLE
    return attachments


def detail_page(request, contract, *, error: ApplicationError | None = None, status: int = 200,
                forms: dict | None = None):
    """The detail page; on a refusal `error` is shown on top and the failing form keeps its input and errors."""
    forms = forms or {}
    user = request.user
    labels, step_names = _code_labels()
    reviews = _reviews(contract, labels)
    step = current_of(reviews)
    amendments = list(contract.amendments.select_related("proposed_by").order_by("number"))
    open_amendment = next((a for a in amendments if a.status == AmendmentStatus.IN_REVIEW), None)
    versions = selectors.versions_of(contract)
    actions = rules.allowed_actions(user, contract, step=step, open_amendment=open_amendment)
    context = {
        "contract": contract, "error": error, "actions": actions, "names": verbose_names(Contract),
        "workflow": any(a in actions for a in WORKFLOW),
        "error_details": [] if forms else _error_details(error), **_milestone_names(),
        "type_label": labels.get(("contract_type", contract.contract_type), contract.contract_type),
        "opportunity_url": links.url_for(request.user, contract.opportunity),
        "project_url": links.url_for(request.user, contract.project),
        "bid_url": links.url_for(request.user, contract.bid),
        "milestones": list(contract.milestones.all()),
        "attachments": _attachments(contract),
        "reviews": reviews, "current_step": step, "open_amendment": open_amendment,
        "amendments": amendment_rows(amendments, versions), "versions": version_rows(versions),
        "timeline": _timeline(contract, step_names),
        # what higher modules add to the page (receivables: the money trail), each a partial with its context
        "sections": [s for s in hooks.detail_sections(request=request, contract=contract, forms=forms) if s],
        "upload_form": forms.get("upload") or AttachmentForm(),
        "decide_form": forms.get("decide") or DecisionForm(),
        "sign_form": forms.get("sign") or SignForm(),
        "terminate_form": forms.get("terminate") or TerminateForm(),
    }
    # The two forms that read code tables and milestones are built only for who may use them.
    if "edit" in actions:
        context["edit_form"] = forms.get("edit") or ContractEditForm(contract=contract)
        context["edit_open"] = "edit" in forms or not context["milestones"] or bool(error)
    if "propose_amendment" in actions:
        context["amend_form"] = forms.get("amend") or AmendmentForm(contract=contract)
    return render(request, "contracts/detail.html", context, status=status)


@login_required
def contract_detail(request, pk):
    return detail_page(request, selectors.contract_get(actor=request.user, pk=pk))


# --- files and documents -----------------------------------------------------------------------------------------

def _attachment_file(request, pk, *, inline: bool):
    attachment = selectors.attachment_get(actor=request.user, pk=pk)  # the permission check: 404 when not visible
    return file_response(attachment.file, inline=inline)


@login_required
def attachment_download(request, pk):
    return _attachment_file(request, pk, inline=False)


@login_required
def attachment_preview(request, pk):
    return _attachment_file(request, pk, inline=True)


@login_required
def review_sheet(request, pk):
    """The review sheet (合同评审表) as Word."""
    contract = selectors.contract_get(actor=request.user, pk=pk)
    response = HttpResponse(report.review_sheet_docx(contract), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="{contract.number}-review.docx"'
    return response
