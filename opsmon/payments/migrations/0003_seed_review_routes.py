"""The default review routes of payment requests (shown and edited at /admin/review-routes/), by amount band:

- below 100,000: the procurement head (采购负责人);
- from 100,000: the procurement head, then finance (财务评审).

Nobody decides a step of his own request: a request filed by the procurement head needs another one."""

from django.db import migrations

STEP_KINDS = [("procurement", "采购审核", "Procurement review", 60), ("finance", "财务评审", "Finance review", 30)]


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
    if Route.objects.filter(kind="payment_request").exists():
        return
    small = Route.objects.create(kind="payment_request", name="付款申请（10万元以下）", min_amount=0,
                                 max_amount=100000)
    RouteStep.objects.create(route=small, position=1, kind="procurement", decider_kind="role",
                             role="procurement_head", mode="any")
    large = Route.objects.create(kind="payment_request", name="付款申请（10万元及以上）", min_amount=100000)
    RouteStep.objects.create(route=large, position=1, kind="procurement", decider_kind="role",
                             role="procurement_head", mode="any")
    RouteStep.objects.create(route=large, position=2, kind="finance", decider_kind="role", role="finance",
                             mode="any")


def unseed(apps, schema_editor):
    """Nothing: the routes stay (an administrator may have changed them; seeding again skips them)."""


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_initial"),
        ("approvals", "0002_return_decision_route_category"),
        ("codes", "0002_seed"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
