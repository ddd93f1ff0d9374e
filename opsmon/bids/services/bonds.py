"""Bonds (保证金): only the bid assistant (or admin) records the money trail. The legal limits are warnings."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from opsmon.codes.selectors import require_active
from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.money import format_money, parse_amount
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_comment, clean_date, clean_past_date, transition

from .. import rules
from ..choices import BidStatus, BondKind, BondStatus
from ..models import Bid, Bond
from ..rules import BOND_TRANSITIONS

BID_BOND_LIMIT = Decimal("0.02")          # Art. 26: at most 2 % of the estimated price
PERFORMANCE_BOND_LIMIT = Decimal("0.10")  # Art. 58: at most 10 % of the contract amount


def bond_warnings(bond: Bond) -> list[str]:
    """The regulations' limits, as warnings: they never refuse anything."""
    warnings = []
    bid = bond.bid
    if bond.kind == BondKind.BID and bid.estimated_price and bond.amount > bid.estimated_price * BID_BOND_LIMIT:
        warnings.append(_("The bid bond exceeds 2%% of the estimated price (%(limit)s); Article 26 of the "
                          "Regulations on the Implementation of the Bidding Law sets that limit.")
                        % {"limit": f"{bid.estimated_price * BID_BOND_LIMIT:.2f}"})
    if bond.kind == BondKind.PERFORMANCE:
        contract = bid.contracts.order_by("-id").first()
        if contract and bond.amount > contract.amount * PERFORMANCE_BOND_LIMIT:
            warnings.append(_("The performance bond exceeds 10%% of the contract amount (%(limit)s); Article 58 "
                              "sets that limit.") % {"limit": f"{contract.amount * PERFORMANCE_BOND_LIMIT:.2f}"})
    return warnings


@transaction.atomic
def bond_create(*, actor, bid: Bid, kind: str, amount, method: str, currency: str = "CNY", due_on=None) -> Bond:
    """Plan a bond for a bid; performance bonds only for a won bid."""
    refuse(rules.can_plan_bond(actor, bid))
    errors = {}
    if kind not in BondKind.values:
        errors["kind"] = _("Choose bid or performance.")
    elif kind == BondKind.PERFORMANCE and bid.status != BidStatus.WON:
        errors["kind"] = _("A performance bond needs a won bid.")
    try:
        amount = parse_amount(amount)
        if amount == 0:
            errors["amount"] = _("Must be more than zero.")
    except ValueError as exc:
        errors["amount"] = str(exc)
    for field, table, value in (("method", "bond_method", method), ("currency", "currency", currency)):
        try:
            require_active(table=table, code=(value or "").strip(), field=field)
        except Invalid as exc:
            errors.update(exc.fields)
    due = clean_date(due_on, "due_on", errors)
    if errors:
        raise Invalid(fields=errors)
    bond = Bond.objects.create(bid=bid, kind=kind, amount=amount, method=method.strip(), currency=currency.strip(),
                               due_on=due)
    timeline.record(bond, actor=actor, action="bond.planned", to_status=bond.status,
                    comment=format_money(amount, currency))  # no words: shown in either language
    return bond


@transaction.atomic
def bond_pay(*, actor, bond: Bond, paid_on, reference: str = "") -> Bond:
    refuse(rules.can_pay(actor, bond))
    errors = {}
    day = clean_past_date(paid_on, "paid_on", errors)
    reference = (reference or "").strip()
    if len(reference) > 100:
        errors["reference"] = _("At most %(n)s characters.") % {"n": 100}
    if errors:
        raise Invalid(fields=errors)
    return transition(bond, actor=actor, action="pay", transitions=BOND_TRANSITIONS, comment=reference,
                      extra={"paid_on": day, "reference": reference})


@transaction.atomic
def bond_refund(*, actor, bond: Bond, refunded_on, amount, interest="0") -> Bond:
    """Money back: the principal (never more than was paid) and the bank interest, kept apart."""
    refuse(rules.can_refund(actor, bond))
    errors = {}
    day = clean_past_date(refunded_on, "refunded_on", errors)
    if day and bond.paid_on and day < bond.paid_on:
        errors["refunded_on"] = _("Cannot be before the bond was paid.")
    try:
        principal = parse_amount(amount)
        if principal > bond.amount:
            errors["amount"] = _("More than was paid (%(paid)s).") % {"paid": f"{bond.amount:.2f}"}
    except ValueError as exc:
        errors["amount"] = str(exc)
        principal = None
    try:
        interest = parse_amount(interest or "0")
    except ValueError as exc:
        errors["interest"] = str(exc)
    if errors:
        raise Invalid(fields=errors)
    return transition(bond, actor=actor, action="refund", transitions=BOND_TRANSITIONS,
                      comment=f"{format_money(principal, bond.currency)} + {format_money(interest, bond.currency)}",
                      extra={"refunded_on": day, "refunded_principal": principal, "refund_interest": interest})


@transaction.atomic
def bond_forfeit(*, actor, bond: Bond, reason: str) -> Bond:
    refuse(rules.can_forfeit(actor, bond))
    reason = clean_comment(reason, required=True, field="reason", limit=500)
    return transition(bond, actor=actor, action="forfeit", transitions=BOND_TRANSITIONS, comment=reason,
                      extra={"forfeit_reason": reason})


@transaction.atomic
def bond_convert_to_performance(*, actor, bond: Bond) -> Bond:
    """A paid bid bond of a won bid becomes its performance bond (same money, already paid)."""
    refuse(rules.can_convert_to_performance(actor, bond))
    performance = Bond.objects.create(bid=bond.bid, kind=BondKind.PERFORMANCE, amount=bond.amount,
                                      currency=bond.currency, method=bond.method, status=BondStatus.PAID,
                                      paid_on=bond.paid_on, reference=bond.reference)
    return transition(bond, actor=actor, action="convert_to_performance", transitions=BOND_TRANSITIONS,
                      extra={"converted_to": performance})
