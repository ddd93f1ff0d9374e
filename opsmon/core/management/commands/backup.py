from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opsmon.core.backup import BackupError, backup


class Command(BaseCommand):
    help = _("Back up the database and the uploaded files into one archive.")

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(Path(settings.VAR_DIR) / "backups"),
                            help=_("Directory for the archive (default: var/backups)."))

    def handle(self, *args, output, **options):
        try:
            path = backup(Path(output))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(str(path))
