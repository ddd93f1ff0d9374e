"""The demo organisation and records: each module's loader, in the module order (project level: it may import
every module). `opsmon demo` runs them; each is idempotent."""

from opsmon import demo_purchases
from opsmon.accounts import demo as accounts_demo
from opsmon.bids import demo as bids_demo
from opsmon.contracts import demo as contracts_demo
from opsmon.guarantees import demo as guarantees_demo
from opsmon.integrations import demo as integrations_demo
from opsmon.opportunities import demo as opportunities_demo
from opsmon.procurement import demo as procurement_demo
from opsmon.projects import demo as projects_demo
from opsmon.receivables import demo as receivables_demo
from opsmon.resources import demo as resources_demo
from opsmon.suppliers import demo as suppliers_demo

LOADERS = [accounts_demo.load, opportunities_demo.load, projects_demo.load, resources_demo.load,
           bids_demo.load, contracts_demo.load, receivables_demo.load, guarantees_demo.load, integrations_demo.load,
           suppliers_demo.load, procurement_demo.load, demo_purchases.load]


def load() -> None:
    for loader in LOADERS:
        loader()
