"""Roles added by issues 20 and 16: executive (企业负责人, reads everything, decides nothing) and procurement's
purchaser, procurement head and inspector."""

from django.db import migrations

ROLES = ["executive", "purchaser", "procurement_head", "inspector"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_finance_integration_roles")]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
