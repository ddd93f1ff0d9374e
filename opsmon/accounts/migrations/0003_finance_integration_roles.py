"""Roles added by the lifecycle issue: finance (invoices and collections) and integration (outside systems)."""

from django.db import migrations

ROLES = ["finance", "integration"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
