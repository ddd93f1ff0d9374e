from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon.notifications.outbox import deliver_due


class Command(BaseCommand):
    help = _("Send the due e-mails and group-robot posts of the notification outbox (run every minute from cron).")

    def handle(self, *args, **options):
        self.stdout.write(_("%(n)s messages attempted.") % {"n": deliver_due()})
