"""Access-matrix rows of the change feed (issue 22): every signed-in user reads it, anonymous callers get 401, and
the answer holds no change of a record outside the caller's scope, judged by the matrix's own read columns (which
chain each record belongs to, by its opportunity's owner: A rep1, B rep2, C rep1b)."""

from opsmon.bids.models import Bid, Bond
from opsmon.contracts.models import Contract
from opsmon.guarantees.models import GuaranteeLetter
from opsmon.opportunities.models import Opportunity
from opsmon.procurement.models import PurchaseRequest
from opsmon.projects.models import Project
from opsmon.resources.models import ResourceRequest

from . import access_matrix as m
from .access_matrix import nothing

CHAIN_OF_OWNER = {"rep1": "A", "rep2": "B", "rep1b": "C"}
SEE_ALL = {"admin", "market1", "ceo1"}
# type → the actors who see every record of it (records on no chain: e.g. matrix_supplier_invoices.py)
BY_ROLE: dict[str, set[str]] = {}
# type → (model, [(path to the chain's opportunity owner, the read column of access_matrix)]): the first path
# that reaches an owner decides
OWNER = {
    "opportunity": (Opportunity, [("owner__username", "opp")]),
    "project": (Project, [("opportunity__owner__username", "proj")]),
    "bid": (Bid, [("opportunity__owner__username", "bid")]),
    "bond": (Bond, [("bid__opportunity__owner__username", "bid")]),
    "contract": (Contract, [("opportunity__owner__username", "ctr")]),
    "resource_request": (ResourceRequest, [("project__opportunity__owner__username", "proj")]),  # matrix_resources
    # matrix_procurement: a request is read with its project (the market head excepted: he is never answered one);
    # one without a project (matrix_sourcing's) by its requester and the heads over him, as his opportunities are
    "purchase_request": (PurchaseRequest, [("project__opportunity__owner__username", "proj"),
                                           ("owner__username", "opp")]),
    "guarantee_letter": (GuaranteeLetter, [("bond__bid__opportunity__owner__username", "bid"),  # matrix_guarantees
                                           ("contract__opportunity__owner__username", "ctr")]),
}


def _sees(actor: str, kind: str, record_id: int) -> tuple[bool, str]:
    """Whether the matrix says `actor` may see the record, and the record's chain (by its opportunity's owner).
    A record the matrix's own rows made (an opportunity created by the actor) is his; the see-all roles see all."""
    model, paths = OWNER[kind]
    for path, column in paths:
        owner = model.objects.filter(pk=record_id).values_list(path, flat=True).first()
        if owner is None:
            continue
        chain_ = CHAIN_OF_OWNER.get(owner)
        if chain_ is None:
            return owner == actor or actor in SEE_ALL, f"{owner}'s"
        if kind == "guarantee_letter" and actor == "assistant1":  # he keeps every letter (guarantees.selectors)
            return True, chain_
        return m.COLUMNS[column][(actor, m.RELATIONS[actor][chain_])] == m.OK, chain_
    return actor in SEE_ALL, "none"


def _nothing_out_of_scope(row, response) -> str:
    body = response.json()
    if set(body) != {"items", "next"} or not body["next"]:
        return f"not a feed answer: {response.text[:200]}"
    problems = []
    for item in body["items"]:
        if item["type"] in ("customer", "supplier"):  # company-wide master data (D7; a supplier's basics, issue 16)
            continue
        if item["type"] in BY_ROLE:  # records on no sales chain, seen by roles (a matrix_<module>.py fills it)
            if row.actor not in BY_ROLE[item["type"]]:
                problems.append(f"{item['type']} {item['id']} ({item['action']})")
            continue
        if item["type"] not in OWNER:
            problems.append(f"a change of a {item['type']}, a type this file does not know yet")
            continue
        allowed, chain_ = _sees(row.actor, item["type"], item["id"])
        if not allowed:
            problems.append(f"{item['type']} {item['id']} of chain {chain_} ({item['action']})")
    return "answered changes out of his scope: " + ", ".join(problems) if problems else ""


API = {
    "GET /api/v1/changes": nothing("signed_in", query={"limit": 500}, check=_nothing_out_of_scope,
                                   note="only changes of records he sees"),
}
