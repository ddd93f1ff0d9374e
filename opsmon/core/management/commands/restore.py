import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from opsmon.core.backup import BackupError, restore


class Command(BaseCommand):
    help = _("Replace the database and the uploaded files with those of a backup archive (stop the app first).")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help=_("Do not ask for confirmation."))

    def handle(self, *args, archive, yes=False, **options):
        if not yes and (not self.stdin_is_tty()
                        or input(_("This replaces all current data. Type yes to go on: ")) != "yes"):
            raise CommandError(_("Not restored (confirm with --yes)."))
        try:
            manifest = restore(Path(archive))
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(_("Restored %(tables)s tables and %(files)s files from %(at)s.")
                          % {"tables": len(manifest["tables"]), "files": len(manifest["files"]),
                             "at": manifest["created_at"]})

    @staticmethod
    def stdin_is_tty() -> bool:
        return sys.stdin.isatty()
