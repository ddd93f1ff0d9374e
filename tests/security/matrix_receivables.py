"""Access-matrix rows of receivables (issue 22 part 4): the money trail of a contract is read by whoever sees the
contract (the ctr column) and recorded by finance alone (403 for everyone else who sees it, 404 for who does not).
The bodies finance sends ask for more than the milestone pays: authorised, then refused 422 (OK), nothing written,
so the data set stays as world.py made it.

The routes name a milestone: world.py's chains carry no milestone id, so `build` is wrapped here to add each
chain's first milestone as `milestone_id` (access_matrix imports this file before test_access_matrix imports
`build`). The lead may move that one line into world.py."""

from opsmon.contracts.models import Milestone

from . import world
from .access_matrix import COLUMNS, CONTRACT, DENIED, OK, chain, nothing, post, today

RECORD = {key: (OK if key[0] == "finance1" else DENIED) if outcome == OK else outcome
          for key, outcome in COLUMNS["ctr"].items()}
TOO_MUCH = "99999999.00"  # more than any milestone of the data set: 422 once authorised


def _with_milestones(build):
    def wrapped(org):
        built = build(org)
        for ids in built.ids.values():
            ids["milestone_id"] = Milestone.objects.filter(contract=ids["contract_id"]).order_by(
                "position").values_list("pk", flat=True)[0]
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' marks stay visible
    wrapped.adds_milestone_ids = True
    return wrapped


if not getattr(world.build, "adds_milestone_ids", False):
    world.build = _with_milestones(world.build)


API = {
    "GET /api/v1/contracts/{contract_id}/milestones/{milestone_id}/invoices": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/milestones/{milestone_id}/invoices": chain(RECORD, body=lambda i: {
        "number": "MX-1", "invoice_type": "vat_special", "tax_rate": "6", "amount": TOO_MUCH, "issued_on": today()}),
    "GET /api/v1/contracts/{contract_id}/milestones/{milestone_id}/collections": chain("ctr"),
    "POST /api/v1/contracts/{contract_id}/milestones/{milestone_id}/collections": chain(RECORD, body=lambda i: {
        "amount": TOO_MUCH, "received_on": today(), "method": "bank_transfer", "prepayment": True}),
    "GET /api/v1/receivables": nothing("signed_in"),
    "GET /api/v1/insights/receivables-ageing": nothing("signed_in"),
}

WEB = {
    "receivables:list": nothing("signed_in"),
    "receivables:invoice_record": post(chain(RECORD, args=CONTRACT), body=lambda i: {
        "invoice-milestone": str(i["milestone_id"]), "invoice-number": "MX-1", "invoice-invoice_type": "vat_special",
        "invoice-tax_rate": "6", "invoice-amount": TOO_MUCH, "invoice-issued_on": today()}),
    "receivables:collection_record": post(chain(RECORD, args=CONTRACT), body=lambda i: {
        "collection-milestone": str(i["milestone_id"]), "collection-amount": TOO_MUCH,
        "collection-received_on": today(), "collection-method": "bank_transfer", "collection-prepayment": "on"}),
    "insights:receivables_ageing": nothing("signed_in"),
}
