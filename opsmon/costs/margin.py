"""Contract margin (毛利, PROCUREMENT.md "Budget and margin"):

    revenue_excl = contract amount ÷ (1 + tax rate/100)          (no tax rate: the amount)
    margin       = revenue_excl − cost_expected,  margin_pct = margin ÷ revenue_excl × 100

The cost is that of the purchase-order lines linked to the contract (order.contract), or — when its project has
exactly one signed contract and it is this one — also those of the project's orders linked to no contract. A line
costs its amount excl. tax if its order's invoice type is deductible (专票), else incl. tax.

- cost_expected uses the commitment C: lines of orders `approved` or later (not cancelled, dropped qty excluded)
  plus the estimates of approved request lines not ordered yet (linked the same way; estimates are tax incl.);
- cost_actual what has happened: per line, the invoiced amount (matched or verified invoices) and, for the accepted
  quantity not invoiced yet, its value at the order price.
`margin_actual` is revenue_excl − cost_actual."""

from decimal import Decimal

from django.db.models import Q

from opsmon.contracts.choices import ContractStatus
from opsmon.contracts.models import Contract
from opsmon.procurement.models import RequestLine
from opsmon.procurement.rules import UNORDERED
from opsmon.purchasing.models import OrderLine

from .figures import (
    COMMITTED,
    HUNDRED,
    ZERO,
    accepted_qty,
    committed_value,
    cost,
    deductible_types,
    excl_of,
    invoiced_lines,
    q2,
    value_of,
)

SIGNED_CONTRACTS = (ContractStatus.SIGNED, ContractStatus.ARCHIVED)


def revenue_excl(contract: Contract) -> Decimal:
    return excl_of(contract.amount, contract.tax_rate)


def pct(part: Decimal, whole: Decimal) -> float | None:
    return float(q2(part * HUNDRED / whole)) if whole else None


def sole_signed_contract(contract: Contract) -> bool:
    """Whether the contract is its project's one signed contract (then the project's unlinked orders are its)."""
    if contract.project_id is None or contract.status not in SIGNED_CONTRACTS:
        return False
    signed = list(Contract.objects.filter(project=contract.project_id, status__in=SIGNED_CONTRACTS)
                  .values_list("pk", flat=True)[:2])
    return signed == [contract.pk]


def linked(contract: Contract, *, prefix: str) -> tuple[Q, str]:
    """The filter of the records (orders: prefix "order", requests: "request") costed against the contract, and
    its basis: "contract" (linked to it) or "project" (also its project's records linked to no contract)."""
    q = Q(**{f"{prefix}__contract": contract.pk})
    if sole_signed_contract(contract):
        return q | Q(**{f"{prefix}__project": contract.project_id, f"{prefix}__contract__isnull": True}), "project"
    return q, "contract"


def line_costs(lines, deductible: frozenset[str]) -> dict[int, dict]:
    """Per order line (of committed orders): its expected and actual cost (see the module's docstring)."""
    lines = list(lines)
    accepted = accepted_qty(line.pk for line in lines)
    invoiced = invoiced_lines(line.pk for line in lines)
    out = {}
    for line in lines:
        ded = line.order.invoice_type in deductible
        expected = cost(*committed_value(line), ded)
        found = invoiced.get(line.pk)
        actual = ZERO
        acc = accepted.get(line.pk, Decimal(0))
        if found:
            actual += cost(found["incl"], found["excl"], ded)
            acc = max(acc - found["qty"], Decimal(0))
        if acc:
            actual += cost(*value_of(acc, line.unit_price, line.tax_rate), ded)
        out[line.pk] = {"expected": expected, "actual": actual, "order": line.order}
    return out


def unordered_estimates(request_lines) -> Decimal:
    """Estimates of approved request lines not ordered yet (no line of a committed order made of them)."""
    rows = (request_lines.filter(request__status__in=UNORDERED)
            .exclude(order_lines__order__status__in=COMMITTED).values_list("pk", "amount").distinct())
    return sum((amount for _pk, amount in rows), ZERO)


def margin_of(contract: Contract) -> dict:
    """The contract's margin figures (Decimals), with the orders behind them."""
    order_q, basis = linked(contract, prefix="order")
    request_q, _basis = linked(contract, prefix="request")
    lines = (OrderLine.objects.filter(order_q, order__status__in=COMMITTED)
             .select_related("order", "order__supplier").order_by("order", "position", "id"))
    costs = line_costs(lines, deductible_types())
    estimates = unordered_estimates(RequestLine.objects.filter(request_q))
    orders: dict[int, dict] = {}
    for c in costs.values():
        order = c["order"]
        row = orders.setdefault(order.pk, {"order": order, "expected": ZERO, "actual": ZERO})
        row["expected"] += c["expected"]
        row["actual"] += c["actual"]
    revenue = revenue_excl(contract)
    expected = sum((c["expected"] for c in costs.values()), ZERO) + estimates
    actual = sum((c["actual"] for c in costs.values()), ZERO)
    return {"contract_id": contract.pk, "currency": contract.currency, "basis": basis,
            "revenue_excl": revenue, "cost_expected": expected, "cost_actual": actual,
            "margin": revenue - expected, "margin_pct": pct(revenue - expected, revenue),
            "margin_actual": revenue - actual, "margin_actual_pct": pct(revenue - actual, revenue),
            "requests_estimate": estimates, "orders": list(orders.values())}


def project_revenue(project_ids) -> dict[int, Decimal]:
    """Per project, the revenue excl. tax of its signed contracts."""
    out: dict[int, Decimal] = {}
    rows = Contract.objects.filter(project__in=list(project_ids), status__in=SIGNED_CONTRACTS).values_list(
        "project", "amount", "tax_rate")
    for project_id, amount, rate in rows:
        out[project_id] = out.get(project_id, ZERO) + excl_of(amount, rate)
    return out
