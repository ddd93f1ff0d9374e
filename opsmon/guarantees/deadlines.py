"""The guarantee letters' dated duties for the calendar feed and the digest (core.deadlines): the end of each
active letter still needed, for the bid assistant who keeps them."""

from datetime import date

from django.utils.translation import gettext as _

from opsmon.core.deadlines import Deadline, provider

from .choices import LetterStatus
from .models import GuaranteeLetter
from .reminders import FLAGGED_TO, subject_of
from .selectors import RELATED, needed_q


@provider
def letter_deadlines(user, start: date, end: date):
    if not user.has_role(*FLAGGED_TO):
        return
    letters = GuaranteeLetter.objects.filter(needed_q(start), status=LetterStatus.ACTIVE,
                                             valid_to__range=(start, end)).select_related(*RELATED)
    for letter in letters:
        yield Deadline(f"guarantee-{letter.pk}-expiry", "guarantee.expiry",
                       _("Guarantee letter ends: %(bank)s %(number)s (%(subject)s)")
                       % {"bank": letter.bank, "number": letter.number, "subject": subject_of(letter)},
                       letter.valid_to, f"/guarantee-letters/{letter.pk}/")
