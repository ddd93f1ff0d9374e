"""Access-matrix rows of sourcing (询价/比价单, issue 16). A sourcing is seen by its purchaser (buyer1, not among the
matrix's actors), the deciders of its award, and procurement_head, executive (ceo1) and admin; requesters and
department heads never see it (404). Only its purchaser acts on it (the procurement head also fails or cancels it):
admin and ceo1 read it and are refused every action (403, D4: before the state); a decision is judged on the
award's last step (none yet: 403). Creating is for purchasers and the procurement head: 403 for every actor here.
The comparison's .xlsx is 403 while the prices are sealed (比价保密: until evaluation, for all but the purchaser).

world.py has no sourcing, so `build` is wrapped here (as matrix_procurement.py does for its requests) to add one
draft sourcing on each chain (`sourcing_id`): an approved request of the chain's project owner (no project, one
step by his department head), one qualified supplier, method direct, made by buyer1. No row changes it."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from opsmon.approvals import selectors as approval_selectors
from opsmon.customers.credit_code import check_character
from opsmon.procurement import services as procurement
from opsmon.procurement.tests import factories as procurement_factories
from opsmon.projects.models import Project
from opsmon.sourcing import services as sourcing
from opsmon.suppliers import services as suppliers

from . import world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, chain, nothing, post

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _with_sourcings(build):
    def wrapped(org):
        built = build(org)
        import_module("opsmon.procurement.migrations.0002_seed_review_routes").seed(apps, None)
        import_module("opsmon.sourcing.migrations.0003_seed_review_routes").seed(apps, None)
        procurement_factories.codes()
        buyer, head, day = org["buyer1"], org["phead1"], timezone.localdate()
        for n, (chain_, ids) in enumerate(sorted(built.ids.items()), start=1):
            owner = Project.objects.select_related("owner").get(pk=ids["project_id"]).owner
            request = procurement.request_create(actor=owner, title="矩阵询价", lines=[
                procurement_factories.line(qty="1", est_unit_price="100")])
            request = procurement.request_submit(actor=owner, request=request)
            while (step := approval_selectors.current_step(request)) is not None:
                decider = step.deciders.select_related("user").first().user
                request = procurement.request_decide(actor=decider, request=request, step_id=step.pk,
                                                     decision="approve", comment="同意")
            first17 = f"9111000066666{n:04d}"
            s = suppliers.supplier_create(actor=buyer, name=f"矩阵询价供应商{chain_}",
                                          credit_code=first17 + check_character(first17), categories=["hardware"])
            suppliers.qualification_add(actor=buyer, supplier=s, kind="business_licence", number=f"MXS-{chain_}",
                                        valid_from=day - timedelta(days=30), valid_to=day + timedelta(days=300),
                                        upload=SimpleUploadedFile("licence.pdf", PDF))
            s = suppliers.supplier_qualify(actor=head, supplier=s)
            created = sourcing.sourcing_create(
                actor=buyer, method="direct", request_line_ids=list(request.lines.values_list("pk", flat=True)),
                supplier_ids=[s.pk], deadline=timezone.now() + timedelta(days=30))
            ids["sourcing_id"] = created.pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_sourcings = True
    return wrapped


if not getattr(world.build, "with_sourcings", False):
    world.build = _with_sourcings(world.build)


def by_actor(allowed: dict, otherwise: str = HIDDEN) -> dict:
    """A chain column that depends on the actor's roles only (a sourcing belongs to no sales chain)."""
    return {(actor, relation): allowed.get(actor, otherwise) for (actor, relation) in COLUMNS["cust"]}


READ = by_actor({"admin": OK, "ceo1": OK})       # see-all roles; nobody else here sees a sourcing
ACT = by_actor({"admin": DENIED, "ceo1": DENIED})  # they read, never act (the purchaser acts)
SEALED = ACT                                      # prices sealed until evaluation: the xlsx is 403 for them
NOBODY_CREATES = {"admin": DENIED}                # with the "admin" policy: every actor 403, anonymous login
SOURCING = {"pk": "sourcing_id"}
REASON = {"reason": "矩阵"}

API = {
    "GET /api/v1/sourcings": nothing("signed_in"),
    "POST /api/v1/sourcings": nothing("admin", overrides=NOBODY_CREATES, body=lambda i: {
        "method": "direct", "request_line_ids": [], "supplier_ids": [], "deadline": "2030-01-01T10:00:00+08:00"},
        note="purchasers and the procurement head only, none among the actors"),
    "GET /api/v1/sourcings/{sourcing_id}": chain(READ),
    "POST /api/v1/sourcings/{sourcing_id}/open": chain(ACT, body=lambda i: {}),
    "POST /api/v1/sourcings/{sourcing_id}/evaluate": chain(ACT, body=lambda i: {}),
    "POST /api/v1/sourcings/{sourcing_id}/fail": chain(ACT, body=lambda i: REASON),
    "POST /api/v1/sourcings/{sourcing_id}/cancel": chain(ACT, body=lambda i: REASON),
    "GET /api/v1/sourcings/{sourcing_id}/quotations": chain(READ),
    "POST /api/v1/sourcings/{sourcing_id}/quotations": chain(ACT, body=lambda i: {
        "supplier_id": 1, "valid_until": "2030-01-01", "delivery_days": 1, "lines": []}),
    "GET /api/v1/sourcings/{sourcing_id}/comparison": chain(READ, note="prices null while sealed"),
    "GET /api/v1/sourcings/{sourcing_id}/comparison.xlsx": chain(SEALED),
    "PUT /api/v1/sourcings/{sourcing_id}/award": chain(ACT, body=lambda i: {"lines": []}),
    "POST /api/v1/sourcings/{sourcing_id}/submit-award": chain(ACT, body=lambda i: {}),
    "GET /api/v1/sourcings/{sourcing_id}/reviews": chain(READ),
    "POST /api/v1/sourcings/{sourcing_id}/reviews/{step_id}/approve": chain(ACT, body=lambda i: {}),
    "POST /api/v1/sourcings/{sourcing_id}/reviews/{step_id}/return": chain(ACT, body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/sourcings/{sourcing_id}/reviews/{step_id}/reject": chain(ACT, body=lambda i: {"comment": "矩阵"}),
}

WEB = {
    "sourcing:list": nothing("signed_in"),
    "sourcing:new": nothing("admin", overrides=NOBODY_CREATES),
    "sourcing:detail": chain(READ, args=SOURCING),
    "sourcing:open": post(chain(ACT, args=SOURCING)),
    "sourcing:evaluate": post(chain(ACT, args=SOURCING)),
    "sourcing:quote": post(chain(ACT, args=SOURCING), body=lambda i: {"supplier_id": ""},
                           note="the rule is asked before the form is read (an empty form is no 400 for them)"),
    "sourcing:award": post(chain(ACT, args=SOURCING), body=lambda i: {"override_reason": ""}),
    "sourcing:submit_award": post(chain(ACT, args=SOURCING)),
    "sourcing:decide": post(chain(ACT, args=SOURCING), body=lambda i: {"decision": "approve"}),
    "sourcing:fail": post(chain(ACT, args=SOURCING), body=lambda i: REASON),
    "sourcing:cancel": post(chain(ACT, args=SOURCING), body=lambda i: REASON),
    "sourcing:comparison_xlsx": chain(SEALED, args=SOURCING),
}
