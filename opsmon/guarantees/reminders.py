"""What the guarantee letters remind the bid assistant of, every day: letters still needed that end within 30 days
or have ended (DOMAIN.md: flagged to the bid assistant)."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.accounts.models import User
from opsmon.core.reminders import Due, provider

from .models import GuaranteeLetter
from .selectors import flagged_letters

FLAGGED_TO = ("bid_assistant",)


@dataclass(frozen=True)
class Flag:
    kind: str                # guarantee.expiring | guarantee.expired
    label: str
    letter: GuaranteeLetter


def subject_of(letter: GuaranteeLetter) -> str:
    """What the letter secures, by number: the bond's bid or the contract."""
    return letter.bond.bid.number if letter.bond_id else letter.contract.number


def flags_for(actor, *, today: date | None = None) -> list[Flag]:
    """The flagged letters, for a bid assistant; nothing for anyone else."""
    if not actor.has_role(*FLAGGED_TO):
        return []
    today = today or timezone.localdate()
    out = []
    for letter in flagged_letters(today=today):
        values = {"bank": letter.bank, "number": letter.number, "day": letter.valid_to.isoformat(),
                  "subject": subject_of(letter)}
        if letter.valid_to < today:
            out.append(Flag("guarantee.expired", _("Guarantee letter %(bank)s %(number)s (%(subject)s) expired on "
                                                   "%(day)s and is still needed") % values, letter))
        else:
            out.append(Flag("guarantee.expiring", _("Guarantee letter %(bank)s %(number)s (%(subject)s) expires on "
                                                    "%(day)s") % values, letter))
    return out


def recipients():
    return User.objects.filter(is_active=True, groups__name__in=FLAGGED_TO).distinct()


@provider
def letter_reminders(now: datetime):
    """core.reminders provider: each bid assistant's flagged letters."""
    today = timezone.localdate(now)
    for user in recipients():
        for flag in flags_for(user, today=today):
            yield Due(user, flag.label, f"/guarantee-letters/{flag.letter.pk}/")
