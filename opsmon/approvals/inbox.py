"""Inbox items of the engine: every current step waiting for the user's decision, on the record's page."""

from opsmon.codes.selectors import label_map
from opsmon.core.inbox import InboxItem, provider

from . import kinds, rules, selectors


@provider
def steps_to_decide(actor):
    labels = label_map("review_step_kind")
    for step in selectors.waiting_for(actor):
        review = step.review
        kind = kinds.get(review.kind)
        subject = rules.subject_of(review)
        if subject is None:
            continue
        step_kind = labels.get(("review_step_kind", step.kind), step.kind)
        label = (kind.inbox_label(subject, step_kind) if kind.inbox_label is not None
                 else str(kinds.text(kind, "decide") % {"step": step_kind}))
        record = kind.record(subject)
        name = record._meta.model_name
        yield InboxItem(f"{name}.decide_step", label, kind.title(subject), kind.url(subject), name,
                        review.record_id, review.started_at)
