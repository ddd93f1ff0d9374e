"""Access-matrix rows of supplier invoices (issue 16, 三单匹配).

Who: invoices are read by finance, the procurement head, the executive and the admin (all of them), and by the
purchaser of their orders (purchasers and the procurement head are not among the matrix's actors): finance1, ceo1
and admin read every chain's invoice, everyone else gets 404. Recording is for purchasers, the procurement head and
finance (finance1 here; 403 for the others). The procurement head alone accepts a variance (403 for whoever sees the
invoice); finance verifies (finance1: the invoice is `mismatch`, 409, OK) and may cancel (红冲; an empty reason: 422,
OK); the executive and the admin do nothing (403).

world.py has no purchase order, so `build` is wrapped here to add, per chain, a signed order of a new supplier
(written row by row, as supplier_invoices' tests do) and one invoice recorded by buyer1 with its scan, `mismatch`
(nothing is received): `supplier_invoice_id`. Every body is refused once authorised, so no row changes what the
next one sees."""

from opsmon.supplier_invoices.tests import factories

from . import matrix_feed, world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, chain, nothing, post


def _with_invoices(build):
    def wrapped(org):
        built = build(org)
        for _chain, ids in sorted(built.ids.items()):
            order = factories.order(org)
            invoice = factories.invoice(org, order, upload=factories.pdf())
            ids["supplier_invoice_id"] = invoice.pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_supplier_invoices = True
    return wrapped


if not getattr(world.build, "with_supplier_invoices", False):
    world.build = _with_invoices(world.build)

SEE_ALL = ("finance1", "ceo1", "admin")


def _by_actor(allowed: tuple, *, seen: tuple = SEE_ALL) -> dict:
    """A chain column that depends on the actor's roles only (invoices are not on the sales chains)."""
    return {(actor, relation): OK if actor in allowed else DENIED if actor in seen else HIDDEN
            for (actor, relation) in COLUMNS["cust"]}


READ = _by_actor(SEE_ALL)
HEAD_ONLY = _by_actor(())               # the procurement head: not an actor here
FINANCE = _by_actor(("finance1",))
RECORDERS = {actor: DENIED for actor in ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1",
                                         "market1", "legal1", "ceo1")}
INVOICE = {"pk": "supplier_invoice_id"}
NO_REASON = {"reason": ""}

API = {
    "GET /api/v1/supplier-invoices": nothing("signed_in"),
    "POST /api/v1/supplier-invoices": nothing("signed_in", overrides=RECORDERS, body=lambda i: {
        "supplier_id": 0, "invoice_type": "vat_special", "number": "1", "issued_on": "2026-01-01",
        "seller_tax_id": "x", "lines": []}, note="recorders only (finance1 here); no lines: 422 once allowed"),
    "GET /api/v1/supplier-invoices/{supplier_invoice_id}": chain(READ),
    "GET /api/v1/supplier-invoices/{supplier_invoice_id}/timeline": chain(READ),
    "GET /api/v1/supplier-invoices/{supplier_invoice_id}/file": chain(READ),
    "POST /api/v1/supplier-invoices/{supplier_invoice_id}/accept-variance": chain(HEAD_ONLY,
                                                                                  body=lambda i: NO_REASON),
    "POST /api/v1/supplier-invoices/{supplier_invoice_id}/verify": chain(FINANCE, body=lambda i: {},
                                                                         note="mismatch: 409 for finance"),
    "POST /api/v1/supplier-invoices/{supplier_invoice_id}/cancel": chain(FINANCE, body=lambda i: NO_REASON),
}

WEB = {
    "supplier_invoices:list": nothing("signed_in"),
    "supplier_invoices:new": nothing("signed_in", overrides=RECORDERS,
                                     note="the form; recording is its POST (the API's rows)"),
    "supplier_invoices:detail": chain(READ, args=INVOICE),
    "supplier_invoices:file": chain(READ, args=INVOICE),
    "supplier_invoices:accept_variance": post(chain(HEAD_ONLY, args=INVOICE), body=lambda i: NO_REASON),
    "supplier_invoices:verify": post(chain(FINANCE, args=INVOICE)),
    "supplier_invoices:cancel": post(chain(FINANCE, args=INVOICE), body=lambda i: NO_REASON),
}

matrix_feed.BY_ROLE["supplier_invoice"] = set(SEE_ALL)  # the change feed answers their changes to these only
