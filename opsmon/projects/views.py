"""Project pages: list, detail with the review and the actions the user may take now, one POST per action."""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsmon.core import links, lists, timeline
from opsmon.core.errors import ApplicationError, Malformed
from opsmon.core.forms import verbose_names
from opsmon.core.web import form_action, page_or_partial

from . import hooks, rules, selectors, services
from .choices import HandoffStatus, ProjectStatus, Route
from .forms import (
    AssignLeadForm,
    CancelForm,
    CloseForm,
    CommentForm,
    FeasibilityForm,
    ProjectFilterForm,
    RouteForm,
)
from .models import FeasibilityReview, Project

PAGE_SIZE = 50

ROUTE_ACTIONS = {
    Route.IMPLEMENTATION: gettext_lazy("Hand over for implementation"),
    Route.BIDDING: gettext_lazy("Go to bidding"),
    Route.CONTRACT_REVIEW: gettext_lazy("Go to contract review"),
}
ROUTE_EFFECTS = {
    Route.IMPLEMENTATION: gettext_lazy("The project is handed to the project-monitoring system for implementation."),
    Route.BIDDING: gettext_lazy("A bidding task (bid) is registered for the project."),
    Route.CONTRACT_REVIEW: gettext_lazy("A contract draft is created for the project and goes to contract review."),
}


def _timeline(project) -> list[dict]:
    """The entries with their statuses' labels; the action key is labelled by the template (core.events)."""
    statuses = dict(ProjectStatus.choices)
    return [{"at": e.at, "actor": e.actor, "action": e.action,
             "from_status": statuses.get(e.from_status, e.from_status),
             "to_status": statuses.get(e.to_status, e.to_status), "comment": e.comment}
            for e in timeline.entries_for(project)]


def _linked(viewer, records) -> list:
    """The records, each with `url` only where the viewer may open it (core.links)."""
    records = list(records)
    urls = links.urls_for(viewer, records)
    for record in records:
        record.url = urls.get(record.pk, "")
    return records


def _detail(request, project, *, error: ApplicationError | None = None, status: int = 200, **forms):
    """The detail page; on a refusal, `error` is shown on top and the failing form keeps its input and errors."""
    review = selectors.review_of(project)
    allowed = rules.allowed_actions(request.user, project)
    context = {
        "project": project, "review": review, "allowed_actions": allowed, "error": error,
        "decides": any(a in allowed for a in ("approve", "send_back", "reject")),
        "routes_now": any(rules.route_action(to) in allowed for to in Route.values),
        "names": verbose_names(Project), "review_names": verbose_names(FeasibilityReview),
        "members": list(project.members.all()), "opportunity_url": links.url_for(request.user, project.opportunity),
        "timeline": _timeline(project), "bids": _linked(request.user, project.bids.all()),
        "contracts": _linked(request.user, project.contracts.all()),
        "routes": [(value, rules.route_action(value), ROUTE_ACTIONS[value], ROUTE_EFFECTS[value])
                   for value in Route.values],
        "assign_form": forms.get("assign_form") or AssignLeadForm(initial={"tech_lead": project.tech_lead_id}),
        "review_form": forms.get("review_form") or FeasibilityForm(initial=FeasibilityForm.initial_for(review)),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        "close_form": forms.get("close_form") or CloseForm(),
        "after_abandon": any(a in allowed for a in ("retender", "close")),
    }
    if project.routed_to == Route.IMPLEMENTATION:
        handoff = HandoffStatus(selectors.handoff_status(project) or HandoffStatus.NONE)
        context["handoff"] = {"status": handoff.value, "label": handoff.label}
    context["sections"] = [html for html in hooks.page_sections(request=request, project=project) if html]
    return render(request, "projects/detail.html", context, status=status)


def _load(request, pk):
    return lambda: selectors.project_get(actor=request.user, pk=pk)


def _page(request):
    return lambda project, *, error, status, forms: _detail(request, project, error=error, status=status, **forms)


def _action(request, pk, *, form_class, form_name: str, run, message, bind=None):
    """One action: its form, one service (`run(project, cleaned_data)`), then `message(result)` and the project page.
    Bad input answers 400 and a refusal its own status, both on the page with the form as typed (`form_action`)."""
    return form_action(
        request, load=_load(request, pk), bind=bind or (lambda project: form_class(request.POST)),
        form_name=form_name, run=lambda project, form: run(project, form.cleaned_data), page=_page(request),
        redirect_to=reverse("projects:detail", args=[pk]), message=message)


def _export_columns() -> list:
    names = verbose_names(Project)
    statuses = dict(ProjectStatus.choices)

    def head(field):
        return capfirst(names[field])

    return [lists.Column(head("number"), lambda p: p.number), lists.Column(head("title"), lambda p: p.title),
            lists.Column(head("customer"), lambda p: p.customer.name),
            lists.Column(head("status"), lambda p: str(statuses.get(p.status, p.status))),
            lists.Column(head("estimated_amount"), lambda p: p.estimated_amount),
            lists.Column(head("currency"), lambda p: p.currency),
            lists.Column(head("owner"), lambda p: str(p.owner)),
            lists.Column(head("department"), lambda p: p.department.name if p.department else None),
            lists.Column(head("tech_lead"), lambda p: str(p.tech_lead) if p.tech_lead else None),
            lists.Column(head("created_at"), lambda p: p.created_at)]


PROJECT_LIST = lists.ListSpec(
    key="projects", template="projects/list.html", partial="projects/_table.html",
    form=lambda request: ProjectFilterForm(request.GET, owners=lists.people(), departments=lists.departments()),
    rows=lambda actor, form: form.apply(selectors.project_list(actor=actor), actor),
    export_columns=_export_columns, export_name="projects")


