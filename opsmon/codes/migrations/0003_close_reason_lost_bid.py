"""Close reason `lost_bid`: an opportunity closed because its bid was lost (DOMAIN.md "Lifecycle")."""

from django.db import migrations


def add(apps, schema_editor):
    CodeTable = apps.get_model("codes", "CodeTable")
    CodeItem = apps.get_model("codes", "CodeItem")
    table = CodeTable.objects.filter(name="close_reason").first()
    if table is None:
        return
    last = CodeItem.objects.filter(table=table).order_by("-order").values_list("order", flat=True).first() or 0
    CodeItem.objects.get_or_create(table=table, code="lost_bid", defaults={
        "label_zh": "投标失败", "label_en": "Bid lost", "order": last + 1, "active": True})


class Migration(migrations.Migration):
    dependencies = [("codes", "0002_seed")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
