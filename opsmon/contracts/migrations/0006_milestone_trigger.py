"""A payment milestone's billing condition as a choice (signing, delivery, acceptance, warranty end, a date); rows
that exist get one guessed from their due date and the words of their condition."""

from django.db import migrations, models

GUESSES = (("质保", "warranty_end"), ("维保", "warranty_end"), ("验收", "acceptance"), ("交付", "delivery"),
           ("到货", "delivery"), ("上线", "delivery"), ("签", "signing"))


def guess(apps, schema_editor):
    Milestone = apps.get_model("contracts", "Milestone")
    for m in Milestone.objects.filter(due_on__isnull=True).exclude(condition=""):
        trigger = next((t for word, t in GUESSES if word in m.condition), "")
        if trigger:
            Milestone.objects.filter(pk=m.pk).update(trigger=trigger)


class Migration(migrations.Migration):

    dependencies = [
        ('contracts', '0005_milestone_delivered_on'),
    ]

    operations = [
        migrations.AddField(
            model_name='milestone',
            name='trigger',
            field=models.CharField(choices=[('signing', 'On signing'), ('delivery', 'On delivery'),
                                            ('acceptance', 'On acceptance'), ('warranty_end', 'At warranty end'),
                                            ('date', 'On a date')],
                                   default='date', max_length=16, verbose_name='billing condition'),
        ),
        migrations.RunPython(guess, migrations.RunPython.noop),
    ]
