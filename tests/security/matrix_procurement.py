"""Access-matrix rows of procurement's first part (issue 16): purchase requests, a project's purchase budget and
cost, the procurement settings.

Who: a request is read by its requester, whoever reads its project (the proj column) except the market head (he
sees aggregates only: 404), the department heads over the requester, its deciders, and procurement_head,
executive and admin (purchasers from `approved` on: not among the matrix's actors). The requester edits, submits
and cancels (OWNER: 403 for the others who see it); the procurement head alone closes (403 for every actor here);
the steps are decided by their deciders only (the owner's department head; he decided them: 409, OK). A project's
budget is read with the project and drafted/submitted by its owner or his head (prj_own).

world.py has no purchase request, so `build` is wrapped here (as matrix_resources.py does for its requests) to add
one approved request on each chain's project (`purchase_request_id`, filed by the project's owner, approved by his
department head on both steps: the route's and the budget step, the project having no approved budget). Every
body is refused once authorised (422 for its content, 409 for the state), so no row changes what the next one
sees. The `{step_id}` of the decision rows is world.py's (a contract's step): a request's decision is judged on
its own last step (its deciders decided it: 409), and the budget's rows find no budget in review: 404 for
everyone."""

from importlib import import_module

from django.apps import apps

from opsmon.approvals import selectors as approval_selectors
from opsmon.procurement import services
from opsmon.procurement.tests import factories
from opsmon.projects.models import Project

from . import world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, PROJECT, chain, nothing, post


def _with_requests(build):
    def wrapped(org):
        built = build(org)
        import_module("opsmon.procurement.migrations.0002_seed_review_routes").seed(apps, None)  # flushed by now
        factories.codes()
        for ids in built.ids.values():
            project = Project.objects.select_related("owner").get(pk=ids["project_id"])
            request = services.request_create(actor=project.owner, title="矩阵采购", project_id=project.pk,
                                              lines=[factories.line(qty="1", est_unit_price="100")])
            request = services.request_submit(actor=project.owner, request=request)
            while (step := approval_selectors.current_step(request)) is not None:
                decider = step.deciders.select_related("user").first().user
                request = services.request_decide(actor=decider, request=request, step_id=step.pk,
                                                  decision="approve", comment="同意")
            ids["purchase_request_id"] = request.pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_purchase_requests = True
    return wrapped


if not getattr(world.build, "with_purchase_requests", False):
    world.build = _with_requests(world.build)

OWNERS = {("rep1", "own"), ("rep1b", "own"), ("rep2", "own")}
HEADS = {("head1", "same_dept"), ("head2", "same_dept")}
READ = {**COLUMNS["proj"], ("market1", "none"): HIDDEN}


def _who(allowed: set) -> dict:
    return {key: (OK if key in allowed else DENIED) if outcome == OK else outcome for key, outcome in READ.items()}


OWNER = _who(OWNERS)
DECIDE = _who(HEADS)
NOBODY = _who(set())
NOWHERE = {key: HIDDEN for key in READ}
# The executive files nothing.
FILERS = {"ceo1": DENIED}
REQUEST = {"pk": "purchase_request_id"}
NO_REASON = {"reason": ""}
BAD_LINES = {"lines": [{"category": "no-such", "amount": "1"}]}

API = {
    "GET /api/v1/purchase-requests": nothing("signed_in"),
    "POST /api/v1/purchase-requests": nothing("signed_in", overrides=FILERS,
                                              body=lambda i: {"title": "矩阵", "lines": []},
                                              note="no lines: 422 once allowed; the executive files nothing"),
    "GET /api/v1/purchase-requests/{purchase_request_id}": chain(READ),
    "PATCH /api/v1/purchase-requests/{purchase_request_id}": chain(OWNER, body=lambda i: {"version": 1,
                                                                                            "title": "矩阵"}),
    "GET /api/v1/purchase-requests/{purchase_request_id}/timeline": chain(READ),
    "POST /api/v1/purchase-requests/{purchase_request_id}/submit": chain(OWNER, body=lambda i: {}),
    "POST /api/v1/purchase-requests/{purchase_request_id}/cancel": chain(OWNER, body=lambda i: NO_REASON),
    "POST /api/v1/purchase-requests/{purchase_request_id}/close": chain(NOBODY, body=lambda i: NO_REASON),
    "GET /api/v1/purchase-requests/{purchase_request_id}/reviews": chain(READ),
    "POST /api/v1/purchase-requests/{purchase_request_id}/reviews/{step_id}/approve": chain(DECIDE,
                                                                                   body=lambda i: {}),
    "POST /api/v1/purchase-requests/{purchase_request_id}/reviews/{step_id}/return": chain(DECIDE,
                                                                                  body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/purchase-requests/{purchase_request_id}/reviews/{step_id}/reject": chain(DECIDE,
                                                                                  body=lambda i: {"comment": "矩阵"}),
    "GET /api/v1/projects/{project_id}/budget": chain("proj"),
    "PUT /api/v1/projects/{project_id}/budget": chain("prj_own", body=lambda i: BAD_LINES),
    "POST /api/v1/projects/{project_id}/budget/submit": chain("prj_own", body=lambda i: {},
                                                              note="no draft: 409 once allowed"),
    "GET /api/v1/projects/{project_id}/budget/versions": chain("proj"),
    "GET /api/v1/projects/{project_id}/budget/reviews": chain("proj"),
    "POST /api/v1/projects/{project_id}/budget/reviews/{step_id}/approve": chain(NOWHERE,
                                                                                 body=lambda i: {}),
    "POST /api/v1/projects/{project_id}/budget/reviews/{step_id}/return": chain(NOWHERE,
                                                                                body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/projects/{project_id}/budget/reviews/{step_id}/reject": chain(NOWHERE,
                                                                                body=lambda i: {"comment": "矩阵"}),
    "GET /api/v1/projects/{project_id}/cost": chain("proj"),
    "GET /api/v1/settings/procurement": nothing("signed_in"),
    "PATCH /api/v1/settings/procurement": nothing("admin", body=lambda i: {"budget_warn_pct": "abc"}),
}

WEB = {
    "procurement:request_list": nothing("signed_in"),
    "procurement:request_new": nothing("signed_in", overrides=FILERS,
                                       note="the form; filing is its POST (the API's rows)"),
    "procurement:request_detail": chain(READ, args=REQUEST),
    "procurement:request_edit": chain(OWNER, args=REQUEST, note="approved: 409 for its owner"),
    "procurement:request_submit": post(chain(OWNER, args=REQUEST)),
    "procurement:request_decide": post(chain(DECIDE, args=REQUEST), body=lambda i: {"decision": "approve"}),
    "procurement:request_cancel": post(chain(OWNER, args=REQUEST), body=lambda i: NO_REASON),
    "procurement:request_close": post(chain(NOBODY, args=REQUEST), body=lambda i: NO_REASON),
    "procurement:budget": chain("proj", args=PROJECT),
    "procurement:budget_save": post(chain("prj_own", args=PROJECT), body=lambda i: {
        "note": "", "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-0-category": "hardware",
        "lines-0-amount": "-1"}),
    "procurement:budget_submit": post(chain("prj_own", args=PROJECT)),
    "procurement:budget_decide": post(chain(NOWHERE, args=PROJECT), body=lambda i: {"decision": "approve"},
                                      note="no budget in review: 404 for everyone"),
    "procurement:settings": nothing("admin"),
}
