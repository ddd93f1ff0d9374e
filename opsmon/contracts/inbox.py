"""Inbox items of the contract module: steps waiting for a decider, contracts to revise or sign, and
contracts ending within 30 days."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from opsmon.codes.selectors import label_map
from opsmon.core.inbox import InboxItem, provider

from .choices import ContractStatus, StepStatus
from .models import Contract, ReviewStep

ENDING_WINDOW = timedelta(days=30)


def _item(kind, label, c, since):
    return InboxItem(kind, label, f"{c.number} {c.title}", f"/contracts/{c.pk}/", "contract", c.pk, since)


@provider
def contract_items(actor):
    kinds = label_map("review_step_kind")
    steps = (ReviewStep.objects.filter(status=StepStatus.CURRENT, review__status="in_review",
                                       deciders__user=actor.pk, deciders__decision="")
             .select_related("review__contract", "review__amendment"))
    for step in steps:
        kind = kinds.get(("review_step_kind", step.kind), step.kind)
        label = (_("Decide the %(kind)s of amendment %(n)s") % {"kind": kind, "n": step.review.amendment.number}
                 if step.review.amendment_id else _("Decide the %(kind)s") % {"kind": kind})
        yield _item("contract.decide_step", label, step.review.contract, step.review.started_at)
    mine = Contract.objects.filter(owner=actor.pk)
    for c in mine.filter(status=ContractStatus.APPROVED):
        yield _item("contract.sign", _("Sign the approved contract"), c, c.updated_at)
    for c in mine.filter(status=ContractStatus.DRAFTING, reviews__status="rejected").distinct():
        yield _item("contract.revise", _("Revise the contract the review rejected"), c, c.updated_at)
    today = timezone.localdate()
    for c in mine.filter(status=ContractStatus.SIGNED, end_on__gte=today, end_on__lte=today + ENDING_WINDOW):
        yield _item("contract.ending", _("Contract ends on %(date)s") % {"date": c.end_on.isoformat()}, c,
                    c.updated_at)
