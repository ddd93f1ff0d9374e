from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from opsmon.accounts import demo as accounts_demo
from opsmon.accounts.models import User
from opsmon.bids import demo as bids_demo
from opsmon.contracts import demo as contracts_demo
from opsmon.opportunities import demo as opportunities_demo
from opsmon.projects import demo as projects_demo

# Each module appends its loader here, in dependency order; each is idempotent.
LOADERS = [accounts_demo.load, opportunities_demo.load, projects_demo.load, bids_demo.load,
           contracts_demo.load]


class Command(BaseCommand):
    help = _("Load the demo organisation and records (password opsmon-demo for every demo user).")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help=_("Only when the database has no users yet."))

    def handle(self, *args, if_empty=False, **options):
        if if_empty and User.objects.exists():
            self.stdout.write(_("Database already has users; demo data not loaded."))
            return
        for loader in LOADERS:
            loader()
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded.")))
