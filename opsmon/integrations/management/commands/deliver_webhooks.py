import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon.integrations.delivery import deliver_due


class Command(BaseCommand):
    help = _("Send due webhook deliveries (once, or forever with --loop); for cron or a sidecar process.")

    def add_arguments(self, parser):
        parser.add_argument("--loop", action="store_true")
        parser.add_argument("--interval", type=float, default=10.0)

    def handle(self, *args, loop=False, interval=10.0, **options):
        while True:
            sent = deliver_due()
            if not loop:
                self.stdout.write(_("%(n)s deliveries attempted.") % {"n": sent})
                return
            time.sleep(interval)
