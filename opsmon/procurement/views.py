"""Procurement pages: the purchase request list, the request form (line rows), the request's page (lines, review
rounds, the buttons of `rules.allowed_actions`), one POST per action; a project's purchase budget page and the
Purchasing section of the project's page; the procurement settings (admin). A refusal re-renders the page with
its status and the user's input (core.web.form_action)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.accounts.roles import Role
from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals.web import posted_decision
from opsmon.codes.selectors import label_map
from opsmon.contracts.selectors import visible_contracts
from opsmon.core import lists, timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.forms import verbose_names
from opsmon.core.rules import refuse
from opsmon.core.web import form_action, place_error, role_required
from opsmon.projects.models import Project
from opsmon.projects.selectors import project_get, visible_projects

from . import hooks, rules, selectors, services
from .choices import RequestStatus
from .forms import BudgetForm, CommentForm, ReasonForm, RequestFilterForm, RequestForm, SettingsForm
from .models import PurchaseRequest


def _labels():
    return label_map("unit", "supplier_category", "review_step_kind")


def _label_lines(lines, labels):
    for line in lines:
        line.unit_label = labels.get(("unit", line.unit), line.unit)
        line.category_label = labels.get(("supplier_category", line.category), line.category)
    return lines


def _rounds(record, labels):
    rounds = list(approval_selectors.rounds_of(record))
    for review in rounds:
        for step in review.steps.all():
            step.kind_label = labels.get(("review_step_kind", step.kind), step.kind)
    return rounds


# --- the project's page ---------------------------------------------------------------------------------------

def section_context(request, project: Project) -> dict:
    latest = selectors.latest_budget(project)
    return {"project": project, "cost": selectors.cost_of(project), "budget": latest,
            "in_force": selectors.approved_budget(project),
            "budget_actions": rules.budget_actions(request.user, project, latest),
            "can_request": rules.can_create(request.user) is None,
            "requests": selectors.visible_requests(request.user).filter(project=project)
            .select_related("owner").order_by("-created_at", "-id")[:20]}


def project_section(*, request, project) -> str:
    """The Purchasing section of the project's page (connected to projects.hooks.page_sections)."""
    return render_to_string("procurement/_project_section.html", section_context(request, project), request=request)


# --- requests -------------------------------------------------------------------------------------------------

def _export_columns() -> list:
    names = verbose_names(PurchaseRequest)
    statuses = dict(RequestStatus.choices)

    def head(field):
        return capfirst(names[field])
    return [lists.Column(head("number"), lambda r: r.number), lists.Column(head("title"), lambda r: r.title),
            lists.Column(head("project"), lambda r: r.project.number if r.project_id else None),
            lists.Column(head("owner"), lambda r: str(r.owner)),
            lists.Column(head("department"), lambda r: r.department.name),
            lists.Column(head("total"), lambda r: r.total),
            lists.Column(head("status"), lambda r: str(statuses.get(r.status, r.status))),
            lists.Column(head("created_at"), lambda r: r.created_at)]


REQUEST_LIST = lists.ListSpec(
    key="purchase_requests", template="procurement/request_list.html", partial="procurement/_request_table.html",
    form=lambda request: RequestFilterForm(request.GET, owners=lists.people(), departments=lists.departments()),
    rows=lambda actor, form: form.apply(
        selectors.visible_requests(actor).select_related("project", "owner", "department"), actor),
    export_columns=_export_columns, export_name="purchase-requests")


@login_required
def request_list(request):
    return lists.list_page(request, REQUEST_LIST, context={
        "names": verbose_names(PurchaseRequest), "can_create": rules.can_create(request.user) is None})


def _choices(user):
    projects = visible_projects(user).order_by("-created_at")[:200]
    contracts = visible_contracts(user).order_by("-created_at")[:200]
    return {"projects": projects, "contracts": contracts}


def _form_page(request, form, *, record=None, status=200):
    return render(request, "procurement/request_form.html", {"form": form, "record": record}, status=status)


def _save(request, form, *, run, record=None):
    if not form.is_valid():
        return _form_page(request, form, record=record, status=400)
    try:
        saved = run(form.service_args())
    except ApplicationError as error:
        place_error(form, error)
        return _form_page(request, form, record=record, status=error.status)
    messages.success(request, _("Purchase request %(n)s saved.") % {"n": saved.number})
    return redirect("procurement:request_detail", pk=saved.pk)


@login_required
def request_new(request):
    refuse(rules.can_create(request.user))
    initial = {}
    if str(request.GET.get("project", "")).isdigit():
        initial["project_id"] = int(request.GET["project"])
    form = RequestForm(request.POST or None, initial=initial, **_choices(request.user))
    if request.method != "POST":
        return _form_page(request, form)
    return _save(request, form, run=lambda args: services.request_create(actor=request.user, **args))


@login_required
def request_edit(request, pk):
    record = selectors.request_get(actor=request.user, pk=pk)
    refuse(rules.can_edit(request.user, record))
    form = RequestForm(request.POST or None, request=record, **_choices(request.user))
    if request.method != "POST":
        return _form_page(request, form, record=record)
    version = request.POST.get("version", "")
    return _save(request, form, record=record, run=lambda args: services.request_update(
        actor=request.user, request=record, version=int(version) if version.isdigit() else -1, **args))


