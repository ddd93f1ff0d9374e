"""Contract review moves onto the approvals engine: every contract route, route step, round, step and decision is
copied to approvals' tables with its id kept (so nothing that names one breaks); 0004 then drops the old tables.
The reverse copies them back. Rounds of an amendment become rounds of kind "amendment" filed under its contract."""

from django.core.management.color import no_style
from django.db import migrations

KEEP_TIMES = ("created_at", "updated_at", "started_at")


def _models(apps, app: str, *names):
    """Historical models whose auto_now(_add) fields keep the values copied into them."""
    found = [apps.get_model(app, name) for name in names]
    for model in found:
        for field in model._meta.local_fields:
            if field.name in KEEP_TIMES:
                field.auto_now = field.auto_now_add = False
    return found


def _reset_sequences(schema_editor, models):
    """PostgreSQL: the id sequences continue after the copied ids (no-op elsewhere)."""
    sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), models)
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def forward(apps, schema_editor):
    OldRoute, OldRouteStep, OldReview, OldStep, OldDecider = _models(
        apps, "contracts", "ReviewRoute", "RouteStep", "Review", "ReviewStep", "StepDecider")
    Route, RouteStep, Review, ReviewStep, StepDecider = _models(
        apps, "approvals", "Route", "RouteStep", "Review", "ReviewStep", "StepDecider")
    ContentType = apps.get_model("contenttypes", "ContentType")
    contract_type, _created = ContentType.objects.get_or_create(app_label="contracts", model="contract")

    Route.objects.bulk_create(
        Route(id=r.id, kind="contract", name=r.name, type_code=r.contract_type, min_amount=r.min_amount,
              max_amount=r.max_amount, active=r.active, created_at=r.created_at, updated_at=r.updated_at)
        for r in OldRoute.objects.order_by("id").iterator())
    RouteStep.objects.bulk_create(
        RouteStep(id=s.id, route_id=s.route_id, position=s.position, kind=s.kind, decider_kind=s.decider_kind,
                  role=s.role, mode=s.mode)
        for s in OldRouteStep.objects.order_by("id").iterator())
    RouteStep.users.through.objects.bulk_create(
        RouteStep.users.through(routestep_id=row.routestep_id, user_id=row.user_id)
        for row in OldRouteStep.users.through.objects.order_by("id").iterator())
    Review.objects.bulk_create(
        Review(id=r.id, kind="amendment" if r.amendment_id else "contract", subject_id=r.amendment_id or r.contract_id,
               record_type_id=contract_type.pk, record_id=r.contract_id, round=r.round, route_id=r.route_id,
               route_name=r.route_name, status=r.status, started_by_id=r.started_by_id, started_at=r.started_at,
               finished_at=r.finished_at)
        for r in OldReview.objects.order_by("id").iterator())
    ReviewStep.objects.bulk_create(
        ReviewStep(id=s.id, review_id=s.review_id, position=s.position, kind=s.kind, mode=s.mode, status=s.status,
                   decided_at=s.decided_at)
        for s in OldStep.objects.order_by("id").iterator())
    StepDecider.objects.bulk_create(
        StepDecider(id=d.id, step_id=d.step_id, user_id=d.user_id, decision=d.decision, comment=d.comment,
                    decided_at=d.decided_at)
        for d in OldDecider.objects.order_by("id").iterator())
    _reset_sequences(schema_editor, [Route, RouteStep, Review, ReviewStep, StepDecider])


def backward(apps, schema_editor):
    OldRoute, OldRouteStep, OldReview, OldStep, OldDecider = _models(
        apps, "contracts", "ReviewRoute", "RouteStep", "Review", "ReviewStep", "StepDecider")
    Route, RouteStep, Review, ReviewStep, StepDecider = _models(
        apps, "approvals", "Route", "RouteStep", "Review", "ReviewStep", "StepDecider")
    routes = Route.objects.filter(kind="contract")
    reviews = Review.objects.filter(kind__in=("contract", "amendment"))
    steps = ReviewStep.objects.filter(review__in=reviews)
    deciders = StepDecider.objects.filter(step__in=steps)

    OldRoute.objects.bulk_create(
        OldRoute(id=r.id, name=r.name, contract_type=r.type_code, min_amount=r.min_amount, max_amount=r.max_amount,
                 active=r.active, created_at=r.created_at, updated_at=r.updated_at) for r in routes.order_by("id"))
    route_steps = RouteStep.objects.filter(route__in=routes)
    OldRouteStep.objects.bulk_create(
        OldRouteStep(id=s.id, route_id=s.route_id, position=s.position, kind=s.kind, decider_kind=s.decider_kind,
                     role=s.role, mode=s.mode) for s in route_steps.order_by("id"))
    OldRouteStep.users.through.objects.bulk_create(
        OldRouteStep.users.through(routestep_id=row.routestep_id, user_id=row.user_id)
        for row in RouteStep.users.through.objects.filter(routestep__in=route_steps).order_by("id"))
    OldReview.objects.bulk_create(
        OldReview(id=r.id, contract_id=r.record_id, amendment_id=r.subject_id if r.kind == "amendment" else None,
                  round=r.round, route_id=r.route_id, route_name=r.route_name, status=r.status,
                  started_by_id=r.started_by_id, started_at=r.started_at, finished_at=r.finished_at)
        for r in reviews.order_by("id"))
    OldStep.objects.bulk_create(
        OldStep(id=s.id, review_id=s.review_id, position=s.position, kind=s.kind, mode=s.mode, status=s.status,
                decided_at=s.decided_at) for s in steps.order_by("id"))
    OldDecider.objects.bulk_create(
        OldDecider(id=d.id, step_id=d.step_id, user_id=d.user_id, decision=d.decision, comment=d.comment,
                   decided_at=d.decided_at) for d in deciders.order_by("id"))
    _reset_sequences(schema_editor, [OldRoute, OldRouteStep, OldReview, OldStep, OldDecider])
    deciders.delete()
    steps.delete()
    reviews.delete()
    routes.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("contracts", "0002_review_signing_amendments"),
    ]

    operations = [migrations.RunPython(forward, backward)]
