"""The deadline provider (core.deadlines) that needs every module's inbox: review steps waiting. The modules'
own dates are provided by each module (bids/, opportunities/, contracts/ `deadlines.py`)."""

from datetime import date

from django.utils import timezone

from opsmon.core.deadlines import Deadline, provider
from opsmon.core.inbox import items_for


@provider
def review_steps_waiting(user, start: date, end: date):
    """Review steps waiting for the user's decision (any kind of review of the approvals engine, read through the
    inbox): on today's page until he decides."""
    today = timezone.localdate()
    if not start <= today <= end:
        return
    for item in items_for(user):
        if item.kind.endswith(".decide_step"):
            yield Deadline(f"review-{item.record_type}-{item.record_id}", "review.step",
                           f"{item.label}: {item.title}", today, item.url)
