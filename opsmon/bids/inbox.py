"""Inbox items of the bid module (the same reminders `opsmon remind` notifies)."""

from opsmon.core.inbox import InboxItem, provider

from .reminders import due_for


@provider
def bid_items(actor):
    for r in due_for(actor):
        yield InboxItem(r.kind, r.label, f"{r.record.number} {r.record.title}", f"/bids/{r.record.pk}/", "bid",
                        r.record.pk, r.since)
