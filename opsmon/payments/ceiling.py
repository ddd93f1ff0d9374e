"""The payment ceiling of a purchase order (PROCUREMENT.md "PaymentRequest"), one pure function.

With O = the order's total, r = retention_pct / 100, A = the advance milestones' share of O (round-half-up to the
fen), V = min(accepted value, verified invoice value), and the requests counted (in review, approved and paid,
plus the one being checked):

    advance + progress ≤ max(A, V × (1 − r))      (V × (1 − r) round-half-up to the fen)
    advance            ≤ A
    retention          ≤ released retention       (Retention.releasable once released, else 0)

`remaining` answers what each kind may still ask for (never below 0)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal("100")


def fen(value: Decimal) -> Decimal:
    """Round half up to the fen (0.01 yuan)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def remaining(*, total: Decimal, retention_pct: Decimal, advance_pct: Decimal, accepted: Decimal,
              invoiced: Decimal, released: Decimal | None, advance: Decimal = ZERO, progress: Decimal = ZERO,
              retention: Decimal = ZERO) -> dict[str, Decimal]:
    """What may still be requested per kind {"advance", "progress", "retention"} given the amounts already counted
    (`advance`, `progress`, `retention`: sums of the requests in review, approved and paid) and `released` (the
    releasable retention once released; None while it is held or due)."""
    a = fen(total * advance_pct / HUNDRED)
    v = min(accepted, invoiced)
    cap = max(a, fen(v * (1 - retention_pct / HUNDRED)))
    left = cap - advance - progress
    return {
        "advance": max(ZERO, min(a - advance, left)),
        "progress": max(ZERO, left),
        "retention": max(ZERO, (released if released is not None else ZERO) - retention),
    }
