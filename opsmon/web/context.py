"""Navigation shown in the header: only the modules that exist and that the user may open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opsmon.accounts.roles import Role

# (label, url name, roles that see it; empty = everyone logged in)
NAVIGATION = [
    (_("Workbench"), "home", ()),
    (_("Opportunities"), "opportunities:list", ()),
    (_("Customers"), "customers:list", ()),
    (_("Projects"), "projects:list", ()),
    (_("Bids"), "bids:list", ()),
    (_("Bond register"), "bids:bond_register", (Role.BID_ASSISTANT, Role.MARKET_HEAD, Role.EXECUTIVE, Role.ADMIN)),
    (_("Guarantee letters"), "guarantees:list", (Role.BID_ASSISTANT, Role.MARKET_HEAD, Role.EXECUTIVE,
                                                  Role.ADMIN)),
    # Contracts: the drafting team, the heads above it, the deciders of review steps, and who sees everything.
    (_("Contracts"), "contracts:list", (Role.SALES_REP, Role.DEPT_HEAD, Role.TECH_LEAD, Role.REVIEWER,
                                         Role.FINANCE, Role.MARKET_HEAD, Role.EXECUTIVE, Role.ADMIN)),
    (_("Receivables"), "receivables:list", (Role.SALES_REP, Role.DEPT_HEAD, Role.FINANCE, Role.MARKET_HEAD,
                                             Role.EXECUTIVE, Role.ADMIN)),
    # Procurement (issue 16): requests are anyone's who can see a project; suppliers are the buyers' register.
    (_("Purchase requests"), "procurement:request_list", (Role.SALES_REP, Role.DEPT_HEAD, Role.TECH_LEAD,
                                                           Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.INSPECTOR,
                                                           Role.FINANCE, Role.EXECUTIVE, Role.ADMIN)),
    (_("Sourcing and comparison"), "sourcing:list", (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.EXECUTIVE,
                                                      Role.ADMIN)),
    (_("Purchase orders"), "purchasing:order_list", (Role.SALES_REP, Role.DEPT_HEAD, Role.TECH_LEAD, Role.PURCHASER,
                                                    Role.PROCUREMENT_HEAD, Role.INSPECTOR, Role.FINANCE,
                                                    Role.EXECUTIVE, Role.ADMIN)),
    # Receipts (到货验收): the inspectors' list too (deliveries waiting for them); everyone sees his own scope.
    (_("Receipts"), "receiving:list", (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.INSPECTOR, Role.FINANCE,
                                        Role.EXECUTIVE, Role.ADMIN)),
    (_("Suppliers"), "suppliers:list", (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.INSPECTOR, Role.FINANCE,
                                         Role.EXECUTIVE, Role.ADMIN)),
    (_("Supplier invoices"), "supplier_invoices:list", (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.FINANCE,
                                                         Role.EXECUTIVE, Role.ADMIN)),
    (_("Payment requests"), "payments:list", (Role.PURCHASER, Role.PROCUREMENT_HEAD, Role.FINANCE, Role.EXECUTIVE,
                                               Role.ADMIN)),
    # Procurement dashboards (costs.selectors.DASHBOARD_ROLES; the market head sees the aggregates only).
    (_("Procurement analysis"), "costs:dashboard", (Role.PROCUREMENT_HEAD, Role.EXECUTIVE, Role.ADMIN, Role.FINANCE,
                                                    Role.MARKET_HEAD, Role.PURCHASER, Role.DEPT_HEAD)),
    (_("Decision support"), "insights:dashboard", ()),  # everyone: each sees the numbers of what he may see
]
ADMIN_NAVIGATION = [
    (_("Users"), "accounts:user_list", (Role.ADMIN,)),
    (_("Departments"), "accounts:department_list", (Role.ADMIN,)),
    (_("Code tables"), "codes:table_list", (Role.ADMIN,)),
    (_("Review routes"), "approvals:route_list", (Role.ADMIN,)),
    (_("Procurement settings"), "procurement:settings", (Role.ADMIN,)),
    (_("Webhooks"), "integrations:endpoint_list", (Role.ADMIN,)),
    (_("Directory"), "directory:mapping_list", (Role.ADMIN,)),  # issue 23
    (_("Group robots"), "notifications:robot_list", (Role.ADMIN,)),  # issue 23
]


def _entries(request, items):
    path = request.path
    out = []
    for label, name, roles in items:
        if roles and not request.user.has_role(*roles):
            continue
        url = reverse(name)
        out.append({"label": label, "url": url, "active": path == url or (url != "/" and path.startswith(url))})
    return out


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": _entries(request, NAVIGATION), "admin_nav": _entries(request, ADMIN_NAVIGATION)}
