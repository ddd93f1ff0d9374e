"""Registering, extending and releasing guarantee letters (保函). Each service checks the rule first, then the
input (one 422 naming every bad field; bad input changes nothing), then writes in one transaction: the change, one
timeline row on the letter and one on its bond or contract (where their pages show their history), and the
webhook event."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opsmon.core import timeline
from opsmon.core.errors import Invalid
from opsmon.core.events import publish
from opsmon.core.money import format_money, parse_amount
from opsmon.core.rules import refuse
from opsmon.core.workflow import clean_date, clean_past_date, clean_texts, clean_validity, transition

from . import rules
from .choices import LETTER_METHODS
from .models import GuaranteeLetter, LetterPeriod
from .rules import TRANSITIONS

TEXT_LIMITS = {"bank": 200, "number": 100, "beneficiary": 200}
NOTE_LIMIT = 500
REQUIRED = gettext_lazy("This field is required.")


def _payload(letter: GuaranteeLetter) -> dict:
    return {"letter": {
        "id": letter.pk, "bank": letter.bank, "number": letter.number, "amount": f"{letter.amount:.2f}",
        "currency": letter.currency, "beneficiary": letter.beneficiary, "valid_from": letter.valid_from.isoformat(),
        "valid_to": letter.valid_to.isoformat(), "status": letter.status,
        "bond": {"id": letter.bond_id, "bid": letter.bond.bid.number} if letter.bond_id else None,
        "contract": {"id": letter.contract_id, "number": letter.contract.number} if letter.contract_id else None,
        "released_on": letter.released_on.isoformat() if letter.released_on else None}}


def _on_subject(letter: GuaranteeLetter, *, actor, action: str, comment: str) -> None:
    """The same change as a row of the bond's (shown on its bid's page) or the contract's history."""
    timeline.record(letter.bond if letter.bond_id else letter.contract, actor=actor, action=action, comment=comment,
                    changes={"guarantee_letter": [None, str(letter.pk)]})


def _describe(letter: GuaranteeLetter) -> str:
    # Stored once, shown in either language: no words, money as ¥1,280,000.00.
    return f"{letter.bank} {letter.number} · {format_money(letter.amount, letter.currency)} · " \
           f"{letter.valid_from.isoformat()} – {letter.valid_to.isoformat()}"


@transaction.atomic
def letter_register(*, actor, bond=None, contract=None, bank: str = "", number: str = "", amount=None,
                    beneficiary: str = "", valid_from=None, valid_to=None) -> GuaranteeLetter:
    """A letter on exactly one of a bond (paid by guarantee letter; amount ≤ the bond's) or a contract."""
    if (bond is None) == (contract is None):
        raise Invalid(_("Register the letter on a bond or on a contract."), fields={
            "bond_id": _("Give either a bond or a contract, not both.") if bond is not None
            else _("Give a bond or a contract."),
            "contract_id": _("Give either a bond or a contract, not both.") if bond is not None
            else _("Give a bond or a contract.")})
    refuse(rules.can_register(actor, bond=bond, contract=contract))
    errors: dict = {}
    texts = clean_texts({"bank": bank, "number": number, "beneficiary": beneficiary}, TEXT_LIMITS, errors)
    for field in TEXT_LIMITS:
        if field not in errors and not texts.get(field):
            errors[field] = REQUIRED
    if bond is not None and bond.method not in LETTER_METHODS:
        errors["bond_id"] = _("This bond is not paid by guarantee letter (its method is another).")
    try:
        value = parse_amount(amount if amount is not None else "")
        if value == 0:
            errors["amount"] = _("Must be more than zero.")
        elif bond is not None and value > bond.amount:
            errors["amount"] = _("More than the bond (%(amount)s).") % {"amount": f"{bond.amount:.2f}"}
    except ValueError as exc:
        errors["amount"] = str(exc) if str(amount or "").strip() else REQUIRED
        value = None
    start, end = clean_validity(valid_from, valid_to, errors)
    if "bank" not in errors and "number" not in errors and \
            GuaranteeLetter.objects.filter(bank=texts["bank"], number=texts["number"]).exists():
        errors["number"] = _("This bank's letter with this number is already registered.")
    if errors:
        raise Invalid(fields=errors)
    try:
        with transaction.atomic():
            letter = GuaranteeLetter.objects.create(
                bond=bond, contract=contract, amount=value, valid_from=start, valid_to=end, registered_by=actor,
                currency=(bond or contract).currency, **texts)
    except IntegrityError:  # the same letter registered at the same moment by someone else
        raise Invalid(fields={"number": _("This bank's letter with this number is already registered.")}) from None
    LetterPeriod.objects.create(letter=letter, position=1, valid_from=start, valid_to=end, created_by=actor)
    comment = _describe(letter)
    timeline.record(letter, actor=actor, action="guarantee.registered", to_status=letter.status, comment=comment)
    _on_subject(letter, actor=actor, action="guarantee.registered", comment=comment)
    publish("guarantee.registered", subject=letter, data=_payload(letter))
    return letter


@transaction.atomic
def letter_extend(*, actor, letter: GuaranteeLetter, valid_to, note: str = "") -> GuaranteeLetter:
    """A new validity period from the day after the current end to `valid_to` (later than the current end)."""
    refuse(rules.can_extend(actor, letter))
    errors: dict = {}
    end = clean_date(valid_to, "valid_to", errors)
    if end is None and "valid_to" not in errors:
        errors["valid_to"] = REQUIRED
    elif end is not None and end <= letter.valid_to:
        errors["valid_to"] = _("Must be later than the current end (%(day)s).") % {"day": letter.valid_to.isoformat()}
    note = clean_texts({"note": note}, {"note": NOTE_LIMIT}, errors)["note"]
    if errors:
        raise Invalid(fields=errors)
    previous = letter.valid_to
    position = letter.periods.count() + 1
    letter = transition(letter, actor=actor, action="extend", transitions=TRANSITIONS,
                        comment=f"{previous.isoformat()} → {end.isoformat()}" + (f" · {note}" if note else ""),
                        extra={"valid_to": end}, changes={"valid_to": [previous.isoformat(), end.isoformat()]})
    LetterPeriod.objects.create(letter=letter, position=position, valid_from=previous + timedelta(days=1),
                                valid_to=end, note=note, created_by=actor)
    _on_subject(letter, actor=actor, action="guaranteeletter.extend",
                comment=f"{letter.bank} {letter.number} · {previous.isoformat()} → {end.isoformat()}")
    publish("guarantee.extended", subject=letter, data={**_payload(letter), "previous_valid_to": previous.isoformat(),
                                                         "note": note})
    return letter


@transaction.atomic
def letter_release(*, actor, letter: GuaranteeLetter, released_on) -> GuaranteeLetter:
    """The letter went back to the bank (退回保函), recorded like a bond's refund: the day and who."""
    refuse(rules.can_release(actor, letter))
    errors: dict = {}
    day = clean_past_date(released_on, "released_on", errors)
    if day is not None and day < letter.valid_from:
        errors["released_on"] = _("Cannot be before the letter was valid.")
    if errors:
        raise Invalid(fields=errors)
    letter = transition(letter, actor=actor, action="release", transitions=TRANSITIONS, comment=day.isoformat(),
                        extra={"released_on": day, "released_by": actor})
    _on_subject(letter, actor=actor, action="guaranteeletter.release",
                comment=f"{letter.bank} {letter.number} · {day.isoformat()}")
    publish("guarantee.released", subject=letter, data=_payload(letter))
    return letter
