"""Project pages: list, detail with the review and the actions the user may take now, one POST per action."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opsmon.core import timeline
from opsmon.core.errors import ApplicationError, Malformed
from opsmon.core.web import apply_error, form_action

from . import permissions, selectors, services
from .choices import FINAL, TRANSITIONS, ProjectStatus, ReviewStatus, Route
from .forms import AssignLeadForm, CancelForm, CommentForm, FeasibilityForm, ProjectFilterForm, RouteForm
from .models import FeasibilityReview, Project

PAGE_SIZE = 50

ACTION_LABELS = {
    "project.created": gettext_lazy("Created from the opportunity"),
    "project.updated": gettext_lazy("Updated"),
    "project.assign_lead": gettext_lazy("Technical lead assigned"),
    "project.feasibility_saved": gettext_lazy("Review draft saved"),
    "project.submit_feasibility": gettext_lazy("Review submitted"),
    "project.approve": gettext_lazy("Approved"),
    "project.send_back": gettext_lazy("Sent back"),
    "project.reject": gettext_lazy("Rejected"),
    "project.route_implementation": gettext_lazy("Handed to implementation"),
    "project.route_bidding": gettext_lazy("Routed to bidding"),
    "project.route_contract_review": gettext_lazy("Routed to contract review"),
    "project.cancel": gettext_lazy("Cancelled"),
}
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
HANDOFF_LABELS = {
    "delivered": gettext_lazy("Delivered"),
    "pending": gettext_lazy("Pending"),
    "failed": gettext_lazy("Failed"),
    None: gettext_lazy("No receiving system configured"),
}


def verbose_names(model) -> dict:
    """{field name: verbose name}, so templates label things with the model's own (translated) words."""
    return {f.name: f.verbose_name for f in model._meta.get_fields() if hasattr(f, "verbose_name")}


def available_actions(user, project, review) -> dict:
    """Which action panels to show; the services still decide on every POST."""
    status = project.status
    head = permissions.is_head(user, project)
    routes = permissions.can_route(user, project)
    return {
        "assign_lead": head and status in TRANSITIONS["assign_lead"][0],
        "decide": head and status in TRANSITIONS["approve"][0],
        "route": routes and status in TRANSITIONS["route_bidding"][0],
        "cancel": routes and status not in FINAL,
        "edit_review": (permissions.is_lead(user, project) and status == ProjectStatus.FEASIBILITY
                        and (review is None or review.status == ReviewStatus.DRAFT)),
    }


def _timeline(project) -> list[dict]:
    statuses = dict(ProjectStatus.choices)
    return [{"at": e.at, "actor": e.actor, "action": ACTION_LABELS.get(e.action, e.action),
             "from_status": statuses.get(e.from_status, e.from_status),
             "to_status": statuses.get(e.to_status, e.to_status), "comment": e.comment}
            for e in timeline.entries_for(project)]


def _opportunity_url(project) -> str:
    try:  # the opportunity pages are built separately; without them the number is shown as text
        return reverse("opportunities:detail", args=[project.opportunity_id])
    except NoReverseMatch:
        return ""


def _detail(request, project, *, error: ApplicationError | None = None, status: int = 200, **forms):
    """The detail page; on a refusal, `error` is shown on top and the failing form keeps its input and errors."""
    review = selectors.review_of(project)
    actions = available_actions(request.user, project, review)
    context = {
        "project": project, "review": review, "actions": actions, "error": error,
        "names": verbose_names(Project), "review_names": verbose_names(FeasibilityReview),
        "members": list(project.members.all()), "opportunity_url": _opportunity_url(project),
        "timeline": _timeline(project), "bids": list(project.bids.all()), "contracts": list(project.contracts.all()),
        "routes": [(value, ROUTE_ACTIONS[value], ROUTE_EFFECTS[value]) for value in Route.values],
        "assign_form": forms.get("assign_form") or AssignLeadForm(initial={"tech_lead": project.tech_lead_id}),
        "review_form": forms.get("review_form") or FeasibilityForm(initial=FeasibilityForm.initial_for(review)),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
    }
    if project.routed_to == Route.IMPLEMENTATION:
        handoff = selectors.handoff_status(project)
        context["handoff"] = {"status": handoff or "none", "label": HANDOFF_LABELS[handoff]}
    return render(request, "projects/detail.html", context, status=status)


def _refused(request, pk, error: ApplicationError, form_name: str, form):
    """A refused action: reload the unchanged project and show why, next to the field when one is named."""
    apply_error(form, error)
    project = selectors.project_get(actor=request.user, pk=pk)
    return _detail(request, project, error=error, status=error.status, **{form_name: form})


def _done(request, project, message: str):
    messages.success(request, message)
    return redirect("projects:detail", pk=project.pk)


def _action(request, pk, *, form_class, form_name: str, run, message):
    """One action: its form, one service (`run(project, cleaned_data)`), then `message(result)` and the project page.
    Bad input answers 400 and a refusal its own status, both on the page with the form as typed (`form_action`)."""
    return form_action(
        request, load=lambda: selectors.project_get(actor=request.user, pk=pk),
        bind=lambda project: form_class(request.POST), form_name=form_name,
        run=lambda project, form: run(project, form.cleaned_data),
        page=lambda project, *, error, status, forms: _detail(request, project, error=error, status=status, **forms),
        redirect_to=reverse("projects:detail", args=[pk]), message=message)


@login_required
def project_list(request):
    form = ProjectFilterForm(request.GET)
    page = Paginator(selectors.project_list(actor=request.user, **form.selector_args()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    template = "projects/_table.html" if request.htmx and not request.htmx.boosted else "projects/list.html"
    return render(request, template, {"form": form, "page": page, "names": verbose_names(Project)})


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
        run=lambda project, data: services.feasibility_save(actor=request.user, project=project, **data),
        message=_("The draft was saved."))


@require_POST
@login_required
def feasibility_submit(request, pk):
    """Submits the saved draft; missing fields are shown next to the draft's fields."""
    project = selectors.project_get(actor=request.user, pk=pk)
    try:
        project = services.project_submit_feasibility(actor=request.user, project=project)
    except ApplicationError as error:
        # The saved draft as bound data, so the missing fields can carry their errors.
        saved = FeasibilityForm.initial_for(selectors.review_of(project))
        form = FeasibilityForm({name: "" if value is None else value for name, value in saved.items()})
        return _refused(request, pk, error, "review_form", form)
    return _done(request, project, _("The review was submitted for approval."))


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
def route(request, pk):
    """First POST: the confirmation (a page, or a panel loaded by htmx); the confirmed POST routes."""
    project = selectors.project_get(actor=request.user, pk=pk)
    form = RouteForm(request.POST)
    if not form.is_valid():
        return _detail(request, project, error=Malformed(_("Choose implementation, bidding or contract review.")),
                       status=400)
    to = form.cleaned_data["to"]
    if not form.cleaned_data["confirmed"]:
        template = "projects/_route_confirm.html" if request.htmx else "projects/route_confirm.html"
        return render(request, template, {"project": project, "to": to, "action": ROUTE_ACTIONS[to],
                                          "effect": ROUTE_EFFECTS[to]})
    try:
        services.project_route(actor=request.user, project=project, to=to)
    except ApplicationError as error:
        project = selectors.project_get(actor=request.user, pk=pk)
        return _detail(request, project, error=error, status=error.status)
    return _done(request, project, _("%(number)s: %(action)s.") % {"number": project.number,
                                                                   "action": ROUTE_ACTIONS[to]})
