"""Access-matrix rows of project resources (立项资源, issue 22 part 3): a project's resource requests and effort
logs, one request's page and actions, and the insights figure.

Who: a project's resources are read by whoever reads the project (the proj column: one visibility path); a request
is filed, edited, submitted and reopened by the project's owner or his department head (prj_own); its review step
is decided by its deciders only (DECIDE: the owner's department head here, never the owner); effort is logged by
the project's team (owner, team member, technical lead) and its heads (LOG: opp_ed, with the technical lead).

Every body is refused once authorised (422 for an incomplete one, 409 for the state), so no row changes what the
next one sees. world.py has no resource request, so `build` is wrapped here (as matrix_receivables.py does for its
milestones) to add one granted request on each chain's project (`resource_request_id`: filed by the owner, granted
by his department head; the project's status is lifted to approved for the filing and put back); the lead may move
those lines into world.py. The wrapper keeps the earlier wrappers' markers."""

from importlib import import_module

from django.apps import apps

from opsmon.approvals import selectors as approval_selectors
from opsmon.projects.models import Project
from opsmon.resources import services

from . import world
from .access_matrix import COLUMNS, DENIED, OK, PROJECT, chain, nothing, post, today


def _with_requests(build):
    def wrapped(org):
        built = build(org)
        import_module("opsmon.resources.migrations.0002_seed_review_routes").seed(apps, None)  # flushed by now
        for ids in built.ids.values():
            project = Project.objects.select_related("owner").get(pk=ids["project_id"])
            status = project.status
            Project.objects.filter(pk=project.pk).update(status="approved")
            project.refresh_from_db()
            request = services.request_create(actor=project.owner, project=project, note="矩阵资源",
                                              people=[{"role": "business", "days": "2"}],
                                              budget=[{"kind": "travel", "amount": "500.00"}])
            request = services.request_submit(actor=project.owner, request=request)
            head = approval_selectors.current_step(request).deciders.select_related("user").first().user
            services.request_approve(actor=head, request=request, comment="同意")
            Project.objects.filter(pk=project.pk).update(status=status)
            ids["resource_request_id"] = request.pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_resource_requests = True
    return wrapped


if not getattr(world.build, "with_resource_requests", False):
    world.build = _with_requests(world.build)

REQUEST = {"pk": "resource_request_id"}
# Effort: the project's team and heads (the opportunity's team is the project's), and its technical lead.
LOG = {**COLUMNS["opp_ed"], ("lead1", "reviewer"): OK}
# A decision: the step's deciders (the owner's head; he decided it: 409, OK); 403 for the others who see it.
DECIDE = {key: (OK if key in {("head1", "same_dept"), ("head2", "same_dept")} else DENIED) if outcome == OK
          else outcome for key, outcome in COLUMNS["proj"].items()}
INCOMPLETE = {"people": [], "budget": []}

API = {
    "GET /api/v1/projects/{project_id}/resource-requests": chain("proj"),
    "POST /api/v1/projects/{project_id}/resource-requests": chain("prj_own",
                                                                  body=lambda i: INCOMPLETE),
    "GET /api/v1/projects/{project_id}/effort-logs": chain("proj"),
    "POST /api/v1/projects/{project_id}/effort-logs": chain(LOG, body=lambda i: {
        "on": today(), "kind": "business"}),
    "GET /api/v1/resource-requests/{resource_request_id}": chain("proj"),
    "PUT /api/v1/resource-requests/{resource_request_id}": chain("prj_own",
                                                                 body=lambda i: {"version": 1, **INCOMPLETE}),
    "GET /api/v1/resource-requests/{resource_request_id}/timeline": chain("proj"),
    "POST /api/v1/resource-requests/{resource_request_id}/submit": chain("prj_own"),
    "POST /api/v1/resource-requests/{resource_request_id}/reopen": chain("prj_own"),
    "POST /api/v1/resource-requests/{resource_request_id}/approve": chain(DECIDE,
                                                                          body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/resource-requests/{resource_request_id}/reject": chain(DECIDE,
                                                                         body=lambda i: {"comment": "矩阵"}),
    "GET /api/v1/insights/resources": nothing("signed_in"),
}

WEB = {
    "resources:project": chain("proj", args=PROJECT),
    "resources:new": chain("proj", args=PROJECT, note="the form; filing is its POST (the API's rows)"),
    "resources:effort_log": post(chain(LOG, args=PROJECT), body=lambda i: {"on": today(), "kind": "business"}),
    "resources:request": chain("proj", args=REQUEST),
    "resources:edit": post(chain("prj_own", args=REQUEST), body=lambda i: {"days_business": "1"}),
    "resources:submit": post(chain("prj_own", args=REQUEST)),
    "resources:reopen": post(chain("prj_own", args=REQUEST)),
    "resources:approve": post(chain(DECIDE, args=REQUEST), body=lambda i: {"comment": "矩阵"}),
    "resources:reject": post(chain(DECIDE, args=REQUEST), body=lambda i: {"reject-comment": "矩阵"}),
    "insights:resources": nothing("signed_in"),
}
