"""Reads of guarantee letters, narrowed to what the actor may see: a letter is visible when its bond's bid is (the
bids selector) or its contract is (the contracts selector). The bid assistant, who keeps the letters and is
flagged about them, sees every letter (as he sees every bond), without thereby seeing the contract itself."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from opsmon.accounts.visibility import is_active_user
from opsmon.bids.choices import BondStatus
from opsmon.bids.models import Bond
from opsmon.bids.selectors import visible_bids
from opsmon.contracts.choices import ContractStatus
from opsmon.contracts.models import Contract
from opsmon.contracts.selectors import visible_contracts
from opsmon.core.errors import NotFound

from .choices import FLAG_DAYS, LetterStatus
from .models import GuaranteeLetter, LetterPeriod

SETTLED_BONDS = (BondStatus.REFUNDED, BondStatus.FORFEITED)
RELATED = ("bond", "bond__bid", "contract", "registered_by", "released_by")


def sees_all_letters(actor) -> bool:
    return actor.sees_all or actor.has_role("bid_assistant")


def visible_letters(actor):
    if not is_active_user(actor):
        return GuaranteeLetter.objects.none()
    if sees_all_letters(actor):
        return GuaranteeLetter.objects.all()
    return GuaranteeLetter.objects.filter(
        Q(bond__bid__in=visible_bids(actor).values("pk")) | Q(contract__in=visible_contracts(actor).values("pk")))


# --- still needed, expiring ----------------------------------------------------------------------------------

def needed_q(today: date) -> Q:
    """Letters still needed: on a bond whose bid is not closed and which is not refunded or forfeited; on a contract
    not terminated whose performance period (end_on) is not over. Kept in step with `still_needed`."""
    bond = Q(bond__isnull=False, bond__bid__closed_at__isnull=True) & ~Q(bond__status__in=SETTLED_BONDS)
    contract = (Q(contract__isnull=False) & ~Q(contract__status=ContractStatus.TERMINATED)
                & (Q(contract__end_on__isnull=True) | Q(contract__end_on__gte=today)))
    return bond | contract


def still_needed(letter: GuaranteeLetter, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    if letter.bond_id:
        return not letter.bond.bid.closed and letter.bond.status not in SETTLED_BONDS
    contract = letter.contract
    return contract.status != ContractStatus.TERMINATED and (contract.end_on is None or contract.end_on >= today)


def flagged_q(today: date) -> Q:
    """Active letters expiring within FLAG_DAYS days, or expired, while still needed."""
    return Q(status=LetterStatus.ACTIVE, valid_to__lte=today + timedelta(days=FLAG_DAYS)) & needed_q(today)


def is_flagged(letter: GuaranteeLetter, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return (letter.status == LetterStatus.ACTIVE and letter.valid_to <= today + timedelta(days=FLAG_DAYS)
            and still_needed(letter, today))


def flagged_letters(*, today: date | None = None):
    """Every letter to flag to the bid assistant, the most urgent first."""
    today = today or timezone.localdate()
    return GuaranteeLetter.objects.filter(flagged_q(today)).select_related(*RELATED).order_by("valid_to", "id")


# --- lists and details -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterFilters:
    """The filters of the letter list: the page's form and the API's query both become one of these."""

    q: str = ""
    status: str = ""
    expiring_within: int | None = None  # active letters ending within N days (ended ones included)
    bond: int | None = None
    contract: int | None = None


def letter_list(*, actor, filters: LetterFilters = LetterFilters(), today: date | None = None):
    f = filters
    qs = visible_letters(actor)
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(number__icontains=q) | Q(bank__icontains=q) | Q(beneficiary__icontains=q)
                       | Q(bond__bid__number__icontains=q) | Q(contract__number__icontains=q))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.expiring_within is not None:
        today = today or timezone.localdate()
        qs = qs.filter(status=LetterStatus.ACTIVE, valid_to__lte=today + timedelta(days=f.expiring_within))
    if f.bond:
        qs = qs.filter(bond_id=f.bond)
    if f.contract:
        qs = qs.filter(contract_id=f.contract)
    return qs.select_related(*RELATED).order_by("valid_to", "-id")


def letter_get(*, actor, pk) -> GuaranteeLetter:
    """One letter the actor may see, or 404."""
    try:
        return visible_letters(actor).select_related(*RELATED).get(pk=pk)
    except (GuaranteeLetter.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def periods_of(letter: GuaranteeLetter):
    return LetterPeriod.objects.filter(letter=letter).select_related("created_by").order_by("position")


def letters_of_bond_ids(bond_ids) -> list[GuaranteeLetter]:
    return list(GuaranteeLetter.objects.filter(bond_id__in=bond_ids).select_related(*RELATED)
                .order_by("valid_to", "id"))


def letters_of_contract(contract: Contract) -> list[GuaranteeLetter]:
    return list(GuaranteeLetter.objects.filter(contract=contract).select_related(*RELATED).order_by("valid_to", "id"))


# --- what a letter is registered on ----------------------------------------------------------------------------

def bond_for_letter(*, actor, pk) -> Bond:
    """A bond of a bid the actor may see, or 404."""
    try:
        return Bond.objects.select_related("bid").get(pk=pk, bid__in=visible_bids(actor).values("pk"))
    except (Bond.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def contract_for_letter(*, actor, pk) -> Contract:
    """A contract the actor may see, or 404; for the bid assistant (who keeps every letter) any contract: he
    registers its letters without reading the contract itself."""
    if not is_active_user(actor):
        raise NotFound()
    qs = Contract.objects.all() if sees_all_letters(actor) else visible_contracts(actor)
    try:
        return qs.get(pk=pk)
    except (Contract.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
