"""Commands on contracts; each asks rules.py first, then validates, changes and writes one timeline entry."""

from .amendments import amendment_propose
from .drafting import (
    attachment_add,
    contract_create,
    contract_create_for_bid,
    contract_create_for_project,
    contract_update,
)
from .milestones import milestone_mark_delivered
from .review import contract_submit, route_save, step_decide
from .signing import contract_archive, contract_sign, contract_terminate

__all__ = ["amendment_propose", "attachment_add", "contract_archive", "contract_create", "contract_create_for_bid",
           "contract_create_for_project", "contract_sign", "contract_submit", "contract_terminate",
           "contract_update", "milestone_mark_delivered", "route_save", "step_decide"]
