"""The default review routes of purchase orders (shown and edited at /admin/review-routes/); amendments of orders
(kind "order_amendment") use them too, routed by the amended total:

- purchase_order below 200,000: the procurement head (采购负责人);
- from 200,000: the procurement head, then finance (财务评审).

A route for one supplier category may be added before these (it wins). An order whose total is above the award
gets one more procurement-head step; a project-linked one over its project's budget a budget step by the head of
the project's department (purchasing.services.order_submit)."""

from django.db import migrations

STEP_KINDS = [("procurement", "采购审核", "Procurement review", 60), ("budget", "预算审批", "Budget approval", 70)]


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
    if not Route.objects.filter(kind="purchase_order").exists():
        small = Route.objects.create(kind="purchase_order", name="采购合同（20万元以下）", min_amount=0,
                                     max_amount=200000)
        RouteStep.objects.create(route=small, position=1, kind="procurement", decider_kind="role",
                                 role="procurement_head", mode="any")
        large = Route.objects.create(kind="purchase_order", name="采购合同（20万元及以上）", min_amount=200000)
        RouteStep.objects.create(route=large, position=1, kind="procurement", decider_kind="role",
                                 role="procurement_head", mode="any")
        RouteStep.objects.create(route=large, position=2, kind="finance", decider_kind="role", role="finance",
                                 mode="any")


def unseed(apps, schema_editor):
    """Nothing: the routes stay (an administrator may have changed them; seeding again skips them)."""


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0002_initial"),
        ("procurement", "0002_seed_review_routes"),
        ("approvals", "0002_return_decision_route_category"),
        ("codes", "0002_seed"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
