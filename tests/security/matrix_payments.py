"""Access-matrix rows of payment requests (付款申请) and retentions (质保金) (issue 16).

Who: payment requests and retentions are read by finance, the procurement head, the executive and the admin (all
of them), by the purchaser of their orders and the deciders of a request's steps; a retention also by an inspector
of the order's receipts (purchasers, the procurement head and the inspectors of these orders are not among the
matrix's actors): finance1, ceo1 and admin read every chain's records, everyone else gets 404. Filing is for
purchasers and the procurement head (403 for every actor here); the requester submits and cancels (403 for the
others who see it); steps are decided by their deciders (the draft has no round: 403); finance pays (finance1: the
request is a draft, 409, OK; ceo1 and admin 403). An inspector signs a retention off and the procurement head
releases it (403 for whoever sees it here).

world.py has no purchase order, so `build` is wrapped here to add, per chain, a signed order of a new supplier
(written row by row, as payments' tests do: its retention held through purchasing.hooks.signed) and one draft
payment request by buyer1: `payment_request_id`, `retention_id`. Every body is refused once authorised, so no row
changes what the next one sees."""

from opsmon.payments import selectors
from opsmon.payments.tests import factories

from . import matrix_feed, world
from .access_matrix import COLUMNS, DENIED, HIDDEN, OK, chain, nothing, post


def _with_payments(build):
    def wrapped(org):
        built = build(org)
        for _chain, ids in sorted(built.ids.items()):
            order = factories.order(org)
            record = factories.draft(org, order, kind="advance", amount="100")
            ids["payment_request_id"] = record.pk
            ids["retention_id"] = selectors.retention_of(order).pk
        return built
    wrapped.__dict__.update(build.__dict__)  # the earlier wrappers' markers
    wrapped.with_payments = True
    return wrapped


if not getattr(world.build, "with_payments", False):
    world.build = _with_payments(world.build)

SEE_ALL = ("finance1", "ceo1", "admin")
# The change feed answers their changes to the see-all roles only (none of the matrix's actors is their purchaser,
# decider or inspector).
matrix_feed.BY_ROLE.update({"payment_request": set(SEE_ALL), "retention": set(SEE_ALL)})


def _by_actor(allowed: tuple, *, seen: tuple = SEE_ALL) -> dict:
    """A chain column that depends on the actor's roles only (payments are not on the sales chains)."""
    return {(actor, relation): OK if actor in allowed else DENIED if actor in seen else HIDDEN
            for (actor, relation) in COLUMNS["cust"]}


READ = _by_actor(SEE_ALL)
NOBODY = _by_actor(())                  # the requester, deciders, inspector, procurement head: not actors here
FINANCE = _by_actor(("finance1",))
FILERS = {actor: DENIED for actor in ("admin", "head1", "rep1", "rep1b", "head2", "rep2", "lead1", "assistant1",
                                      "market1", "finance1", "legal1", "ceo1")}
PAYMENT = {"pk": "payment_request_id"}
RETENTION = {"pk": "retention_id"}
NO_REASON = {"reason": ""}
PAY = {"paid_on": "2026-01-01", "amount": "100", "method": "bank_transfer", "reference": "矩阵"}

API = {
    "GET /api/v1/payment-requests": nothing("signed_in"),
    "POST /api/v1/payment-requests": nothing("signed_in", overrides=FILERS, body=lambda i: {
        "order_id": 0, "kind": "advance", "amount": "1", "payee_account_id": 0},
        note="purchasers and the procurement head only: none of the actors"),
    "GET /api/v1/payment-requests/{payment_request_id}": chain(READ),
    "GET /api/v1/payment-requests/{payment_request_id}/timeline": chain(READ),
    "GET /api/v1/payment-requests/{payment_request_id}/reviews": chain(READ),
    "POST /api/v1/payment-requests/{payment_request_id}/submit-review": chain(NOBODY, body=lambda i: {}),
    "POST /api/v1/payment-requests/{payment_request_id}/reviews/{step_id}/approve": chain(NOBODY,
                                                                                  body=lambda i: {}),
    "POST /api/v1/payment-requests/{payment_request_id}/reviews/{step_id}/return": chain(
        NOBODY, body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/payment-requests/{payment_request_id}/reviews/{step_id}/reject": chain(
        NOBODY, body=lambda i: {"comment": "矩阵"}),
    "POST /api/v1/payment-requests/{payment_request_id}/pay": chain(FINANCE, body=lambda i: PAY,
                                                                    note="a draft: 409 for finance"),
    "POST /api/v1/payment-requests/{payment_request_id}/cancel": chain(NOBODY, body=lambda i: NO_REASON),
    "GET /api/v1/retentions": nothing("signed_in"),
    "GET /api/v1/retentions/{retention_id}": chain(READ),
    "POST /api/v1/retentions/{retention_id}/sign-off": chain(NOBODY, body=lambda i: {}),
    "POST /api/v1/retentions/{retention_id}/release": chain(NOBODY, body=lambda i: {}),
}

WEB = {
    "payments:list": nothing("signed_in"),
    "payments:new": nothing("signed_in", overrides=FILERS, note="the form; filing is its POST (the API's rows)"),
    "payments:detail": chain(READ, args=PAYMENT),
    "payments:submit": post(chain(NOBODY, args=PAYMENT)),
    "payments:decide": post(chain(NOBODY, args=PAYMENT), body=lambda i: {"decision": "approve"}),
    "payments:pay": post(chain(FINANCE, args=PAYMENT), body=lambda i: PAY),
    "payments:cancel": post(chain(NOBODY, args=PAYMENT), body=lambda i: NO_REASON),
    "payments:retention_list": nothing("signed_in"),
    "payments:retention_detail": chain(READ, args=RETENTION),
    "payments:retention_sign_off": post(chain(NOBODY, args=RETENTION), body=lambda i: {"comment": ""}),
    "payments:retention_release": post(chain(NOBODY, args=RETENTION), body=lambda i: {"deduction": ""}),
}
