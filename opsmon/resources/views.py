"""Resource pages: the Resources section of the project's page (projects.hooks.page_sections), the project's
resources page (the same section, where a refused effort log is shown with its input), a new request, and one
request's page with its review and the actions the user may take now."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opsmon.approvals import selectors as approval_selectors
from opsmon.approvals import services as approval_services
from opsmon.core import timeline
from opsmon.core.errors import ApplicationError
from opsmon.core.web import form_action
from opsmon.projects.selectors import project_get

from . import rules, selectors, services
from .choices import RequestStatus
from .forms import ApproveForm, CommentForm, EffortForm, RequestForm

STATUSES = dict(RequestStatus.choices)


def _rows(actor, project) -> list[dict]:
    return [{"request": r, "totals": selectors.granted_of(r), "allowed_actions": rules.allowed_actions(actor, r)}
            for r in selectors.requests_of(project)]


def section_context(request, project, *, effort_form=None) -> dict:
    return {"project": project, "requests": _rows(request.user, project), "totals": selectors.totals_of(project),
            "logs": list(selectors.logs_of(project)[:100]),
            "project_actions": rules.project_actions(request.user, project),
            "effort_form": effort_form or EffortForm(initial={"on": timezone.localdate(), "user": request.user.pk})}


def project_section(*, request, project) -> str:
    """The Resources section of the project's page (connected to projects.hooks.page_sections)."""
    return render_to_string("resources/_section.html", section_context(request, project), request=request)


def _project_page(request, project, *, error: ApplicationError | None = None, status: int = 200, **forms):
    context = section_context(request, project, effort_form=forms.get("effort_form"))
    return render(request, "resources/project.html", {**context, "error": error}, status=status)


@login_required
def project_resources(request, pk):
    return _project_page(request, project_get(actor=request.user, pk=pk))


@require_POST
@login_required
def effort_log(request, pk):
    return form_action(
        request, load=lambda: project_get(actor=request.user, pk=pk), bind=lambda project: EffortForm(request.POST),
        form_name="effort_form",
        run=lambda project, form: services.effort_log(actor=request.user, project=project, **form.service_args()),
        page=lambda project, *, error, status, forms: _project_page(request, project, error=error, status=status,
                                                                    **forms),
        redirect_to=reverse("projects:detail", args=[pk]) + "#resources", message=_("The effort was logged."))


# --- a new request ----------------------------------------------------------------------------------------------

def _new_page(request, project, *, error=None, status=200, **forms):
    return render(request, "resources/request_form.html", {
        "project": project, "form": forms.get("form") or RequestForm(), "error": error,
        "allowed": rules.can_file_request(request.user, project) is None}, status=status)


@login_required
def request_new(request, pk):
    project = project_get(actor=request.user, pk=pk)
    if request.method != "POST":
        return _new_page(request, project)
    created = {}

    def run(project, form):
        created["request"] = services.request_create(actor=request.user, project=project, **form.service_args())
        return created["request"]

    response = form_action(
        request, load=lambda: project_get(actor=request.user, pk=pk), bind=lambda project: RequestForm(request.POST),
        run=run, page=lambda project, *, error, status, forms: _new_page(request, project, error=error,
                                                                         status=status, **forms),
        redirect_to=reverse("resources:project", args=[pk]), message=_("The resource request was saved as a draft."))
    if "request" in created:
        response["Location"] = reverse("resources:request", args=[created["request"].pk])
    return response


# --- one request ------------------------------------------------------------------------------------------------

def _request_page(request, record, *, error: ApplicationError | None = None, status: int = 200, **forms):
    allowed = rules.allowed_actions(request.user, record)
    rounds = list(approval_selectors.rounds_of(record))
    for review in rounds:
        for step in review.steps.all():
            step.label = approval_services.step_label(step)
    return render(request, "resources/request.html", {
        "record": record, "project": record.project, "totals": selectors.granted_of(record),
        "allowed_actions": allowed, "error": error, "rounds": rounds,
        "timeline": [{"at": e.at, "actor": e.actor, "action": e.action, "comment": e.comment,
                      "from_status": STATUSES.get(e.from_status, e.from_status),
                      "to_status": STATUSES.get(e.to_status, e.to_status)} for e in timeline.entries_for(record)],
        "edit_form": forms.get("edit_form") or RequestForm(initial=RequestForm.initial_for(record)),
        "approve_form": forms.get("approve_form") or ApproveForm(request=record),
        "comment_form": forms.get("comment_form") or CommentForm(prefix="reject"),
    }, status=status)


def _load(request, pk):
    return lambda: selectors.request_get(actor=request.user, pk=pk)


@login_required
def request_detail(request, pk):
    return _request_page(request, selectors.request_get(actor=request.user, pk=pk))


def _action(request, pk, *, bind, form_name, run, message):
    return form_action(
        request, load=_load(request, pk), bind=bind, form_name=form_name, run=run, message=message,
        page=lambda record, *, error, status, forms: _request_page(request, record, error=error, status=status,
                                                                   **forms),
        redirect_to=reverse("resources:request", args=[pk]))


@require_POST
@login_required
def request_edit(request, pk):
    return _action(request, pk, bind=lambda r: RequestForm(request.POST), form_name="edit_form",
                   run=lambda r, form: services.request_update(actor=request.user, request=r, version=r.version,
                                                               **form.service_args()),
                   message=_("The draft was saved."))


@require_POST
@login_required
def request_submit(request, pk):
    return _action(request, pk, bind=None, form_name="form",
                   run=lambda r, form: services.request_submit(actor=request.user, request=r),
                   message=_("The request was submitted for review."))


@require_POST
@login_required
def request_approve(request, pk):
    return _action(request, pk, bind=lambda r: ApproveForm(request.POST, request=r), form_name="approve_form",
                   run=lambda r, form: services.request_approve(actor=request.user, request=r,
                                                                **form.service_args()),
                   message=_("Your approval was recorded."))


@require_POST
@login_required
def request_reject(request, pk):
    return _action(request, pk, bind=lambda r: CommentForm(request.POST, prefix="reject"), form_name="comment_form",
                   run=lambda r, form: services.request_reject(actor=request.user, request=r,
                                                               comment=form.cleaned_data["comment"]),
                   message=_("The request was refused."))


@require_POST
@login_required
def request_reopen(request, pk):
    return _action(request, pk, bind=None, form_name="form",
                   run=lambda r, form: services.request_reopen(actor=request.user, request=r),
                   message=_("The request is a draft again."))
