"""Inbox items of the receivables module: the overdue receivables flagged to the user (the same the daily
reminders send)."""

from opsmon.core.inbox import InboxItem, provider

from .reminders import overdue_for


@provider
def receivable_items(actor):
    for item in overdue_for(actor):
        c = item.contract
        yield InboxItem("receivable.overdue", item.label, f"{c.number} {c.title}", item.url, "contract", c.pk,
                        c.updated_at)