def _detail(request, record, *, error=None, status=200, forms=None):
    labels = _labels()
    forms = forms or {}
    return render(request, "procurement/request_detail.html", {
        "record": record, "lines": _label_lines(list(record.lines.all()), labels),
        "rounds": _rounds(record, labels), "actions": rules.allowed_actions(request.user, record),
        "entries": timeline.entries_for(record), "error": error,
        "decide_form": forms.get("decide_form") or CommentForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "close_form": forms.get("close_form") or ReasonForm(),
        "next_steps": [step for steps in hooks.next_steps(user=request.user, request=record) for step in steps]},
        status=status)


@login_required
def request_detail(request, pk):
    return _detail(request, selectors.request_get(actor=request.user, pk=pk))


def _action(request, pk, *, run, message, form_class=None, form_name="form"):
    return form_action(
        request, load=lambda: selectors.request_get(actor=request.user, pk=pk),
        bind=(lambda record: form_class(request.POST)) if form_class else None, form_name=form_name, run=run,
        page=lambda record, *, error, status, forms: _detail(request, record, error=error, status=status,
                                                            forms=forms),
        redirect_to=reverse("procurement:request_detail", args=[pk]), message=message)


@require_POST
@login_required
def request_submit(request, pk):
    return _action(request, pk, run=lambda r, f: services.request_submit(actor=request.user, request=r),
                   message=lambda r: r.budget_warning or _("Submitted for review."))


@require_POST
@login_required
def request_decide(request, pk):
    decision, decided = posted_decision(request, returned_to=_("Returned to the requester."))
    return _action(request, pk, form_class=CommentForm, form_name="decide_form",
                   run=lambda r, f: services.request_decide(actor=request.user, request=r, decision=decision,
                                                            comment=f.cleaned_data["comment"]),
                   message=decided)


@require_POST
@login_required
def request_cancel(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="cancel_form",
                   run=lambda r, f: services.request_cancel(actor=request.user, request=r,
                                                            reason=f.cleaned_data["reason"]),
                   message=_("The request was cancelled."))


@require_POST
@login_required
def request_close(request, pk):
    return _action(request, pk, form_class=ReasonForm, form_name="close_form",
                   run=lambda r, f: services.request_close(actor=request.user, request=r,
                                                           reason=f.cleaned_data["reason"]),
                   message=_("The request was closed."))


# --- the project's budget -------------------------------------------------------------------------------------

def _budget_page(request, project, *, error=None, status=200, forms=None):
    labels = _labels()
    forms = forms or {}
    latest = selectors.latest_budget(project)
    versions = list(selectors.budgets_of(project))
    for budget in versions:
        for line in budget.lines.all():
            line.category_label = labels.get(("supplier_category", line.category), line.category)
    actions = rules.budget_actions(request.user, project, latest)
    editable = latest if latest is not None and latest.status == "draft" else selectors.approved_budget(project)
    return render(request, "procurement/budget.html", {
        "project": project, "versions": versions, "latest": latest, "actions": actions,
        "rounds": [r for b in reversed(versions) for r in _rounds(b, labels)],
        "cost": selectors.cost_of(project), "error": error,
        "form": forms.get("form") or (BudgetForm(budget=editable) if "edit" in actions else None),
        "decide_form": forms.get("decide_form") or CommentForm()}, status=status)


@login_required
def budget_page(request, pk):
    return _budget_page(request, project_get(actor=request.user, pk=pk))


def _budget_action(request, pk, *, run, message, form_class=None, form_name="form"):
    return form_action(
        request, load=lambda: project_get(actor=request.user, pk=pk),
        bind=(lambda project: form_class(request.POST)) if form_class else None, form_name=form_name, run=run,
        page=lambda project, *, error, status, forms: _budget_page(request, project, error=error, status=status,
                                                                  forms=forms),
        redirect_to=reverse("procurement:budget", args=[pk]), message=message)


@require_POST
@login_required
def budget_save(request, pk):
    return _budget_action(request, pk, form_class=BudgetForm,
                          run=lambda p, f: services.budget_save(actor=request.user, project=p, **f.service_args()),
                          message=_("The budget draft was saved."))


@require_POST
@login_required
def budget_submit(request, pk):
    return _budget_action(request, pk, run=lambda p, f: services.budget_submit(actor=request.user, project=p),
                          message=_("The budget was submitted for approval."))


@require_POST
@login_required
def budget_decide(request, pk):
    decision, _decided = posted_decision(request, returned_to=_("Returned to the requester."))

    def run(project, form):
        step = approval_selectors.current_step(selectors.latest_budget(project)) \
            if selectors.latest_budget(project) else None
        return services.budget_decide(actor=request.user, project=project, step_id=step.pk if step else "x",
                                      decision=decision, comment=form.cleaned_data["comment"])
    return _budget_action(request, pk, form_class=CommentForm, form_name="decide_form", run=run,
                          message=_("Decided."))


# --- settings -------------------------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def settings_page(request):
    current = services.settings_get()
    form = SettingsForm(request.POST or None, current=current)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            _saved, warnings = services.settings_update(actor=request.user, **form.service_args())
        except ApplicationError as error:
            place_error(form, error)
            status = error.status
        else:
            messages.success(request, _("Saved."))
            for warning in warnings:
                messages.warning(request, warning)
            return redirect("procurement:settings")
    return render(request, "procurement/settings.html", {"form": form}, status=status)
