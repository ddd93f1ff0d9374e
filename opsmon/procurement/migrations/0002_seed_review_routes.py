"""The default review routes of procurement (shown and edited at /admin/review-routes/) and the two review step
kinds they use:

- purchase_request below 50,000: the head of the requester's department; from 50,000: that head, then the
  procurement head (采购负责人). A route for one supplier category may be added before these (it wins).
- budget: the head of the project's department.

A project-linked request whose projected commitment exceeds the project's approved budget (or that has none) gets
one more step, "budget", by the head of the project's department (procurement.services.request_submit)."""

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
    if not Route.objects.filter(kind="purchase_request").exists():
        small = Route.objects.create(kind="purchase_request", name="采购申请（5万元以下）", min_amount=0,
                                     max_amount=50000)
        RouteStep.objects.create(route=small, position=1, kind="management", decider_kind="owner_head", mode="any")
        large = Route.objects.create(kind="purchase_request", name="采购申请（5万元及以上）", min_amount=50000)
        RouteStep.objects.create(route=large, position=1, kind="management", decider_kind="owner_head", mode="any")
        RouteStep.objects.create(route=large, position=2, kind="procurement", decider_kind="role",
                                 role="procurement_head", mode="any")
    if not Route.objects.filter(kind="budget").exists():
        budget = Route.objects.create(kind="budget", name="项目采购预算审批", min_amount=0)
        RouteStep.objects.create(route=budget, position=1, kind="budget", decider_kind="owner_head", mode="any")


def unseed(apps, schema_editor):
    """Nothing: the routes and step kinds stay (an administrator may have changed them; seeding again skips them)."""


class Migration(migrations.Migration):
    dependencies = [
        ("procurement", "0001_initial"),
        ("approvals", "0002_return_decision_route_category"),
        ("codes", "0002_seed"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
