"""The roles of DOMAIN.md; each is a Django group of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALES_REP = "sales_rep", _("Sales rep")
    DEPT_HEAD = "dept_head", _("Department head")
    TECH_LEAD = "tech_lead", _("Technical lead")
    BID_ASSISTANT = "bid_assistant", _("Bid assistant")
    MARKET_HEAD = "market_head", _("Market head")
    REVIEWER = "reviewer", _("Reviewer")
    FINANCE = "finance", _("Finance")
    INTEGRATION = "integration", _("Outside system")
    ADMIN = "admin", _("Administrator")


# Roles that see every record of the sales modules.
SEE_ALL = frozenset({Role.ADMIN, Role.MARKET_HEAD})
