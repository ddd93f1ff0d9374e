"""/guarantee-letters: the letters (保函) of bonds and contracts, their validity history, extension and release.
Every detail and every action answers `allowed_actions` (rules.py)."""

from django.utils import timezone
from ninja import Query, Router, Status

from opsmon.core import timeline
from opsmon.core.schemas import ERRORS, Page, PageParams, TimelineEntryOut, money, paginate, timeline_out, user_ref

from . import rules, selectors, services
from .schemas import ExtendIn, LetterIn, LetterListParams, LetterOut, ReleaseIn

router = Router(tags=["guarantee-letters"])


def letter_out(letter, viewer=None, *, detail=False, today=None) -> dict:
    today = today or timezone.localdate()
    bond = letter.bond if letter.bond_id else None
    return {
        "id": letter.pk,
        "bond": {"id": bond.pk, "kind": bond.kind, "bid": {"id": bond.bid_id, "number": bond.bid.number}}
        if bond else None,
        "contract": {"id": letter.contract_id, "number": letter.contract.number} if letter.contract_id else None,
        "bank": letter.bank, "number": letter.number, "amount": money(letter.amount), "currency": letter.currency,
        "beneficiary": letter.beneficiary, "valid_from": letter.valid_from, "valid_to": letter.valid_to,
        "status": letter.status, "status_label": str(letter.get_status_display()),
        "still_needed": selectors.still_needed(letter, today), "expired": letter.valid_to < today,
        "flagged": selectors.is_flagged(letter, today), "released_on": letter.released_on,
        "released_by": user_ref(letter.released_by), "registered_by": user_ref(letter.registered_by),
        "periods": [{"position": p.position, "valid_from": p.valid_from, "valid_to": p.valid_to, "note": p.note,
                     "created_by": user_ref(p.created_by), "created_at": p.created_at}
                    for p in selectors.periods_of(letter)] if detail else [],
        "version": letter.version, "created_at": letter.created_at, "updated_at": letter.updated_at,
        "allowed_actions": rules.allowed_actions(viewer, letter) if detail and viewer is not None else [],
    }


def _get(request, letter_id):
    return selectors.letter_get(actor=request.auth, pk=letter_id)


def _one(request, letter_id):
    return letter_out(_get(request, letter_id), request.auth, detail=True)


@router.get("/guarantee-letters", response={200: Page[LetterOut], **ERRORS})
def letter_list(request, params: Query[LetterListParams], pager: Query[PageParams]):
    """The letters of the bonds and contracts you see; `expiring_within=30`: active letters ending within 30
    days (and those already ended), the most urgent first."""
    page = paginate(selectors.letter_list(actor=request.auth, filters=params.filters()), pager)
    today = timezone.localdate()
    page["items"] = [letter_out(letter, today=today) for letter in page["items"]]
    return page


@router.post("/guarantee-letters", response={201: LetterOut, **ERRORS})
def letter_register(request, payload: LetterIn):
    """Register a letter on a bond (`bond_id`, a bond paid by guarantee letter) or a contract (`contract_id`)."""
    data = payload.model_dump(exclude={"bond_id", "contract_id"})
    bond = selectors.bond_for_letter(actor=request.auth, pk=payload.bond_id) if payload.bond_id is not None else None
    contract = selectors.contract_for_letter(actor=request.auth, pk=payload.contract_id) \
        if payload.contract_id is not None else None
    letter = services.letter_register(actor=request.auth, bond=bond, contract=contract, **data)
    return Status(201, _one(request, letter.pk))


@router.get("/guarantee-letters/{letter_id}", response={200: LetterOut, **ERRORS})
def letter_detail(request, letter_id: int):
    return _one(request, letter_id)


@router.get("/guarantee-letters/{letter_id}/timeline", response={200: list[TimelineEntryOut], **ERRORS})
def letter_timeline(request, letter_id: int):
    return timeline_out(timeline.entries_for(_get(request, letter_id)))


@router.post("/guarantee-letters/{letter_id}/extend", response={200: LetterOut, **ERRORS})
def letter_extend(request, letter_id: int, payload: ExtendIn):
    """A new validity period ending on `valid_to` (later than the current end); the history is kept."""
    services.letter_extend(actor=request.auth, letter=_get(request, letter_id), valid_to=payload.valid_to,
                           note=payload.note)
    return _one(request, letter_id)


@router.post("/guarantee-letters/{letter_id}/release", response={200: LetterOut, **ERRORS})
def letter_release(request, letter_id: int, payload: ReleaseIn):
    """The letter went back to the bank (退回保函) on `released_on` (not in the future); read-only from then on."""
    services.letter_release(actor=request.auth, letter=_get(request, letter_id), released_on=payload.released_on)
    return _one(request, letter_id)
