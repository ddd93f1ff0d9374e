"""Inbox items of the guarantee letters: the letters flagged to the bid assistant (the same as his reminders)."""

from opsmon.core.inbox import InboxItem, provider

from .reminders import flags_for


@provider
def letter_items(actor):
    for flag in flags_for(actor):
        letter = flag.letter
        yield InboxItem(flag.kind, flag.label, f"{letter.bank} {letter.number}", f"/guarantee-letters/{letter.pk}/",
                        "guarantee_letter", letter.pk, letter.updated_at)
