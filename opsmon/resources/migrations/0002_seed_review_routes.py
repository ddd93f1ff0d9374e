"""The default review routes of resource requests (kind "resource_request", shown and edited at
/admin/review-routes/): the owner's department head decides; when engineers are asked (route type "technical"),
the technical department's head decides next. That head is named when the department "技术部" has one; otherwise
the step is given to the technical leads until an administrator names the head on the route."""

from django.db import migrations

KIND = "resource_request"
TECH_DEPARTMENT = "技术部"


def seed(apps, schema_editor):
    Route = apps.get_model("approvals", "Route")
    RouteStep = apps.get_model("approvals", "RouteStep")
    User = apps.get_model("accounts", "User")
    if Route.objects.filter(kind=KIND).exists():
        return
    plain = Route.objects.create(kind=KIND, name="立项资源审批", type_code="", min_amount=0)
    RouteStep.objects.create(route=plain, position=1, kind="management", decider_kind="owner_head", mode="any")
    engineers = Route.objects.create(kind=KIND, name="立项资源审批（含工程师）", type_code="technical", min_amount=0)
    RouteStep.objects.create(route=engineers, position=1, kind="management", decider_kind="owner_head", mode="any")
    heads = list(User.objects.filter(is_active=True, department__name=TECH_DEPARTMENT,
                                     groups__name="dept_head").order_by("id"))
    if heads:
        step = RouteStep.objects.create(route=engineers, position=2, kind="technical", decider_kind="users",
                                        mode="any")
        step.users.set(heads)
    else:
        RouteStep.objects.create(route=engineers, position=2, kind="technical", decider_kind="role",
                                 role="tech_lead", mode="any")


def unseed(apps, schema_editor):
    Route = apps.get_model("approvals", "Route")
    Review = apps.get_model("approvals", "Review")
    routes = Route.objects.filter(kind=KIND).exclude(pk__in=Review.objects.values("route_id"))
    apps.get_model("approvals", "RouteStep").objects.filter(route__in=routes).delete()
    routes.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0001_initial"),
        ("approvals", "0001_initial"),
        ("accounts", "0003_finance_integration_roles"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
