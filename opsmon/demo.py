"""The demo organisation and records: each module's loader, in the module order (project level: it may import
every module). `opsmon demo` runs them; each is idempotent."""

from opsmon.accounts import demo as accounts_demo
from opsmon.bids import demo as bids_demo
from opsmon.contracts import demo as contracts_demo
from opsmon.opportunities import demo as opportunities_demo
from opsmon.projects import demo as projects_demo

LOADERS = [accounts_demo.load, opportunities_demo.load, projects_demo.load, bids_demo.load, contracts_demo.load]


def load() -> None:
    for loader in LOADERS:
        loader()
