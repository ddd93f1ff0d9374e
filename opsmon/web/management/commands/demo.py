from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon import demo
from opsmon.accounts.models import User


class Command(BaseCommand):
    help = _("Load the demo organisation and records (password opsmon-demo for every demo user).")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help=_("Only when the database has no users yet."))

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write(_("Database already has users; demo data not loaded."))
            return
        demo.load()
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