@login_required
def project_list(request):
    return lists.list_page(request, PROJECT_LIST, context={"names": verbose_names(Project)})


@login_required
def project_detail(request, pk):
    return _detail(request, selectors.project_get(actor=request.user, pk=pk))


@require_POST
@login_required
def assign_lead(request, pk):
    return _action(
        request, pk, form_class=AssignLeadForm, form_name="assign_form",
        run=lambda project, data: services.project_assign_lead(actor=request.user, project=project,
                                                               tech_lead=data["tech_lead"]),
        message=lambda project: _("%(name)s is now the technical lead.") % {"name": project.tech_lead})


@require_POST
@login_required
def feasibility_save(request, pk):
    return _action(
        request, pk, form_class=FeasibilityForm, form_name="review_form",
        run=lambda project, data: _save_review(request, project, data),
        message=_("The draft was saved."))


def _saved_draft(project) -> FeasibilityForm:
    """The saved draft as bound data, so the fields a refused submission misses can carry their errors."""
    saved = FeasibilityForm.initial_for(selectors.review_of(project))
    return FeasibilityForm({name: "" if value is None else value for name, value in saved.items()})


def _save_review(request, project, data) -> None:
    services.feasibility_save(
        actor=request.user, project=project, technical_assessment=data["technical_assessment"],
        implementation_assessment=data["implementation_assessment"], risks=data["risks"],
        estimated_effort_days=data["estimated_effort_days"], conclusion=data["conclusion"])


def _save_and_submit(request, project, data):
    """The draft as typed is saved, then submitted, in one transaction: a refused submission saves nothing and the
    page comes back with the typing kept and the errors next to the fields."""
    with transaction.atomic():
        _save_review(request, project, data)
        return services.project_submit_feasibility(actor=request.user, project=project)


@require_POST
@login_required
def feasibility_submit(request, pk):
    """Submits the review. From the review form (its "Submit for approval" button) the fields as typed are saved
    first, so typing is never lost; a bare submission submits the saved draft. Missing fields are shown next to
    the fields."""
    if any(name in request.POST for name in FeasibilityForm.base_fields):
        return _action(
            request, pk, form_class=FeasibilityForm, form_name="review_form",
            run=lambda project, data: _save_and_submit(request, project, data),
            message=_("The review was saved and submitted for approval."))
    return _action(
        request, pk, form_class=FeasibilityForm, form_name="review_form", bind=_saved_draft,
        run=lambda project, data: services.project_submit_feasibility(actor=request.user, project=project),
        message=_("The review was submitted for approval."))


def _decide(request, pk, service, message):
    return _action(
        request, pk, form_class=CommentForm, form_name="comment_form",
        run=lambda project, data: service(actor=request.user, project=project, comment=data["comment"]),
        message=lambda project: message % {"number": project.number})


@require_POST
@login_required
def approve(request, pk):
    return _decide(request, pk, services.project_approve, _("%(number)s was approved."))


@require_POST
@login_required
def send_back(request, pk):
    return _decide(request, pk, services.project_send_back, _("%(number)s was sent back to the technical lead."))


@require_POST
@login_required
def reject(request, pk):
    return _decide(request, pk, services.project_reject, _("%(number)s was rejected."))


@require_POST
@login_required
def cancel(request, pk):
    return _action(
        request, pk, form_class=CancelForm, form_name="cancel_form",
        run=lambda project, data: services.project_cancel(actor=request.user, project=project,
                                                          reason=data["reason"]),
        message=lambda project: _("%(number)s was cancelled.") % {"number": project.number})


@require_POST
@login_required
def retender(request, pk):
    """After an abandoned bid: a new bid on the same project."""
    return form_action(
        request, load=_load(request, pk), run=lambda project, form: services.project_retender(
            actor=request.user, project=project),
        page=_page(request), redirect_to=reverse("projects:detail", args=[pk]),
        message=lambda bid: _("Bid %(number)s was registered: the project bids again.") % {"number": bid.number})


@require_POST
@login_required
def close(request, pk):
    """After an abandoned bid: the project is lost with the reason; the reason stays in the form on a refusal."""
    return _action(
        request, pk, form_class=CloseForm, form_name="close_form",
        run=lambda project, data: services.project_close(actor=request.user, project=project,
                                                         reason=data["reason"]),
        message=lambda project: _("%(number)s was closed as lost.") % {"number": project.number})


@require_POST
@login_required
def route(request, pk):
    """First POST: the confirmation (a page, or a panel loaded by htmx), when the rules allow the route; the
    confirmed POST routes."""
    project = selectors.project_get(actor=request.user, pk=pk)
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, error=Malformed(_("Choose implementation, bidding or contract review.")),
                       status=400)
    to = form.cleaned_data["to"]
    if not form.cleaned_data["confirmed"]:
        refusal = rules.can_route(request.user, project, to=to)
        if refusal is not None:
            return _detail(request, project, error=refusal, status=refusal.status)
        return page_or_partial(request, "projects/route_confirm.html", "projects/_route_confirm.html",
                               {"project": project, "to": to, "action": ROUTE_ACTIONS[to],
                                "effect": ROUTE_EFFECTS[to]})
    return form_action(
        request, load=_load(request, pk), run=lambda project, form: services.project_route(
            actor=request.user, project=project, to=to),
        page=_page(request), redirect_to=reverse("projects:detail", args=[pk]),
        message=_("%(number)s: %(action)s.") % {"number": project.number, "action": ROUTE_ACTIONS[to]})
