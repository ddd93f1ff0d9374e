from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opsmon.directory import config, services


class Command(BaseCommand):
    help = _("Look every directory user up; deactivate those the directory disabled or removed (run from cron).")

    def handle(self, *args, **options):
        if not config.enabled():
            self.stdout.write(_("No directory is configured."))
            return
        try:
            result = services.sync()
        except config.DirectoryUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(_("%(checked)s directory users checked, %(disabled)s deactivated.") % result)
