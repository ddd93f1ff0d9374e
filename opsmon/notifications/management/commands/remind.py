from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon.notifications.reminders import send_reminders


class Command(BaseCommand):
    help = _("Notify bid deadlines, openings, missing summaries and overdue bond refunds (run daily from cron).")

    def handle(self, *args, **options):
        self.stdout.write(_("%(n)s reminders sent.") % {"n": send_reminders()})
