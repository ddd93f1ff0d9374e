"""The default review route of sourcing awards (kind "award", shown and edited at /admin/review-routes/) and the
review step kinds it uses: one step by the procurement head (采购负责人), for any category and amount. A route for
one supplier category (the sourcing's largest line category) may be added before it (it wins).

An award that needs an override (too few valid quotations, no tender above the threshold, 化整为零, a single source
awarded before its notice period, an add-on above 10%) gets one more step, "award_override", by the procurement
head (sourcing.services.award_submit)."""

from django.db import migrations

STEP_KINDS = [("procurement", "采购审核", "Procurement review", 60),
              ("award_override", "超规定标审批", "Award override approval", 80)]


def seed(apps, schema_editor):
    CodeTable = apps.get_model("codes", "CodeTable")
    CodeItem = apps.get_model("codes", "CodeItem")
    Route = apps.get_model("approvals", "Route")
    RouteStep = apps.get_model("approvals", "RouteStep")
    table = CodeTable.objects.filter(name="review_step_kind").first()
    if table is not None:
        for code, zh, en, order in STEP_KINDS:
            CodeItem.objects.get_or_create(table=table, code=code,
                                           defaults={"label_zh": zh, "label_en": en, "order": order})
    if not Route.objects.filter(kind="award").exists():
        route = Route.objects.create(kind="award", name="定标审批", min_amount=0)
        RouteStep.objects.create(route=route, position=1, kind="procurement", decider_kind="role",
                                 role="procurement_head", mode="any")


def unseed(apps, schema_editor):
    """Nothing: the route and step kinds stay (an administrator may have changed them; seeding again skips them)."""


class Migration(migrations.Migration):
    dependencies = [
        ("sourcing", "0001_initial"),
        ("procurement", "0002_seed_review_routes"),
        ("approvals", "0002_return_decision_route_category"),
        ("codes", "0002_seed"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
