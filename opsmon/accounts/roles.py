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
    EXECUTIVE = "executive", _("Executive")
    PURCHASER = "purchaser", _("Purchaser")
    PROCUREMENT_HEAD = "procurement_head", _("Procurement head")
    INSPECTOR = "inspector", _("Inspector")
    ADMIN = "admin", _("Administrator")


# Roles that see every record of the sales modules. The executive (企业负责人) reads everything and decides
# nothing: no rule grants him an action (each module's rules.py names the roles that act; tests in
# opsmon/insights/tests/test_executive.py walk every record of the demo data and find no action for him).
SEE_ALL = frozenset({Role.ADMIN, Role.MARKET_HEAD, Role.EXECUTIVE})
# Roles that read and decide nothing (issue 20: the executive); a user holding only these records nothing either.
READ_ONLY = frozenset({Role.EXECUTIVE})


def reads_only(roles: frozenset[str]) -> bool:
    return bool(roles) and roles <= READ_ONLY
