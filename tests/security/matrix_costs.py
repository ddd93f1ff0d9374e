"""Access-matrix rows of the procurement costs (issue 16): a contract's margin is read by whoever sees the contract
(the ctr column; the market head sees it: a margin is an aggregate), and the procurement dashboards (the API's
/insights/spend … /project-costs and the page /procurement/costs/) by the roles costs.selectors.DASHBOARD_ROLES
names (the contract page loads its margin section from /procurement/costs/contracts/{id}/margin/, read like
the contract): the admin, market head, finance, executive and the department heads (a purchaser and the procurement head
are not among the matrix's actors); every other signed-in actor gets 403, the anonymous the login."""

from .access_matrix import ANON, CONTRACT, DENIED, LOGIN, OK, chain, nothing

DASHBOARDS = {"admin": OK, "market1": OK, "finance1": OK, "ceo1": OK, "head1": OK, "head2": OK,
              "rep1": DENIED, "rep1b": DENIED, "rep2": DENIED, "lead1": DENIED, "assistant1": DENIED,
              "legal1": DENIED, ANON: LOGIN}
FIGURES = ("spend", "savings", "on-time", "scorecard", "commitments", "payables-ageing", "project-costs")

API = {
    "GET /api/v1/contracts/{contract_id}/margin": chain("ctr"),
    **{f"GET /api/v1/insights/{name}": nothing("signed_in", overrides=DASHBOARDS) for name in FIGURES},
}

WEB = {
    "costs:dashboard": nothing("signed_in", overrides=DASHBOARDS),
    "costs:contract_margin": chain("ctr", args=CONTRACT, note="the contract page's margin section (htmx)"),
}
