from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon.notifications.digest import send_due


class Command(BaseCommand):
    help = _("Queue the daily digests whose hour has come (run every few minutes from cron).")

    def handle(self, *args, **options):
        self.stdout.write(_("%(n)s digests sent.") % {"n": send_due()})
