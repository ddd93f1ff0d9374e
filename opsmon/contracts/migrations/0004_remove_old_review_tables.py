"""The old review tables go: 0003 copied every row to approvals' (see approvals.models)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("contracts", "0003_reviews_to_approvals"),
    ]

    operations = [
        migrations.DeleteModel(name="StepDecider"),
        migrations.DeleteModel(name="ReviewStep"),
        migrations.DeleteModel(name="Review"),
        migrations.DeleteModel(name="RouteStep"),
        migrations.DeleteModel(name="ReviewRoute"),
    ]
