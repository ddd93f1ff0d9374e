"""What a signed contract means to its bid: the Art. 57 refund clock starts, a planned performance bond is due."""

from django.db.models import Q
from django.utils.translation import gettext_noop

from opsmon.accounts.models import User
from opsmon.core import timeline
from opsmon.core.changes import changing
from opsmon.core.events import notify
from opsmon.core.phrases import phrase

from ..choices import BondKind, BondStatus
from ..models import Bid, Bond


def contract_signed(*, actor, bid: Bid, signed_on) -> None:
    """Record the signing date on the bid (the first contract's counts) and make planned performance bonds due."""
    due = Bond.objects.filter(bid=bid, kind=BondKind.PERFORMANCE, status=BondStatus.PLANNED)
    with changing(Bid, [bid.pk]):
        Bid.objects.filter(pk=bid.pk).filter(Q(contract_signed_on__isnull=True)
                                             | Q(contract_signed_on__gt=signed_on)).update(contract_signed_on=signed_on)
        due.filter(Q(due_on__isnull=True) | Q(due_on__gt=signed_on)).update(due_on=signed_on)
    timeline.record(bid, actor=actor, action="bid.contract_signed", comment=signed_on.isoformat())
    if due.exists():
        notify(User.objects.filter(is_active=True, groups__name="bid_assistant"),
               text=phrase(gettext_noop("Performance bond due: %(n)s %(t)s"),
                           n=bid.number, t=bid.title), url=f"/bids/{bid.pk}/",
               kind="bid.contract_signed")
