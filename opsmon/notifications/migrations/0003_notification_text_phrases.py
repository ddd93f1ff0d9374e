from django.db import migrations, models


class Migration(migrations.Migration):
    """Room for a stored phrase (core.phrases: msgid and parameters, read in each reader's language); existing
    rows keep their text."""

    dependencies = [("notifications", "0002_channelsettings_robot_outgoing")]

    operations = [
        migrations.AlterField(
            model_name="notification", name="text",
            field=models.CharField(max_length=1000, verbose_name="text"),
        ),
    ]
